-- Mobility metrics (issue 7, part A): indexes the dashboard's queries need, pre-aggregated
-- monthly headcount and skill supply, the manager a mover left, and a record of when aggregates were refreshed.

-- The manager a mover reported to when the move was recorded, so "people moved out" can be
-- attributed to a manager after people.manager_id has changed. Filled by a trigger when the
-- writer leaves it empty.
alter table moves add column from_manager_id uuid;
alter table moves
    add constraint moves_from_manager_fk foreign key (from_manager_id) references people (id) on delete set null;
create index moves_from_manager_idx on moves (from_manager_id, effective_on) where from_manager_id is not null;

create function trellis_moves_from_manager() returns trigger
language plpgsql as $$
begin
    if new.from_manager_id is null then
        select manager_id into new.from_manager_id from people where id = new.person_id;
    end if;
    return new;
end;
$$;

create trigger moves_from_manager before insert on moves
    for each row execute function trellis_moves_from_manager();

-- Indexes for the dashboard's range scans.
create index people_updated_idx on people (updated_at);
create index people_hire_idx on people (hire_date);
create index people_terminated_idx on people (terminated_on) where terminated_on is not null;
create index person_skills_updated_idx on person_skills (updated_at);
create index applications_submitted_idx on applications (submitted_at);
create index application_events_to_status_idx on application_events (to_status, occurred_at);
create index enrolments_enrolled_idx on enrolments (enrolled_at);
create index career_conversations_held_idx on career_conversations (held_on);
create index mentorship_requests_responded_idx on mentorship_requests (responded_at) where responded_at is not null;
create index opportunities_open_idx on opportunities (id) where status = 'open';
create index audit_log_action_idx on audit_log (action, id);

-- Headcount at the start of each month, per current department and job family (people are
-- counted in the department and family they are in now: the history of transfers is in
-- moves, the monthly snapshot is of the present organisation). Rebuilt by
-- trellis_refresh_metrics(); department_id and family_id may be null (unassigned).
create table metrics_headcount_monthly (
    month          date not null,
    department_id  uuid,
    family_id      uuid,
    headcount      integer not null,
    constraint metrics_headcount_monthly_month_start check (month = date_trunc('month', month)::date),
    constraint metrics_headcount_monthly_nonnegative check (headcount >= 0)
);
create index metrics_headcount_monthly_month_idx on metrics_headcount_monthly (month);

-- Internal supply per skill and level: active employees holding the skill at exactly that
-- level (supply at or above a level is the sum over the levels from it up). Rebuilt by
-- trellis_refresh_metrics().
create table metrics_skill_supply (
    skill_id  uuid not null,
    level     smallint not null,
    people    integer not null,
    constraint metrics_skill_supply_pkey primary key (skill_id, level),
    constraint metrics_skill_supply_level_range check (level between 1 and 5)
);

-- When each aggregate was last rebuilt.
create table metrics_refreshes (
    name          text primary key,
    refreshed_at  timestamptz not null,
    duration_ms   integer not null,
    constraint metrics_refreshes_name_not_blank check (btrim(name) <> '')
);

-- Rebuild the aggregates. The monthly headcount comes in one statement from hires and leavers: a person active at
-- month start m was hired on or before m and not terminated on or before m, so each person
-- adds +1 from the first month start on or after their hire date and -1 from the first month
-- start on or after their termination date; a running sum gives the headcount.
create function trellis_refresh_metrics() returns void
language plpgsql as $$
declare started timestamptz := clock_timestamp();
begin
    delete from metrics_headcount_monthly;
    insert into metrics_headcount_monthly (month, department_id, family_id, headcount)
    with deltas as (
        select (date_trunc('month', p.hire_date - 1) + interval '1 month')::date as month,
               p.department_id, jp.family_id, 1 as delta
        from people p left join job_profiles jp on jp.id = p.job_profile_id
        union all
        select (date_trunc('month', p.terminated_on - 1) + interval '1 month')::date,
               p.department_id, jp.family_id, -1
        from people p left join job_profiles jp on jp.id = p.job_profile_id
        where p.terminated_on is not null
    ), grouped as (
        select month, department_id, family_id, sum(delta) as delta
        from deltas group by 1, 2, 3
    ), groups as (
        select distinct department_id, family_id from grouped
    ), months as (
        select generate_series(
                   (select min(month) from grouped),
                   date_trunc('month', current_date + interval '1 month')::date,
                   interval '1 month')::date as month
    )
    select m.month, g.department_id, g.family_id,
           sum(coalesce(d.delta, 0)) over (
               partition by g.department_id, g.family_id order by m.month)::integer
    from months m
    cross join groups g
    left join grouped d on d.month = m.month
        and d.department_id is not distinct from g.department_id
        and d.family_id is not distinct from g.family_id;
    delete from metrics_skill_supply;
    insert into metrics_skill_supply (skill_id, level, people)
    select ps.skill_id, ps.level, count(*)
    from person_skills ps join people p on p.id = ps.person_id
    where p.employment_status <> 'terminated'
    group by 1, 2;
    insert into metrics_refreshes (name, refreshed_at, duration_ms)
    values ('headcount_monthly', now(),
            (extract(epoch from clock_timestamp() - started) * 1000)::integer)
    on conflict (name) do update
        set refreshed_at = excluded.refreshed_at, duration_ms = excluded.duration_ms;
end;
$$;
