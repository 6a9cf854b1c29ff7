-- A skill the taxonomy lacks, proposed by whoever needed it (from their profile or a posting
-- form) and decided by HR: approved as a new skill, approved as an alias of an existing one,
-- or rejected with a note. Nobody meets a dead end when a skill is missing.
create table skill_proposals (
    id              uuid primary key default gen_random_uuid(),
    name            text collate trellis_names not null,
    description     text not null default '',
    proposed_by_id  uuid not null references people (id) on delete cascade,
    -- where it was proposed from: 'profile' (the proposer holds it) or 'posting'
    source          text not null,
    -- the level the proposer holds (a profile proposal): added to their profile on approval
    level           smallint,
    status          text not null default 'pending',
    -- the skill it became (or the existing skill it became an alias of)
    skill_id        uuid references skills (id) on delete set null,
    decided_by_id   uuid references people (id) on delete set null,
    decided_at      timestamptz,
    decision_note   text not null default '',
    created_at      timestamptz not null default now(),
    constraint skill_proposals_source_valid check (source in ('profile', 'posting')),
    constraint skill_proposals_status_valid check (status in ('pending', 'approved', 'rejected')),
    constraint skill_proposals_level_range check (level is null or level between 1 and 5),
    constraint skill_proposals_name_not_blank check (btrim(name) <> ''),
    constraint skill_proposals_name_length check (char_length(name) <= 300),
    constraint skill_proposals_description_length check (char_length(description) <= 2000),
    constraint skill_proposals_decision_note_length check (char_length(decision_note) <= 2000)
);
-- One pending proposal per name and person; HR's queue is read oldest first.
create unique index skill_proposals_pending_name on skill_proposals (proposed_by_id, lower(name))
    where status = 'pending';
create index skill_proposals_queue on skill_proposals (created_at) where status = 'pending';
create index skill_proposals_by_person on skill_proposals (proposed_by_id, created_at desc);
