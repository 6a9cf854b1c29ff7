-- The employee's marketplace: the job-alert worker's watermark, shared by every app server.

-- one row: openings published after `published_before` have not been alerted yet
create table job_alert_runs (
    id                smallint primary key default 1,
    published_before  timestamptz not null default now(),
    ran_at            timestamptz not null default now(),
    alerts_created    integer not null default 0,
    constraint job_alert_runs_single_row check (id = 1),
    constraint job_alert_runs_alerts_non_negative check (alerts_created >= 0)
);

-- saved openings listed newest first per person
create index saved_opportunities_person_idx on saved_opportunities (person_id, created_at desc);
