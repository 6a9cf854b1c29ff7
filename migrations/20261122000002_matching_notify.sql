-- Keep every app server's in-memory matching index current: a change to a person's profile or
-- to an opening sends a notification on channel 'trellis_matching' (delivered at commit,
-- duplicates in one transaction collapsed by PostgreSQL). Payloads: 'person:<uuid>',
-- 'opening:<uuid>', 'taxonomy', 'courses', 'policy', or 'all'.
--
-- Bulk loads (the demo company, imports) set `trellis.bulk_load = 'on'` for their transaction
-- to skip the per-row notifications and send one 'all' at the end instead.

create function trellis_matching_bulk() returns boolean
language sql stable as $$
    select coalesce(current_setting('trellis.bulk_load', true), '') = 'on'
$$;

create function trellis_notify_person() returns trigger
language plpgsql as $$
declare
    pid uuid;
begin
    if trellis_matching_bulk() then
        return null;
    end if;
    if tg_op = 'DELETE' then
        pid := old.person_id;
    else
        pid := new.person_id;
    end if;
    perform pg_notify('trellis_matching', 'person:' || pid);
    if tg_op = 'UPDATE' and old.person_id is distinct from new.person_id then
        perform pg_notify('trellis_matching', 'person:' || old.person_id);
    end if;
    return null;
end;
$$;

create function trellis_notify_people() returns trigger
language plpgsql as $$
begin
    if trellis_matching_bulk() then
        return null;
    end if;
    if tg_op = 'DELETE' then
        perform pg_notify('trellis_matching', 'person:' || old.id);
    else
        perform pg_notify('trellis_matching', 'person:' || new.id);
    end if;
    return null;
end;
$$;

create function trellis_notify_opening() returns trigger
language plpgsql as $$
declare
    oid uuid;
begin
    if trellis_matching_bulk() then
        return null;
    end if;
    if tg_table_name = 'opportunities' then
        if tg_op = 'DELETE' then oid := old.id; else oid := new.id; end if;
    else
        if tg_op = 'DELETE' then oid := old.opportunity_id; else oid := new.opportunity_id; end if;
    end if;
    perform pg_notify('trellis_matching', 'opening:' || oid);
    return null;
end;
$$;

create function trellis_notify_channel() returns trigger
language plpgsql as $$
begin
    if trellis_matching_bulk() then
        return null;
    end if;
    perform pg_notify('trellis_matching', tg_argv[0]);
    return null;
end;
$$;

create trigger person_skills_notify_matching after insert or update or delete on person_skills
    for each row execute function trellis_notify_person();
create trigger aspirations_notify_matching after insert or update or delete on aspirations
    for each row execute function trellis_notify_person();
create trigger aspiration_targets_notify_matching after insert or update or delete on aspiration_targets
    for each row execute function trellis_notify_person();
create trigger aspiration_interests_notify_matching after insert or update or delete on aspiration_interests
    for each row execute function trellis_notify_person();
create trigger people_notify_matching
    after insert or delete or update of employment_status, discoverable, role_started_on, job_profile_id on people
    for each row execute function trellis_notify_people();
create trigger opportunities_notify_matching after insert or update or delete on opportunities
    for each row execute function trellis_notify_opening();
create trigger opportunity_skills_notify_matching after insert or update or delete on opportunity_skills
    for each row execute function trellis_notify_opening();

-- Taxonomy, catalogue and policy changes are rare: one coarse notification per statement.
create trigger skill_relations_notify_matching after insert or update or delete on skill_relations
    for each statement execute function trellis_notify_channel('taxonomy');
create trigger skills_notify_matching after insert or update or delete on skills
    for each statement execute function trellis_notify_channel('taxonomy');
create trigger courses_notify_matching after insert or update or delete on courses
    for each statement execute function trellis_notify_channel('courses');
create trigger course_skills_notify_matching after insert or update or delete on course_skills
    for each statement execute function trellis_notify_channel('courses');
create trigger mobility_policies_notify_matching after insert on mobility_policies
    for each statement execute function trellis_notify_channel('policy');
