-- Foreign keys to people without an index make deleting or merging a person scan these tables
-- once per person. Index them (partial: most rows have no value).
create index departments_head_idx on departments (head_id) where head_id is not null;
create index person_skills_validated_by_idx on person_skills (validated_by_id) where validated_by_id is not null;
create index courses_author_idx on courses (author_id) where author_id is not null;
create index moves_recorded_by_idx on moves (recorded_by_id) where recorded_by_id is not null;
create index applications_manager_approval_by_idx on applications (manager_approval_by_id)
    where manager_approval_by_id is not null;
create index invitations_invited_by_idx on invitations (invited_by_id);
create index conversation_actions_owner_idx on conversation_actions (owner_id) where owner_id is not null;
create index application_events_actor_idx on application_events (actor_id) where actor_id is not null;
create index opportunity_revisions_changed_by_idx on opportunity_revisions (changed_by_id)
    where changed_by_id is not null;
create index mobility_policies_changed_by_idx on mobility_policies (changed_by_id) where changed_by_id is not null;
