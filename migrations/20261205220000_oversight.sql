-- HR oversight of every opening (issue 18): the reminders and escalations sent for work left
-- waiting, so each is sent once per stall, whichever app server runs the worker.

create table oversight_reminders (
    id            bigint generated always as identity primary key,
    -- 'application' (the owner must act), 'approval' (the applicant's manager must approve
    -- project hours) or 'release' (the mover's manager holds them past the policy)
    subject_kind  text not null,
    subject_id    uuid not null,
    -- 'reminder' to the manager who owes the action, 'escalation' to HR
    level         text not null,
    -- when the wait began (the last action): a new stall gets new reminders
    waiting_since timestamptz not null,
    sent_to_id    uuid references people (id) on delete set null,
    sent_at       timestamptz not null default now(),
    constraint oversight_reminders_kind_valid check (subject_kind in ('application', 'approval', 'release')),
    constraint oversight_reminders_level_valid check (level in ('reminder', 'escalation')),
    constraint oversight_reminders_once unique (subject_kind, subject_id, level, waiting_since)
);
create index oversight_reminders_subject_idx on oversight_reminders (subject_kind, subject_id);
