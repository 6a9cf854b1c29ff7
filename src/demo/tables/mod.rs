//! The model as COPY tables, one function per table, in dependency order.

mod activity;
mod market;
mod people;
mod reference;

use super::model::Model;
use super::org::Org;
use super::pgcopy::Table;
use super::random::Stamp;

/// When the company's reference data was first recorded: twelve years ago.
pub const FOUNDED: Stamp = Stamp(-4380 * 86_400 + 9 * 3600);

/// The offices, the taxonomy and the job architecture.
pub fn reference_tables(m: &Model) -> Vec<Table<'_>> {
    let (t, org) = (&m.taxonomy, &m.org);
    vec![
        reference::locations(org),
        reference::skill_categories(t),
        reference::skills(t),
        reference::skill_aliases(t),
        reference::skill_relations(t),
        reference::job_families(t),
        reference::job_levels(t),
        reference::job_profiles(t),
        reference::job_profile_skills(t),
        reference::career_paths(t),
    ]
}

/// The departments, with their heads or without (when people are not loaded yet).
pub fn departments(org: &Org, with_heads: bool) -> Table<'_> {
    reference::departments(org, with_heads)
}

/// People, their skills and aspirations, and the course catalogue.
pub fn people_tables<'m>(m: &'m Model, password_hash: &'m str) -> Vec<Table<'m>> {
    vec![
        people::people(m, password_hash),
        people::person_skills(m),
        people::aspirations(m),
        people::aspiration_targets(m),
        people::aspiration_interests(m),
        people::courses(m),
        people::course_skills(m),
    ]
}

/// The marketplace, moves, learning and the social tables.
pub fn activity_tables(m: &Model) -> Vec<Table<'_>> {
    vec![
        market::opportunities(m),
        market::opportunity_skills(m),
        market::opportunity_questions(m),
        market::saved_opportunities(m),
        market::invitations(m),
        market::applications(m),
        market::application_answers(m),
        market::application_events(m),
        market::moves(m),
        activity::enrolments(m),
        activity::development_plans(m),
        activity::development_plan_steps(m),
        activity::mentorship_requests(m),
        activity::career_conversations(m),
        activity::conversation_actions(m),
        activity::notifications(m),
    ]
}
