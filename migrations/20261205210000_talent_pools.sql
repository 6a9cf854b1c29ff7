-- Talent pools (issue 18): named groups of people HR builds from filters or by hand, used as
-- a filter in talent search and on the dashboard.

create table talent_pools (
    id             uuid primary key default gen_random_uuid(),
    name           text not null,
    kind           text not null default 'other',
    description    text not null default '',
    -- the filters the pool was first filled from (department, family, level, skill), shown on
    -- the pool's page
    criteria       jsonb not null default '{}'::jsonb,
    created_by_id  uuid references people (id) on delete set null,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    constraint talent_pools_name_unique unique (name),
    constraint talent_pools_name_not_blank check (btrim(name) <> ''),
    constraint talent_pools_name_length check (char_length(name) <= 200),
    constraint talent_pools_description_length check (char_length(description) <= 2000),
    constraint talent_pools_kind_valid check (kind in (
        'high_potential', 'graduate_programme', 'future_leaders', 'other'))
);

create table talent_pool_members (
    pool_id      uuid not null references talent_pools (id) on delete cascade,
    person_id    uuid not null references people (id) on delete cascade,
    -- 'filter' when the pool's filters brought them in, 'hand' when HR added them
    added_how    text not null default 'hand',
    added_by_id  uuid references people (id) on delete set null,
    created_at   timestamptz not null default now(),
    constraint talent_pool_members_pkey primary key (pool_id, person_id),
    constraint talent_pool_members_added_how_valid check (added_how in ('filter', 'hand'))
);
create index talent_pool_members_person_idx on talent_pool_members (person_id);

create trigger talent_pools_touch_updated_at before update on talent_pools
    for each row execute function trellis_touch_updated_at();
