-- HR admin: trigram similarity over skill names, so an import can suggest the closest known
-- skill for a name it does not know ("did you mean ...?"). The GiST index answers the
-- nearest-neighbour `<->` ordering. (Aliases get no trigram index: ESCO brings some 85,000 of
-- them, a trigram index makes their bulk insert several times slower, and the taxonomy page's
-- search by part of an alias scans them in milliseconds.)

create extension if not exists pg_trgm;

create index skills_name_trgm_idx on skills using gist (lower(name) gist_trgm_ops);

-- A retired course stays on the enrolments it has, but no one can enrol in it any more
-- (history loaded in bulk, such as the demo's, may hold enrolments from before retirement).
create function trellis_refuse_retired_course() returns trigger
language plpgsql as $$
begin
    if not trellis_matching_bulk() and exists (
        select 1 from courses where id = new.course_id and retired_at <= new.enrolled_at) then
        raise exception 'course % is retired', new.course_id
            using errcode = 'check_violation', constraint = 'enrolments_course_not_retired';
    end if;
    return new;
end;
$$;

create trigger enrolments_course_not_retired before insert on enrolments
    for each row execute function trellis_refuse_retired_course();
