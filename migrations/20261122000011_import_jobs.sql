-- Imports started from the upload page run in the background; the page polls this row, so any
-- app server can show the progress and the outcome of an import another one is running.
create table import_jobs (
    id             uuid primary key default gen_random_uuid(),
    kind           text not null,
    keep_clean     boolean not null default false,
    status         text not null default 'running',
    -- what the import is doing now, for people ("Reading the file", "Checking managers", ...)
    phase          text not null default 'Starting',
    rows_read      bigint not null default 0,
    -- the import's report (problems by line and column, counts) once it is done
    report         jsonb,
    error          text,
    started_by_id  uuid references people (id) on delete set null,
    started_at     timestamptz not null default now(),
    finished_at    timestamptz,
    constraint import_jobs_status_valid check (status in ('running', 'done', 'failed')),
    constraint import_jobs_finished_when_ended
        check ((status = 'running') = (finished_at is null))
);
create index import_jobs_started_idx on import_jobs (started_at desc);
