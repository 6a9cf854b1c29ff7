-- The dashboard's aggregates at 200,000 people (issue 20, item 3): rebuilt in seconds and only
-- for what changed.
--
-- * Headcount is kept as sparse deltas per (department, job family, month start): +1 from the
--   first month start on or after a hire, -1 from the first on or after a termination. The
--   headcount at a month start is the sum of the deltas up to it, so there is no dense table of
--   every month crossed with every group, and a new month needs no rebuild.
-- * Keys are coalesced to the zero uuid for "unassigned", so every join and upsert is on plain
--   equality (hashable), never on `is not distinct from`.
-- * Triggers note which people, applications, openings and job profiles changed in
--   metrics_dirty; a rebuild reads and empties it and recomputes only those rows, subtracting
--   what each changed person or application contributed before (kept in the *_facts tables)
--   and adding what it contributes now. No change, no rebuild.

-- What changed since the last rebuild: kind 'p' person, 'a' application, 'o' opening,
-- 'j' job profile, 'c' an activity the participation cache counts, 'f' a bulk load (the demo,
-- an import: `trellis.bulk_load = 'on'`) after which everything is rebuilt; for the last two the
-- id is the zero uuid.
create table metrics_dirty (
    seq   bigint generated always as identity primary key,
    kind  "char" not null,
    id    uuid not null,
    constraint metrics_dirty_kind_valid check (kind in ('p', 'a', 'o', 'j', 'c', 'f'))
);

-- What each person contributes to the headcount deltas and (while not terminated) to the skill
-- supply, as of the last rebuild: one row per person, their skills and levels as two parallel
-- arrays (a row per person and skill would be ten times the index to maintain).
create table metrics_person_facts (
    person_id       uuid primary key,
    department_key  uuid not null,
    family_key      uuid not null,
    hired_month     date not null,
    left_month      date,
    skill_ids       uuid[] not null default '{}',
    skill_levels    smallint[] not null default '{}',
    constraint metrics_person_facts_skills_parallel
        check (cardinality(skill_ids) = cardinality(skill_levels))
);

-- The headcount deltas (see above). Rows whose delta comes back to zero are deleted.
create table metrics_headcount_deltas (
    department_key  uuid not null,
    family_key      uuid not null,
    month           date not null,
    delta           integer not null,
    constraint metrics_headcount_deltas_pkey primary key (department_key, family_key, month)
);
create index metrics_headcount_deltas_family_idx on metrics_headcount_deltas (family_key, month);
create index metrics_headcount_deltas_zero_idx on metrics_headcount_deltas (month) where delta = 0;

-- The old dense table is replaced by the deltas.
drop table metrics_headcount_monthly;

-- Existing aggregates were built by the old function: the first rebuild is a full one.
delete from metrics_refreshes where name = 'headcount_monthly';
delete from metrics_application_facts;
delete from metrics_opening_fills;
delete from metrics_skill_supply;
delete from metrics_participation_cache;

-- Triggers: one per table and event (transition tables allow only one event per trigger).
-- A bulk load notes one 'f' per statement instead of a row per changed row.
create function trellis_metrics_bulk() returns boolean
language plpgsql as $$
begin
    if trellis_matching_bulk() then
        insert into metrics_dirty (kind, id) values ('f', '00000000-0000-0000-0000-000000000000');
        return true;
    end if;
    return false;
end;
$$;

create function trellis_metrics_dirty_people() returns trigger
language plpgsql as $$
begin
    if trellis_metrics_bulk() then
        return null;
    end if;
    if tg_op = 'INSERT' then
        insert into metrics_dirty (kind, id) select 'p', n.id from new_rows n;
    elsif tg_op = 'DELETE' then
        insert into metrics_dirty (kind, id) select 'p', o.id from old_rows o;
    else
        insert into metrics_dirty (kind, id)
        select 'p', n.id from new_rows n join old_rows o on o.id = n.id
        where (n.department_id, n.job_profile_id, n.hire_date, n.terminated_on, n.employment_status)
              is distinct from
              (o.department_id, o.job_profile_id, o.hire_date, o.terminated_on, o.employment_status);
    end if;
    return null;
end;
$$;
create trigger people_metrics_dirty_insert after insert on people
    referencing new table as new_rows
    for each statement execute function trellis_metrics_dirty_people();
create trigger people_metrics_dirty_update after update on people
    referencing old table as old_rows new table as new_rows
    for each statement execute function trellis_metrics_dirty_people();
create trigger people_metrics_dirty_delete after delete on people
    referencing old table as old_rows
    for each statement execute function trellis_metrics_dirty_people();

create function trellis_metrics_dirty_person_skills() returns trigger
language plpgsql as $$
begin
    if trellis_metrics_bulk() then
        return null;
    end if;
    if tg_op = 'INSERT' then
        insert into metrics_dirty (kind, id) select distinct 'p', n.person_id from new_rows n;
    elsif tg_op = 'DELETE' then
        insert into metrics_dirty (kind, id) select distinct 'p', o.person_id from old_rows o;
    else
        insert into metrics_dirty (kind, id)
        select distinct 'p', x.person_id from (
            select n.person_id from new_rows n join old_rows o
                on o.person_id = n.person_id and o.skill_id = n.skill_id
            where n.level is distinct from o.level
            union all
            -- a row moved to another person or skill
            select n.person_id from new_rows n
            where not exists (select 1 from old_rows o where o.person_id = n.person_id and o.skill_id = n.skill_id)
            union all
            select o.person_id from old_rows o
            where not exists (select 1 from new_rows n where o.person_id = n.person_id and o.skill_id = n.skill_id)
        ) x;
    end if;
    return null;
end;
$$;
create trigger person_skills_metrics_dirty_insert after insert on person_skills
    referencing new table as new_rows
    for each statement execute function trellis_metrics_dirty_person_skills();
create trigger person_skills_metrics_dirty_update after update on person_skills
    referencing old table as old_rows new table as new_rows
    for each statement execute function trellis_metrics_dirty_person_skills();
create trigger person_skills_metrics_dirty_delete after delete on person_skills
    referencing old table as old_rows
    for each statement execute function trellis_metrics_dirty_person_skills();

create function trellis_metrics_dirty_applications() returns trigger
language plpgsql as $$
begin
    if trellis_metrics_bulk() then
        return null;
    end if;
    if tg_op = 'INSERT' then
        insert into metrics_dirty (kind, id) select 'a', n.id from new_rows n;
    elsif tg_op = 'DELETE' then
        -- a deleted application may have been an opening's fill: recompute the opening
        insert into metrics_dirty (kind, id) select 'a', o.id from old_rows o;
        insert into metrics_dirty (kind, id) select distinct 'o', o.opportunity_id from old_rows o;
    else
        insert into metrics_dirty (kind, id)
        select 'a', n.id from new_rows n join old_rows o on o.id = n.id
        where (n.status, n.submitted_at, n.opportunity_id) is distinct from (o.status, o.submitted_at, o.opportunity_id);
        insert into metrics_dirty (kind, id)
        select 'o', o.opportunity_id from new_rows n join old_rows o on o.id = n.id
        where n.opportunity_id <> o.opportunity_id;
    end if;
    return null;
end;
$$;
create trigger applications_metrics_dirty_insert after insert on applications
    referencing new table as new_rows
    for each statement execute function trellis_metrics_dirty_applications();
create trigger applications_metrics_dirty_update after update on applications
    referencing old table as old_rows new table as new_rows
    for each statement execute function trellis_metrics_dirty_applications();
create trigger applications_metrics_dirty_delete after delete on applications
    referencing old table as old_rows
    for each statement execute function trellis_metrics_dirty_applications();

create function trellis_metrics_dirty_application_events() returns trigger
language plpgsql as $$
begin
    if trellis_metrics_bulk() then
        return null;
    end if;
    insert into metrics_dirty (kind, id) select distinct 'a', n.application_id from new_rows n;
    return null;
end;
$$;
create trigger application_events_metrics_dirty_insert after insert on application_events
    referencing new table as new_rows
    for each statement execute function trellis_metrics_dirty_application_events();

create function trellis_metrics_dirty_opportunities() returns trigger
language plpgsql as $$
begin
    if trellis_metrics_bulk() then
        return null;
    end if;
    if tg_op = 'DELETE' then
        insert into metrics_dirty (kind, id) select 'o', o.id from old_rows o;
    else
        insert into metrics_dirty (kind, id)
        select 'o', n.id from new_rows n join old_rows o on o.id = n.id
        where (n.owner_id, n.department_id, n.job_profile_id, n.published_at)
              is distinct from (o.owner_id, o.department_id, o.job_profile_id, o.published_at);
    end if;
    return null;
end;
$$;
create trigger opportunities_metrics_dirty_update after update on opportunities
    referencing old table as old_rows new table as new_rows
    for each statement execute function trellis_metrics_dirty_opportunities();
create trigger opportunities_metrics_dirty_delete after delete on opportunities
    referencing old table as old_rows
    for each statement execute function trellis_metrics_dirty_opportunities();

create function trellis_metrics_dirty_job_profiles() returns trigger
language plpgsql as $$
begin
    if trellis_metrics_bulk() then
        return null;
    end if;
    insert into metrics_dirty (kind, id)
    select 'j', n.id from new_rows n join old_rows o on o.id = n.id
    where n.family_id is distinct from o.family_id;
    return null;
end;
$$;
create trigger job_profiles_metrics_dirty_update after update on job_profiles
    referencing old table as old_rows new table as new_rows
    for each statement execute function trellis_metrics_dirty_job_profiles();

-- Activities the participation figures count (enrolments, mentoring, career conversations):
-- one row per statement, so the cached participation is recounted at the next rebuild.
create function trellis_metrics_dirty_activity() returns trigger
language plpgsql as $$
begin
    if trellis_metrics_bulk() then
        return null;
    end if;
    insert into metrics_dirty (kind, id) values ('c', '00000000-0000-0000-0000-000000000000');
    return null;
end;
$$;
create trigger enrolments_metrics_dirty after insert or update or delete on enrolments
    for each statement execute function trellis_metrics_dirty_activity();
create trigger mentorship_requests_metrics_dirty after insert or update or delete on mentorship_requests
    for each statement execute function trellis_metrics_dirty_activity();
create trigger career_conversations_metrics_dirty after insert or update or delete on career_conversations
    for each statement execute function trellis_metrics_dirty_activity();
create trigger aspirations_metrics_dirty after insert or update or delete on aspirations
    for each statement execute function trellis_metrics_dirty_activity();

-- The rebuild. Call it in a repeatable-read transaction holding the refresh lock (see
-- src/metrics/refresh.rs): it consumes the change rows its snapshot sees, so a change committed
-- meanwhile stays for the next rebuild. Full when the aggregates were never built. Returns the
-- number of change rows consumed (0 with nothing to do: then it writes nothing).
drop function trellis_refresh_metrics();
create function trellis_refresh_metrics() returns bigint
language plpgsql
set work_mem = '64MB'
set enable_mergejoin = off
as $$
declare
    started timestamptz := clock_timestamp();
    zero constant uuid := '00000000-0000-0000-0000-000000000000';
    full_build boolean := not exists (select 1 from metrics_refreshes where name = 'headcount_monthly');
    consumed bigint;
begin
    create temp table metrics_changes (kind "char", id uuid) on commit drop;
    with gone as (delete from metrics_dirty returning kind, id)
    insert into metrics_changes select distinct kind, id from gone;
    get diagnostics consumed = row_count;
    full_build := full_build or exists (select 1 from metrics_changes where kind = 'f');
    if consumed = 0 and not full_build then
        return 0;
    end if;

    create temp table d_people (id uuid primary key) on commit drop;
    create temp table d_apps (id uuid primary key) on commit drop;
    create temp table d_opps (id uuid primary key) on commit drop;
    if full_build then
        truncate metrics_person_facts, metrics_headcount_deltas, metrics_skill_supply, metrics_application_facts, metrics_opening_fills;
        insert into d_people select id from people;
        insert into d_apps select id from applications;
        insert into d_opps select id from opportunities;
    else
        insert into d_people
        select id from metrics_changes where kind = 'p'
        union select p.id from people p join metrics_changes c on c.kind = 'j' and c.id = p.job_profile_id;
        insert into d_opps
        select id from metrics_changes where kind = 'o'
        union select o.id from opportunities o join metrics_changes c on c.kind = 'j' and c.id = o.job_profile_id;
        insert into d_apps
        select id from metrics_changes where kind = 'a'
        union select a.id from applications a join d_opps d on d.id = a.opportunity_id;
        -- the openings whose fill may change: those of every changed application, before and after
        insert into d_opps
        select f.opportunity_id from metrics_application_facts f join d_apps d on d.id = f.application_id
        union select a.opportunity_id from applications a join d_apps d on d.id = a.id
        on conflict do nothing;
    end if;
    analyze d_people;
    analyze d_apps;
    analyze d_opps;

    -- Headcount: what the changed people counted before, taken away; what they count now, added.
    insert into metrics_headcount_deltas as h (department_key, family_key, month, delta)
    select department_key, family_key, month, sum(delta)::integer from (
        select f.department_key, f.family_key, f.hired_month as month, -1 as delta
        from metrics_person_facts f join d_people d on d.id = f.person_id
        union all
        select f.department_key, f.family_key, f.left_month, 1
        from metrics_person_facts f join d_people d on d.id = f.person_id
        where f.left_month is not null
        union all
        select coalesce(p.department_id, zero), coalesce(jp.family_id, zero),
               (date_trunc('month', p.hire_date - 1) + interval '1 month')::date, 1
        from people p join d_people d on d.id = p.id
        left join job_profiles jp on jp.id = p.job_profile_id
        union all
        select coalesce(p.department_id, zero), coalesce(jp.family_id, zero),
               (date_trunc('month', p.terminated_on - 1) + interval '1 month')::date, -1
        from people p join d_people d on d.id = p.id
        left join job_profiles jp on jp.id = p.job_profile_id
        where p.terminated_on is not null
    ) x
    group by 1, 2, 3
    having sum(delta) <> 0
    order by 1, 2, 3 -- in index order: a full build appends to the index instead of splitting pages
    on conflict (department_key, family_key, month) do update set delta = h.delta + excluded.delta;
    delete from metrics_headcount_deltas where delta = 0;

    -- Skill supply (active employees holding a skill at a level), the same way.
    insert into metrics_skill_supply as s (skill_id, level, people)
    select skill_id, level, sum(n)::integer from (
        select u.skill_id, u.level, -1 as n
        from metrics_person_facts f join d_people d on d.id = f.person_id
        cross join lateral unnest(f.skill_ids, f.skill_levels) as u (skill_id, level)
        union all
        select ps.skill_id, ps.level, 1
        from person_skills ps join d_people d on d.id = ps.person_id
        join people p on p.id = ps.person_id
        where p.employment_status <> 'terminated'
    ) x
    group by 1, 2
    having sum(n) <> 0
    on conflict (skill_id, level) do update set people = s.people + excluded.people;
    delete from metrics_skill_supply where people = 0;

    -- What the changed people count now, for the next rebuild to take away.
    delete from metrics_person_facts f using d_people d where f.person_id = d.id;
    insert into metrics_person_facts (person_id, department_key, family_key, hired_month, left_month,
        skill_ids, skill_levels)
    select p.id, coalesce(p.department_id, zero), coalesce(jp.family_id, zero),
           (date_trunc('month', p.hire_date - 1) + interval '1 month')::date,
           (date_trunc('month', p.terminated_on - 1) + interval '1 month')::date,
           coalesce(sk.ids, '{}'), coalesce(sk.levels, '{}')
    from people p join d_people d on d.id = p.id
    left join job_profiles jp on jp.id = p.job_profile_id
    left join (select ps.person_id, array_agg(ps.skill_id order by ps.skill_id) as ids,
                      array_agg(ps.level order by ps.skill_id) as levels
               from person_skills ps join d_people d on d.id = ps.person_id
               group by ps.person_id) sk on sk.person_id = p.id and p.employment_status <> 'terminated'
    order by p.id;

    -- The application pipeline: the changed applications' facts recomputed.
    delete from metrics_application_facts f using d_apps d where f.application_id = d.id;
    insert into metrics_application_facts (application_id, opportunity_id, owner_id,
        department_id, family_id, submitted_at, stage, owner_acted_at, accepted_at)
    with ev as (
        select e.application_id,
               max(case e.to_status when 'in_review' then 2 when 'interviewing' then 3
                   when 'offered' then 4 when 'accepted' then 5 else 1 end) as stage,
               min(e.occurred_at) filter (where e.to_status = 'accepted') as accepted_at,
               min(e.occurred_at) filter (where e.from_status is not null
                   and e.actor_id = o.owner_id) as owner_acted_at
        from application_events e
        join d_apps d on d.id = e.application_id
        join applications a on a.id = e.application_id
        join opportunities o on o.id = a.opportunity_id
        group by e.application_id)
    select a.id, a.opportunity_id, o.owner_id, o.department_id, jp.family_id, a.submitted_at,
           greatest(coalesce(ev.stage, 1),
                    case a.status when 'in_review' then 2 when 'interviewing' then 3
                        when 'offered' then 4 when 'accepted' then 5 else 1 end),
           ev.owner_acted_at, ev.accepted_at
    from applications a
    join d_apps d on d.id = a.id
    join opportunities o on o.id = a.opportunity_id
    left join job_profiles jp on jp.id = o.job_profile_id
    left join ev on ev.application_id = a.id
    order by a.id;

    delete from metrics_opening_fills f using d_opps d where f.opportunity_id = d.id;
    insert into metrics_opening_fills (opportunity_id, department_id, family_id, published_at,
        first_accepted_at)
    select f.opportunity_id, f.department_id, f.family_id, o.published_at, min(f.accepted_at)
    from metrics_application_facts f
    join d_opps d on d.id = f.opportunity_id
    join opportunities o on o.id = f.opportunity_id
    where f.accepted_at is not null and o.published_at is not null
    group by f.opportunity_id, f.department_id, f.family_id, o.published_at;

    delete from metrics_participation_cache;

    insert into metrics_refreshes (name, refreshed_at, duration_ms)
    values ('headcount_monthly', now(),
            (extract(epoch from clock_timestamp() - started) * 1000)::integer)
    on conflict (name) do update
        set refreshed_at = excluded.refreshed_at, duration_ms = excluded.duration_ms;
    return greatest(consumed, 1);
end;
$$;
