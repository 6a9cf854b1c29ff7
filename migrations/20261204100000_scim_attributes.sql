-- SCIM (issue 16): what identity providers send about people and groups, kept as sent.

-- The SCIM userName when it is not the work email (Okta and Entra ID may use a short login
-- or a UPN); null means the userName is `email`. Unique whatever its form, ignoring case.
alter table people add column user_name text;
alter table people add constraint people_user_name_length check (char_length(user_name) <= 320) not valid;
create unique index people_user_name_unique on people (lower(coalesce(user_name, email)));

-- The job title the identity provider sends (free text, not a Trellis job profile).
alter table people add column title text;
alter table people add constraint people_title_length check (char_length(title) <= 200) not valid;

-- emails, phoneNumbers and addresses as SCIM sends them: arrays of objects with the
-- sub-attributes the schema lists (checked by the SCIM door); the work email is also `email`.
-- Null: nothing sent (emails is then the work email alone).
alter table people add column scim_emails jsonb;
alter table people add column phone_numbers jsonb;
alter table people add column addresses jsonb;
alter table people add constraint people_scim_emails_shape
    check (jsonb_typeof(scim_emails) = 'array' and jsonb_array_length(scim_emails) <= 10) not valid;
alter table people add constraint people_phone_numbers_shape
    check (jsonb_typeof(phone_numbers) = 'array' and jsonb_array_length(phone_numbers) <= 10) not valid;
alter table people add constraint people_addresses_shape
    check (jsonb_typeof(addresses) = 'array' and jsonb_array_length(addresses) <= 10) not valid;

-- A Group's externalId (the identity provider's id for it).
alter table departments add column external_id text;
alter table departments add constraint departments_external_id_length check (char_length(external_id) <= 256) not valid;
create unique index departments_external_id_unique on departments (external_id) where external_id is not null;
