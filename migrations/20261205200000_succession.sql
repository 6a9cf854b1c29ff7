-- Succession planning (issue 18): critical roles, the successors chosen for each with a
-- readiness band from the learning path, daily snapshots of the bench, and the mobility
-- policy's new settings.

-- The policy: days an application or approval may wait before the manager who owes the
-- action is reminded, and before HR is told; whether successors may see the plans that name
-- them (PRODUCT.md: [5], [10], [no]).
alter table mobility_policies
    add column reminder_days smallint not null default 5,
    add column escalation_days smallint not null default 10,
    add column succession_visible_to_successors boolean not null default false,
    add constraint mobility_policies_reminder_range check (reminder_days between 1 and 90),
    add constraint mobility_policies_escalation_range
        check (escalation_days between reminder_days and 180);

-- A critical role: a position (the seat `incumbent_id` holds, in their job profile) or a job
-- profile as a whole. `manager_id` is the manager whose team it belongs to: they see and keep
-- its plan; HR sees every plan.
create table critical_roles (
    id              uuid primary key default gen_random_uuid(),
    job_profile_id  uuid not null references job_profiles (id) on delete restrict,
    incumbent_id    uuid references people (id) on delete set null,
    department_id   uuid references departments (id) on delete set null,
    manager_id      uuid references people (id) on delete set null,
    reason          text not null,
    note            text not null default '',
    marked_by_id    uuid references people (id) on delete set null,
    created_at      timestamptz not null default now(),
    updated_at      timestamptz not null default now(),
    constraint critical_roles_reason_valid
        check (reason in ('hard_to_fill', 'single_point_of_failure', 'leadership')),
    constraint critical_roles_note_length check (char_length(note) <= 2000)
);
-- a position is marked once; a job profile once per department (or once company-wide)
create unique index critical_roles_position_unique on critical_roles (incumbent_id)
    where incumbent_id is not null;
create unique index critical_roles_profile_unique on critical_roles
    (job_profile_id, coalesce(department_id, '00000000-0000-0000-0000-000000000000'::uuid))
    where incumbent_id is null;
create index critical_roles_manager_idx on critical_roles (manager_id);
create index critical_roles_department_idx on critical_roles (department_id);

-- A successor on a plan: the fit, learning hours and weeks to ready when chosen, the band
-- they give, and an override with its reason.
create table succession_candidates (
    id                   uuid primary key default gen_random_uuid(),
    critical_role_id     uuid not null references critical_roles (id) on delete cascade,
    person_id            uuid not null references people (id) on delete cascade,
    fit_score            smallint not null,
    path_hours           real not null default 0,
    weeks_to_ready       integer,
    computed_band        text not null,
    band_override        text,
    override_reason      text not null default '',
    development_plan_id  uuid references development_plans (id) on delete set null,
    added_by_id          uuid references people (id) on delete set null,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    constraint succession_candidates_one_per_role unique (critical_role_id, person_id),
    constraint succession_candidates_fit_range check (fit_score between 0 and 100),
    constraint succession_candidates_band_valid
        check (computed_band in ('ready_now', 'one_to_two_years', 'three_plus_years')),
    constraint succession_candidates_override_valid check (band_override is null
        or band_override in ('ready_now', 'one_to_two_years', 'three_plus_years')),
    constraint succession_candidates_override_has_reason
        check (band_override is null or btrim(override_reason) <> ''),
    constraint succession_candidates_override_reason_length check (char_length(override_reason) <= 500)
);
create index succession_candidates_person_idx on succession_candidates (person_id);

-- The bench once a day, company-wide (department_id null) and per top-level department, so
-- the dashboard can say how it changed.
create table bench_snapshots (
    taken_on                date not null,
    department_id           uuid references departments (id) on delete cascade,
    critical_roles          integer not null,
    without_ready_now       integer not null,
    successors              integer not null,
    flight_risk_successors  integer not null,
    created_at              timestamptz not null default now()
);
create unique index bench_snapshots_day_unique on bench_snapshots
    (taken_on, coalesce(department_id, '00000000-0000-0000-0000-000000000000'::uuid));

create trigger critical_roles_touch_updated_at before update on critical_roles
    for each row execute function trellis_touch_updated_at();
create trigger succession_candidates_touch_updated_at before update on succession_candidates
    for each row execute function trellis_touch_updated_at();
