-- The matching index now also reads where a person works (for the relocation preference)
-- and the job architecture (each profile's level rank, for the direction of a move, and the
-- titles and family names its reasons show). Tell it when these change.

drop trigger people_notify_matching on people;
create trigger people_notify_matching
    after insert or delete
    or update of employment_status, discoverable, role_started_on, job_profile_id, location_id on people
    for each row execute function trellis_notify_people();

-- Rare changes: one coarse notification per statement, and the index is rebuilt.
create trigger job_profiles_notify_matching after insert or update or delete on job_profiles
    for each statement execute function trellis_notify_channel('architecture');
create trigger job_levels_notify_matching after insert or update or delete on job_levels
    for each statement execute function trellis_notify_channel('architecture');
create trigger job_families_notify_matching after insert or update or delete on job_families
    for each statement execute function trellis_notify_channel('architecture');
