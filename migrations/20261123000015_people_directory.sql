-- HR's people directory finds people by any part of their name or email
-- (`ilike '%...%'`): trigram indexes keep that an index scan at 200,000 people.
create index people_display_name_trgm_idx on people using gin (display_name gin_trgm_ops);
create index people_email_trgm_idx on people using gin (email gin_trgm_ops);

-- the directory's default order
create index people_display_name_idx on people (display_name, id);
