-- Mobility metrics at scale (issue 7, part 2): compact per-application and per-opening
-- snapshots rebuilt with the other aggregates, so the dashboard's pipeline figures (time to
-- fill, the application funnel, how fast managers act) no longer join the whole event history,
-- and covering indexes for the remaining range scans on people.

-- One row per application: where it is (opening, owner, the opening's current department and
-- job family), when it was submitted, the furthest funnel stage its history or status reached
-- (1 submitted, 2 in review, 3 interviewing, 4 offered, 5 accepted), when the opening's owner
-- first moved it on, and when an offer on it was first accepted.
create table metrics_application_facts (
    application_id  uuid not null,
    opportunity_id  uuid not null,
    owner_id        uuid not null,
    department_id   uuid,
    family_id       uuid,
    submitted_at    timestamptz not null,
    stage           smallint not null,
    owner_acted_at  timestamptz,
    accepted_at     timestamptz,
    constraint metrics_application_facts_pkey primary key (application_id),
    constraint metrics_application_facts_stage_range check (stage between 1 and 5)
);
create index metrics_application_facts_submitted_idx on metrics_application_facts (submitted_at)
    include (stage, department_id, family_id);
create index metrics_application_facts_acted_idx on metrics_application_facts (submitted_at)
    include (owner_id, owner_acted_at) where owner_acted_at is not null;

-- One row per published opening with an accepted offer: when the first offer was accepted.
create table metrics_opening_fills (
    opportunity_id     uuid not null,
    department_id      uuid,
    family_id          uuid,
    published_at       timestamptz not null,
    first_accepted_at  timestamptz not null,
    constraint metrics_opening_fills_pkey primary key (opportunity_id)
);
create index metrics_opening_fills_accepted_idx on metrics_opening_fills (first_accepted_at)
    include (published_at, department_id, family_id);

-- Participation (a pass over everyone employed and every activity in the period) computed once
-- per period and filters after each rebuild, then read from here until the next rebuild
-- empties it. counts: active, profiles, applied, enrolled, mentored, conversations.
create table metrics_participation_cache (
    period_from    date not null,
    period_to      date not null,
    department_id  uuid,
    family_id      uuid,
    counts         bigint[] not null,
    constraint metrics_participation_cache_six check (cardinality(counts) = 6)
);
create unique index metrics_participation_cache_key on metrics_participation_cache (period_from,
    period_to, coalesce(department_id, '00000000-0000-0000-0000-000000000000'::uuid),
    coalesce(family_id, '00000000-0000-0000-0000-000000000000'::uuid));

-- Staleness checks look at the latest application and opening change.
create index applications_updated_idx on applications (updated_at);
create index opportunities_updated_idx on opportunities (updated_at);
-- Approval decisions by date (mobility by manager).
create index applications_approval_at_idx on applications (manager_approval_at)
    where manager_approval_at is not null;
-- People with a skill updated in a window, from the index alone (participation).
create index person_skills_updated_person_idx on person_skills (updated_at) include (person_id);
-- Who was employed on a day, by department and profile, from the index alone (retention,
-- participation).
create index people_employed_idx on people (hire_date)
    include (terminated_on, department_id, job_profile_id, id);

-- Rebuild the aggregates: the monthly headcount and skill supply as before, and the two
-- pipeline snapshots above. Whole-table joins over the event history: hashed in memory, not
-- merged along random-uuid indexes.
create or replace function trellis_refresh_metrics() returns void
language plpgsql
set work_mem = '64MB'
set enable_mergejoin = off
as $$
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

    delete from metrics_application_facts;
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
        join applications a on a.id = e.application_id
        join opportunities o on o.id = a.opportunity_id
        group by e.application_id)
    select a.id, a.opportunity_id, o.owner_id, o.department_id, jp.family_id, a.submitted_at,
           greatest(coalesce(ev.stage, 1),
                    case a.status when 'in_review' then 2 when 'interviewing' then 3
                        when 'offered' then 4 when 'accepted' then 5 else 1 end),
           ev.owner_acted_at, ev.accepted_at
    from applications a
    join opportunities o on o.id = a.opportunity_id
    left join job_profiles jp on jp.id = o.job_profile_id
    left join ev on ev.application_id = a.id;

    delete from metrics_opening_fills;
    insert into metrics_opening_fills (opportunity_id, department_id, family_id, published_at,
        first_accepted_at)
    select f.opportunity_id, f.department_id, f.family_id, o.published_at, min(f.accepted_at)
    from metrics_application_facts f
    join opportunities o on o.id = f.opportunity_id
    where f.accepted_at is not null and o.published_at is not null
    group by f.opportunity_id, f.department_id, f.family_id, o.published_at;

    delete from metrics_participation_cache;

    insert into metrics_refreshes (name, refreshed_at, duration_ms)
    values ('headcount_monthly', now(),
            (extract(epoch from clock_timestamp() - started) * 1000)::integer)
    on conflict (name) do update
        set refreshed_at = excluded.refreshed_at, duration_ms = excluded.duration_ms;
end;
$$;
