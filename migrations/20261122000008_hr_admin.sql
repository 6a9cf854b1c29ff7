-- HR admin: trigram similarity over skill names, so an import can suggest the closest known
-- skill for a name it does not know ("did you mean ...?"). The GiST index answers the
-- nearest-neighbour `<->` ordering. (Aliases get no trigram index: ESCO brings some 85,000 of
-- them, a trigram index makes their bulk insert several times slower, and the taxonomy page's
-- search by part of an alias scans them in milliseconds.)

create extension if not exists pg_trgm;

create index skills_name_trgm_idx on skills using gist (lower(name) gist_trgm_ops);
