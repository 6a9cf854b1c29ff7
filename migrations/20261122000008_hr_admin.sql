-- HR admin: trigram search over skill names and aliases, so an import can suggest the closest
-- known skill for a name it does not know ("did you mean ...?"), and the taxonomy admin can
-- search by part of a word.

create extension if not exists pg_trgm;

create index skills_name_trgm_idx on skills using gist (lower(name) gist_trgm_ops);
create index skill_aliases_alias_trgm_idx on skill_aliases using gist (lower(alias) gist_trgm_ops);
