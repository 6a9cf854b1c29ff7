-- Trellis foundation schema: the organisation, the skill taxonomy, the job architecture,
-- the marketplace (opportunities, applications, moves), learning, conversations,
-- notifications, policy, sessions and the audit log.
--
-- Conventions: uuid keys from gen_random_uuid(); small closed vocabularies are text with a
-- named check constraint (easy to extend in a later forward migration); every constraint is
-- named so the application can map a violation to a clear message; created_at/updated_at are
-- kept by the trellis_touch_updated_at() trigger.

create function trellis_touch_updated_at() returns trigger
language plpgsql as $$
begin
    new.updated_at := now();
    return new;
end;
$$;

-- ---------------------------------------------------------------------------------------
-- The organisation
-- ---------------------------------------------------------------------------------------

create table locations (
    id            uuid primary key default gen_random_uuid(),
    name          text not null,
    country_code  text not null,
    timezone      text not null default 'UTC',
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    constraint locations_name_unique unique (name),
    constraint locations_name_not_blank check (btrim(name) <> ''),
    constraint locations_country_code_format check (country_code ~ '^[A-Z]{2}$')
);

create table departments (
    id          uuid primary key default gen_random_uuid(),
    name        text not null,
    parent_id   uuid references departments (id) on delete restrict,
    -- the person who leads the department; set once people exist
    head_id     uuid,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint departments_name_unique unique (name),
    constraint departments_name_not_blank check (btrim(name) <> ''),
    constraint departments_not_own_parent check (parent_id is distinct from id)
);
create index departments_parent_idx on departments (parent_id);

-- ---------------------------------------------------------------------------------------
-- Job architecture: families, levels, job profiles, career paths
-- ---------------------------------------------------------------------------------------

create table job_families (
    id           uuid primary key default gen_random_uuid(),
    name         text not null,
    description  text not null default '',
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    constraint job_families_name_unique unique (name),
    constraint job_families_name_not_blank check (btrim(name) <> '')
);

-- IC1..IC6 for individual contributors, M1..M5 for managers. `rank` orders levels across
-- both tracks (a promotion goes to a higher rank; a lateral move stays within one rank).
create table job_levels (
    id          uuid primary key default gen_random_uuid(),
    code        text not null,
    name        text not null,
    track       text not null,
    rank        smallint not null,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint job_levels_code_unique unique (code),
    constraint job_levels_track_valid check (track in ('individual_contributor', 'manager')),
    constraint job_levels_rank_positive check (rank between 1 and 20)
);

create table job_profiles (
    id           uuid primary key default gen_random_uuid(),
    family_id    uuid not null references job_families (id) on delete restrict,
    level_id     uuid not null references job_levels (id) on delete restrict,
    title        text not null,
    description  text not null default '',
    -- ESCO occupation this profile was imported from, if any
    esco_uri     text,
    retired_at   timestamptz,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    constraint job_profiles_title_unique unique (title),
    constraint job_profiles_esco_uri_unique unique (esco_uri),
    constraint job_profiles_title_not_blank check (btrim(title) <> '')
);
create index job_profiles_family_level_idx on job_profiles (family_id, level_id);

create table career_paths (
    id               uuid primary key default gen_random_uuid(),
    from_profile_id  uuid not null references job_profiles (id) on delete cascade,
    to_profile_id    uuid not null references job_profiles (id) on delete cascade,
    kind             text not null,
    typical_months   smallint not null default 24,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    constraint career_paths_pair_unique unique (from_profile_id, to_profile_id),
    constraint career_paths_not_to_itself check (from_profile_id <> to_profile_id),
    constraint career_paths_kind_valid check (kind in ('promotion', 'lateral')),
    constraint career_paths_typical_months_range check (typical_months between 1 and 240)
);
create index career_paths_to_idx on career_paths (to_profile_id);

-- ---------------------------------------------------------------------------------------
-- People
-- ---------------------------------------------------------------------------------------

create table people (
    id                 uuid primary key default gen_random_uuid(),
    employee_number    text not null,
    email              text not null,
    given_name         text not null,
    family_name        text not null,
    display_name       text not null,
    department_id      uuid references departments (id) on delete restrict,
    manager_id         uuid references people (id) on delete restrict,
    location_id        uuid references locations (id) on delete restrict,
    job_profile_id     uuid references job_profiles (id) on delete restrict,
    hire_date          date not null,
    -- when the person started in their current job profile (policy: time in role)
    role_started_on    date not null,
    employment_status  text not null default 'active',
    terminated_on      date,
    is_hr_admin        boolean not null default false,
    -- people who opt out never appear in talent search
    discoverable       boolean not null default true,
    -- argon2 PHC string; null means the person cannot sign in with a password
    password_hash      text,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    constraint people_employee_number_unique unique (employee_number),
    constraint people_email_format check (email ~ '^[^@\s]+@[^@\s]+$'),
    constraint people_display_name_not_blank check (btrim(display_name) <> ''),
    constraint people_not_own_manager check (manager_id is distinct from id),
    constraint people_employment_status_valid
        check (employment_status in ('active', 'on_leave', 'terminated')),
    constraint people_terminated_has_date
        check ((employment_status = 'terminated') = (terminated_on is not null)),
    constraint people_role_after_hire check (role_started_on >= hire_date)
);
create unique index people_email_unique on people (lower(email));
create index people_manager_idx on people (manager_id);
create index people_department_idx on people (department_id);
create index people_job_profile_idx on people (job_profile_id);
create index people_active_idx on people (employment_status) where employment_status <> 'terminated';

alter table departments
    add constraint departments_head_fk foreign key (head_id) references people (id) on delete set null;

-- ---------------------------------------------------------------------------------------
-- Skill taxonomy
-- ---------------------------------------------------------------------------------------

create table skill_categories (
    id          uuid primary key default gen_random_uuid(),
    name        text not null,
    parent_id   uuid references skill_categories (id) on delete restrict,
    esco_uri    text,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    constraint skill_categories_name_unique unique (name),
    constraint skill_categories_esco_uri_unique unique (esco_uri)
);

create table skills (
    id             uuid primary key default gen_random_uuid(),
    name           text not null,
    category_id    uuid references skill_categories (id) on delete set null,
    description    text not null default '',
    skill_type     text not null default 'skill',
    esco_uri       text,
    -- set when HR edits an imported skill by hand; a re-import never overwrites it
    hand_edited_at timestamptz,
    -- a merged skill points at its survivor and is hidden everywhere
    merged_into_id uuid references skills (id) on delete restrict,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    constraint skills_esco_uri_unique unique (esco_uri),
    constraint skills_name_not_blank check (btrim(name) <> ''),
    constraint skills_skill_type_valid check (skill_type in ('skill', 'knowledge')),
    constraint skills_not_merged_into_itself check (merged_into_id is distinct from id)
);
create unique index skills_name_unique on skills (lower(name));
create index skills_category_idx on skills (category_id);
create index skills_name_prefix_idx on skills (lower(name) text_pattern_ops);

create table skill_aliases (
    id          uuid primary key default gen_random_uuid(),
    skill_id    uuid not null references skills (id) on delete cascade,
    alias       text not null,
    created_at  timestamptz not null default now(),
    constraint skill_aliases_not_blank check (btrim(alias) <> '')
);
create unique index skill_aliases_alias_unique on skill_aliases (lower(alias));
create index skill_aliases_skill_idx on skill_aliases (skill_id);
create index skill_aliases_prefix_idx on skill_aliases (lower(alias) text_pattern_ops);

-- Related skills. Stored in both directions so a lookup needs one index.
create table skill_relations (
    skill_id          uuid not null references skills (id) on delete cascade,
    related_skill_id  uuid not null references skills (id) on delete cascade,
    strength          numeric(3, 2) not null,
    created_at        timestamptz not null default now(),
    constraint skill_relations_pkey primary key (skill_id, related_skill_id),
    constraint skill_relations_not_self check (skill_id <> related_skill_id),
    constraint skill_relations_strength_range check (strength > 0 and strength <= 1)
);

create table job_profile_skills (
    job_profile_id  uuid not null references job_profiles (id) on delete cascade,
    skill_id        uuid not null references skills (id) on delete restrict,
    level           smallint not null,
    importance      text not null default 'essential',
    constraint job_profile_skills_pkey primary key (job_profile_id, skill_id),
    constraint job_profile_skills_level_range check (level between 1 and 5),
    constraint job_profile_skills_importance_valid
        check (importance in ('essential', 'important', 'nice_to_have'))
);
create index job_profile_skills_skill_idx on job_profile_skills (skill_id);

-- ---------------------------------------------------------------------------------------
-- Employee skills and aspirations
-- ---------------------------------------------------------------------------------------

create table person_skills (
    person_id        uuid not null references people (id) on delete cascade,
    skill_id         uuid not null references skills (id) on delete restrict,
    level            smallint not null,
    evidence         text not null default 'self_assessed',
    validated_by_id  uuid references people (id) on delete set null,
    validated_at     timestamptz,
    -- the person offers to mentor others in this skill
    offers_mentoring boolean not null default false,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    constraint person_skills_pkey primary key (person_id, skill_id),
    constraint person_skills_level_range check (level between 1 and 5),
    constraint person_skills_evidence_valid
        check (evidence in ('self_assessed', 'manager_validated', 'course_completed', 'assessed')),
    constraint person_skills_validation_complete
        check (evidence <> 'manager_validated' or (validated_by_id is not null and validated_at is not null))
);
create index person_skills_skill_level_idx on person_skills (skill_id, level);
create index person_skills_mentoring_idx on person_skills (skill_id) where offers_mentoring;

create table aspirations (
    person_id              uuid primary key references people (id) on delete cascade,
    open_to_relocation     boolean not null default false,
    open_to_roles          boolean not null default true,
    open_to_secondments    boolean not null default false,
    open_to_projects       boolean not null default true,
    open_to_mentoring      boolean not null default true,
    weekly_learning_hours  numeric(4, 1) not null default 2,
    summary                text not null default '',
    created_at             timestamptz not null default now(),
    updated_at             timestamptz not null default now(),
    constraint aspirations_weekly_learning_hours_range check (weekly_learning_hours between 0 and 40)
);

create table aspiration_targets (
    person_id       uuid not null references people (id) on delete cascade,
    job_profile_id  uuid not null references job_profiles (id) on delete cascade,
    position        smallint not null default 1,
    created_at      timestamptz not null default now(),
    constraint aspiration_targets_pkey primary key (person_id, job_profile_id)
);
create index aspiration_targets_profile_idx on aspiration_targets (job_profile_id);

-- interests: skills a person wants to grow, or job families they are curious about
create table aspiration_interests (
    id             uuid primary key default gen_random_uuid(),
    person_id      uuid not null references people (id) on delete cascade,
    skill_id       uuid references skills (id) on delete cascade,
    job_family_id  uuid references job_families (id) on delete cascade,
    created_at     timestamptz not null default now(),
    constraint aspiration_interests_one_target check (num_nonnulls(skill_id, job_family_id) = 1)
);
create unique index aspiration_interests_skill_unique on aspiration_interests (person_id, skill_id) where skill_id is not null;
create unique index aspiration_interests_family_unique on aspiration_interests (person_id, job_family_id) where job_family_id is not null;

-- ---------------------------------------------------------------------------------------
-- Opportunities
-- ---------------------------------------------------------------------------------------

create table opportunities (
    id                 uuid primary key default gen_random_uuid(),
    kind               text not null,
    status             text not null default 'draft',
    title              text not null,
    description        text not null default '',
    owner_id           uuid not null references people (id) on delete restrict,
    department_id      uuid not null references departments (id) on delete restrict,
    -- role and secondment: the job profile the mover takes
    job_profile_id     uuid references job_profiles (id) on delete restrict,
    location_id        uuid references locations (id) on delete restrict,
    work_mode          text not null default 'onsite',
    positions          smallint not null default 1,
    positions_filled   smallint not null default 0,
    hours_per_week     numeric(4, 1),
    duration_weeks     smallint,
    start_date         date,
    end_date           date,
    return_guaranteed  boolean,
    closes_on          date,
    published_at       timestamptz,
    closed_at          timestamptz,
    filled_at          timestamptz,
    search             tsvector generated always as (
                           setweight(to_tsvector('english', coalesce(title, '')), 'A')
                           || setweight(to_tsvector('english', coalesce(description, '')), 'B')
                       ) stored,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    constraint opportunities_kind_valid check (kind in ('role', 'secondment', 'project', 'mentorship')),
    constraint opportunities_status_valid check (status in ('draft', 'open', 'closed', 'filled')),
    constraint opportunities_title_not_blank check (btrim(title) <> ''),
    constraint opportunities_work_mode_valid check (work_mode in ('onsite', 'hybrid', 'remote')),
    constraint opportunities_positions_range check (positions between 1 and 500),
    constraint opportunities_positions_filled_range check (positions_filled between 0 and positions),
    constraint opportunities_hours_range check (hours_per_week is null or hours_per_week > 0 and hours_per_week <= 40),
    constraint opportunities_dates_ordered check (end_date is null or start_date is null or end_date > start_date),
    constraint opportunities_secondment_dates
        check (kind <> 'secondment' or (start_date is not null and end_date is not null)),
    constraint opportunities_project_hours
        check (kind <> 'project' or hours_per_week is not null),
    constraint opportunities_published_when_live
        check (status = 'draft' or published_at is not null)
);
create index opportunities_status_kind_idx on opportunities (status, kind);
create index opportunities_owner_idx on opportunities (owner_id);
create index opportunities_department_idx on opportunities (department_id);
create index opportunities_published_idx on opportunities (published_at desc) where status = 'open';
create index opportunities_search_idx on opportunities using gin (search);

create table opportunity_skills (
    opportunity_id  uuid not null references opportunities (id) on delete cascade,
    skill_id        uuid not null references skills (id) on delete restrict,
    level           smallint not null,
    importance      text not null default 'essential',
    constraint opportunity_skills_pkey primary key (opportunity_id, skill_id),
    constraint opportunity_skills_level_range check (level between 1 and 5),
    constraint opportunity_skills_importance_valid
        check (importance in ('essential', 'important', 'nice_to_have'))
);
create index opportunity_skills_skill_idx on opportunity_skills (skill_id);

create table opportunity_questions (
    id              uuid primary key default gen_random_uuid(),
    opportunity_id  uuid not null references opportunities (id) on delete cascade,
    position        smallint not null,
    prompt          text not null,
    required        boolean not null default false,
    constraint opportunity_questions_position_unique unique (opportunity_id, position),
    constraint opportunity_questions_prompt_not_blank check (btrim(prompt) <> '')
);

-- every published change to an opportunity, as a snapshot
create table opportunity_revisions (
    id              bigint generated always as identity primary key,
    opportunity_id  uuid not null references opportunities (id) on delete cascade,
    changed_by_id   uuid references people (id) on delete set null,
    changed_at      timestamptz not null default now(),
    summary         text not null default '',
    snapshot        jsonb not null
);
create index opportunity_revisions_opportunity_idx on opportunity_revisions (opportunity_id, changed_at);

create table saved_opportunities (
    person_id       uuid not null references people (id) on delete cascade,
    opportunity_id  uuid not null references opportunities (id) on delete cascade,
    created_at      timestamptz not null default now(),
    constraint saved_opportunities_pkey primary key (person_id, opportunity_id)
);

-- a manager invites someone who has not applied
create table invitations (
    id              uuid primary key default gen_random_uuid(),
    opportunity_id  uuid not null references opportunities (id) on delete cascade,
    person_id       uuid not null references people (id) on delete cascade,
    invited_by_id   uuid not null references people (id) on delete restrict,
    message         text not null default '',
    created_at      timestamptz not null default now(),
    constraint invitations_once unique (opportunity_id, person_id)
);
create index invitations_person_idx on invitations (person_id);

-- ---------------------------------------------------------------------------------------
-- Applications
-- ---------------------------------------------------------------------------------------

create table applications (
    id                    uuid primary key default gen_random_uuid(),
    opportunity_id        uuid not null references opportunities (id) on delete restrict,
    applicant_id          uuid not null references people (id) on delete restrict,
    status                text not null default 'submitted',
    motivation            text not null default '',
    -- fit score when submitted, kept for reporting
    fit_score             smallint,
    -- project hours need the current manager's approval
    manager_approval      text not null default 'not_needed',
    manager_approval_by_id uuid references people (id) on delete set null,
    manager_approval_at   timestamptz,
    -- when the applicant's current manager was told (policy stage reached)
    manager_informed_at   timestamptz,
    submitted_at          timestamptz not null default now(),
    decided_at            timestamptz,
    created_at            timestamptz not null default now(),
    updated_at            timestamptz not null default now(),
    constraint applications_status_valid check (status in (
        'submitted', 'in_review', 'interviewing', 'offered', 'accepted',
        'declined', 'rejected', 'withdrawn')),
    constraint applications_manager_approval_valid
        check (manager_approval in ('not_needed', 'pending', 'approved', 'declined')),
    constraint applications_fit_score_range check (fit_score is null or fit_score between 0 and 100)
);
-- one live application per person and opening
create unique index applications_one_active_per_opportunity on applications (opportunity_id, applicant_id)
    where status in ('submitted', 'in_review', 'interviewing', 'offered', 'accepted');
create index applications_applicant_idx on applications (applicant_id, status);
create index applications_opportunity_idx on applications (opportunity_id, status);
create index applications_pending_approval_idx on applications (manager_approval) where manager_approval = 'pending';

create table application_answers (
    application_id  uuid not null references applications (id) on delete cascade,
    question_id     uuid not null references opportunity_questions (id) on delete cascade,
    answer          text not null,
    constraint application_answers_pkey primary key (application_id, question_id)
);

-- the full status history; from_status is null for the submission itself
create table application_events (
    id              bigint generated always as identity primary key,
    application_id  uuid not null references applications (id) on delete cascade,
    from_status     text,
    to_status       text not null,
    actor_id        uuid references people (id) on delete set null,
    reason          text not null default '',
    occurred_at     timestamptz not null default now()
);
create index application_events_application_idx on application_events (application_id, occurred_at);
create index application_events_occurred_idx on application_events (occurred_at);

-- ---------------------------------------------------------------------------------------
-- Moves
-- ---------------------------------------------------------------------------------------

create table moves (
    id                  uuid primary key default gen_random_uuid(),
    person_id           uuid not null references people (id) on delete restrict,
    kind                text not null,
    source              text not null,
    from_profile_id     uuid references job_profiles (id) on delete restrict,
    to_profile_id       uuid references job_profiles (id) on delete restrict,
    from_department_id  uuid references departments (id) on delete restrict,
    to_department_id    uuid references departments (id) on delete restrict,
    effective_on        date not null,
    -- a secondment's planned return; a project assignment's planned end
    planned_end_on      date,
    -- the date the current manager must release the mover by
    release_on          date,
    opportunity_id      uuid references opportunities (id) on delete set null,
    application_id      uuid references applications (id) on delete set null,
    -- a secondment_end points back to its secondment_start
    related_move_id     uuid references moves (id) on delete set null,
    recorded_by_id      uuid references people (id) on delete set null,
    created_at          timestamptz not null default now(),
    constraint moves_kind_valid check (kind in (
        'promotion', 'lateral_move', 'secondment_start', 'secondment_end',
        'project_assignment', 'external_hire', 'leaver')),
    constraint moves_source_valid check (source in ('marketplace', 'import', 'external_hire', 'leaver'))
);
create index moves_person_idx on moves (person_id, effective_on);
create index moves_effective_idx on moves (effective_on, kind);
create index moves_departments_idx on moves (from_department_id, to_department_id);
create index moves_opportunity_idx on moves (opportunity_id) where opportunity_id is not null;

-- ---------------------------------------------------------------------------------------
-- Learning
-- ---------------------------------------------------------------------------------------

create table courses (
    id           uuid primary key default gen_random_uuid(),
    title        text not null,
    description  text not null default '',
    format       text not null,
    provider     text not null default '',
    author_id    uuid references people (id) on delete set null,
    hours        numeric(5, 1) not null,
    url          text,
    retired_at   timestamptz,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    constraint courses_title_unique unique (title),
    constraint courses_title_not_blank check (btrim(title) <> ''),
    constraint courses_format_valid check (format in ('e_learning', 'workshop', 'on_the_job', 'external')),
    constraint courses_hours_range check (hours > 0 and hours <= 2000)
);

-- the skills a course develops: a learner at entry_level or above reaches target_level
create table course_skills (
    course_id     uuid not null references courses (id) on delete cascade,
    skill_id      uuid not null references skills (id) on delete restrict,
    entry_level   smallint not null default 0,
    target_level  smallint not null,
    constraint course_skills_pkey primary key (course_id, skill_id),
    constraint course_skills_entry_range check (entry_level between 0 and 4),
    constraint course_skills_target_range check (target_level between 1 and 5),
    constraint course_skills_target_above_entry check (target_level > entry_level)
);
create index course_skills_skill_idx on course_skills (skill_id, target_level);

create table enrolments (
    id            uuid primary key default gen_random_uuid(),
    course_id     uuid not null references courses (id) on delete restrict,
    person_id     uuid not null references people (id) on delete cascade,
    status        text not null default 'enrolled',
    progress_pct  smallint not null default 0,
    enrolled_at   timestamptz not null default now(),
    completed_at  timestamptz,
    updated_at    timestamptz not null default now(),
    constraint enrolments_status_valid check (status in ('enrolled', 'in_progress', 'completed', 'dropped')),
    constraint enrolments_progress_range check (progress_pct between 0 and 100),
    constraint enrolments_completed_has_date check ((status = 'completed') = (completed_at is not null))
);
create unique index enrolments_one_active on enrolments (course_id, person_id) where status <> 'dropped';
create index enrolments_person_idx on enrolments (person_id);
create index enrolments_completed_idx on enrolments (completed_at) where completed_at is not null;

create table development_plans (
    id                 uuid primary key default gen_random_uuid(),
    person_id          uuid not null references people (id) on delete cascade,
    target_profile_id  uuid references job_profiles (id) on delete set null,
    title              text not null,
    status             text not null default 'active',
    target_date        date,
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    constraint development_plans_status_valid check (status in ('active', 'completed', 'abandoned'))
);
create index development_plans_person_idx on development_plans (person_id);

create table development_plan_steps (
    id              uuid primary key default gen_random_uuid(),
    plan_id         uuid not null references development_plans (id) on delete cascade,
    position        smallint not null,
    kind            text not null,
    title           text not null,
    course_id       uuid references courses (id) on delete set null,
    opportunity_id  uuid references opportunities (id) on delete set null,
    skill_id        uuid references skills (id) on delete set null,
    due_on          date,
    done_at         timestamptz,
    constraint development_plan_steps_position_unique unique (plan_id, position),
    constraint development_plan_steps_kind_valid check (kind in ('course', 'mentorship', 'project', 'other'))
);

-- a mentee asks a mentor for guidance in a skill
create table mentorship_requests (
    id            uuid primary key default gen_random_uuid(),
    mentor_id     uuid not null references people (id) on delete cascade,
    mentee_id     uuid not null references people (id) on delete cascade,
    skill_id      uuid references skills (id) on delete set null,
    opportunity_id uuid references opportunities (id) on delete set null,
    message       text not null default '',
    status        text not null default 'requested',
    responded_at  timestamptz,
    created_at    timestamptz not null default now(),
    constraint mentorship_requests_status_valid check (status in ('requested', 'accepted', 'declined', 'ended')),
    constraint mentorship_requests_not_self check (mentor_id <> mentee_id)
);
create index mentorship_requests_mentor_idx on mentorship_requests (mentor_id, status);
create index mentorship_requests_mentee_idx on mentorship_requests (mentee_id);

-- ---------------------------------------------------------------------------------------
-- Career conversations (visible to the employee, the manager who held it, and HR)
-- ---------------------------------------------------------------------------------------

create table career_conversations (
    id                 uuid primary key default gen_random_uuid(),
    person_id          uuid not null references people (id) on delete cascade,
    manager_id         uuid not null references people (id) on delete restrict,
    held_on            date not null,
    aspirations_heard  text not null default '',
    notes              text not null default '',
    created_at         timestamptz not null default now(),
    updated_at         timestamptz not null default now(),
    constraint career_conversations_not_self check (person_id <> manager_id)
);
create index career_conversations_person_idx on career_conversations (person_id, held_on desc);
create index career_conversations_manager_idx on career_conversations (manager_id, held_on desc);

create table conversation_actions (
    id               uuid primary key default gen_random_uuid(),
    conversation_id  uuid not null references career_conversations (id) on delete cascade,
    description      text not null,
    owner_id         uuid references people (id) on delete set null,
    due_on           date,
    done_at          timestamptz,
    constraint conversation_actions_not_blank check (btrim(description) <> '')
);
create index conversation_actions_conversation_idx on conversation_actions (conversation_id);

-- ---------------------------------------------------------------------------------------
-- Notifications and job alerts
-- ---------------------------------------------------------------------------------------

create table notifications (
    id              uuid primary key default gen_random_uuid(),
    person_id       uuid not null references people (id) on delete cascade,
    kind            text not null,
    title           text not null,
    body            text not null default '',
    link            text,
    opportunity_id  uuid references opportunities (id) on delete cascade,
    application_id  uuid references applications (id) on delete cascade,
    read_at         timestamptz,
    created_at      timestamptz not null default now()
);
create index notifications_person_idx on notifications (person_id, created_at desc);
create index notifications_unread_idx on notifications (person_id) where read_at is null;
-- a job alert never tells a person twice about one opening
create unique index notifications_alert_once on notifications (person_id, opportunity_id)
    where kind = 'job_alert';

create table saved_searches (
    id          uuid primary key default gen_random_uuid(),
    person_id   uuid not null references people (id) on delete cascade,
    name        text not null,
    query       jsonb not null default '{}'::jsonb,
    -- alert when an opening fits at or above this score (null: no fit threshold)
    min_fit     smallint,
    alerts      boolean not null default true,
    created_at  timestamptz not null default now(),
    constraint saved_searches_min_fit_range check (min_fit is null or min_fit between 0 and 100)
);
create index saved_searches_person_idx on saved_searches (person_id);

-- ---------------------------------------------------------------------------------------
-- Mobility policy: append-only versions; the newest whose effective_from has passed applies
-- ---------------------------------------------------------------------------------------

create table mobility_policies (
    id                           bigint generated always as identity primary key,
    min_months_in_role           smallint not null default 12,
    manager_informed_at          text not null default 'interviewing',
    max_active_applications      smallint not null default 5,
    project_needs_manager_approval boolean not null default true,
    max_release_weeks            smallint not null default 8,
    stale_self_assessment_months smallint not null default 24,
    effective_from               timestamptz not null default now(),
    changed_by_id                uuid references people (id) on delete set null,
    created_at                   timestamptz not null default now(),
    constraint mobility_policies_min_months_range check (min_months_in_role between 0 and 120),
    constraint mobility_policies_informed_stage_valid check (manager_informed_at in (
        'submitted', 'in_review', 'interviewing', 'offered', 'accepted')),
    constraint mobility_policies_max_active_range check (max_active_applications between 1 and 100),
    constraint mobility_policies_release_range check (max_release_weeks between 0 and 52),
    constraint mobility_policies_stale_range check (stale_self_assessment_months between 1 and 240)
);
insert into mobility_policies default values;

-- ---------------------------------------------------------------------------------------
-- Sign-in sessions (server side; the cookie holds a random token, the table its SHA-256)
-- ---------------------------------------------------------------------------------------

create table sessions (
    token_hash    bytea primary key,
    person_id     uuid not null references people (id) on delete cascade,
    csrf_token    text not null,
    user_agent    text not null default '',
    created_at    timestamptz not null default now(),
    last_seen_at  timestamptz not null default now(),
    expires_at    timestamptz not null
);
create index sessions_person_idx on sessions (person_id);
create index sessions_expires_idx on sessions (expires_at);

-- ---------------------------------------------------------------------------------------
-- Audit log: append-only, enforced by a trigger
-- ---------------------------------------------------------------------------------------

create table audit_log (
    id           bigint generated always as identity primary key,
    occurred_at  timestamptz not null default now(),
    actor_id     uuid references people (id) on delete set null,
    actor_kind   text not null default 'person',
    action       text not null,
    entity_type  text not null,
    entity_id    text,
    details      jsonb not null default '{}'::jsonb,
    request_id   text,
    constraint audit_log_actor_kind_valid check (actor_kind in ('person', 'api_token', 'system'))
);
create index audit_log_occurred_idx on audit_log (occurred_at desc);
create index audit_log_entity_idx on audit_log (entity_type, entity_id);
create index audit_log_actor_idx on audit_log (actor_id, occurred_at desc);

create function trellis_audit_log_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'audit_log is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
end;
$$;

create trigger audit_log_no_update before update or delete on audit_log
    for each row execute function trellis_audit_log_append_only();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function trellis_audit_log_append_only();

-- updated_at triggers
do $$
declare t text;
begin
    foreach t in array array[
        'locations', 'departments', 'job_families', 'job_levels', 'job_profiles', 'career_paths',
        'people', 'skill_categories', 'skills', 'person_skills', 'aspirations', 'opportunities',
        'applications', 'courses', 'enrolments', 'development_plans', 'career_conversations']
    loop
        execute format(
            'create trigger %I before update on %I for each row execute function trellis_touch_updated_at()',
            t || '_touch_updated_at', t);
    end loop;
end;
$$;
