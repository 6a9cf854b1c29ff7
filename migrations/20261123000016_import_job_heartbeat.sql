-- A running import job's server writes this every few seconds. When it stops (the server died
-- or restarted), the import's transaction rolled back with it, and whoever shows the job
-- next marks it failed instead of "running" for ever.
alter table import_jobs add column heartbeat_at timestamptz not null default now();
