-- Names sort as people expect, whatever the cluster's locale: "apple", "Banana", "cherry",
-- "Émile", not every capital before every small letter (the private cluster is created with
-- `initdb --no-locale`, whose C collation sorts by byte). `trellis_names` is ICU's root
-- collation (the Unicode Collation Algorithm's default order, the same in every language
-- to a first approximation), deterministic, so equality and unique indexes are unchanged.
-- A PostgreSQL built without ICU keeps byte order under the same name.
do $$
begin
  if exists (select 1 from pg_collation where collprovider = 'i') then
    create collation if not exists trellis_names (provider = icu, locale = 'und');
  else
    create collation if not exists trellis_names from "C";
  end if;
end
$$;

alter table skills alter column name type text collate trellis_names;
alter table skill_categories alter column name type text collate trellis_names;
alter table people alter column display_name type text collate trellis_names;
alter table departments alter column name type text collate trellis_names;
alter table locations alter column name type text collate trellis_names;
alter table job_families alter column name type text collate trellis_names;
alter table job_profiles alter column title type text collate trellis_names;
alter table courses alter column title type text collate trellis_names;
