//! Learning activity, plans, mentorship, conversations and notifications.

use crate::demo::model::Model;
use crate::demo::pgcopy::Table;

/// Rows of `enrolments`.
pub fn enrolments(m: &Model) -> Table<'_> {
    let columns =
        "id, course_id, person_id, status, progress_pct, enrolled_at, completed_at, updated_at";
    Table::new(
        "enrolments",
        columns,
        m.learning.enrolments.len(),
        move |i, w| {
            let e = &m.learning.enrolments[i];
            w.uuid(e.id)
                .uuid(m.course(e.course))
                .uuid(m.person(e.person))
                .text(e.status.as_str())
                .int(e.progress.into())
                .stamp(e.enrolled)
                .opt_stamp(e.completed)
                .stamp(e.updated);
        },
    )
}

/// Rows of `development_plans`.
pub fn development_plans(m: &Model) -> Table<'_> {
    let columns =
        "id, person_id, target_profile_id, title, status, target_date, created_at, updated_at";
    Table::new(
        "development_plans",
        columns,
        m.plans.plans.len(),
        move |i, w| {
            let p = &m.plans.plans[i];
            w.uuid(p.id)
                .uuid(m.person(p.person))
                .uuid(m.profile(p.target))
                .text(&p.title)
                .text(p.status)
                .day(p.target_date)
                .stamp(p.created)
                .stamp(p.updated);
        },
    )
}

/// Rows of `development_plan_steps`.
pub fn development_plan_steps(m: &Model) -> Table<'_> {
    let columns =
        "id, plan_id, position, kind, title, course_id, opportunity_id, skill_id, due_on, done_at";
    Table::new(
        "development_plan_steps",
        columns,
        m.plans.steps.len(),
        move |i, w| {
            let s = &m.plans.steps[i];
            w.uuid(s.id)
                .uuid(m.plans.plans[s.plan as usize].id)
                .int(s.position.into())
                .text(s.kind)
                .text(&s.title)
                .opt_uuid(s.course.map(|c| m.course(c)))
                .opt_uuid(s.opportunity.map(|o| m.opportunity(o)))
                .opt_uuid(s.skill.map(|k| m.skill(k)))
                .day(s.due)
                .opt_stamp(s.done);
        },
    )
}

/// Rows of `mentorship_requests`.
pub fn mentorship_requests(m: &Model) -> Table<'_> {
    let columns = "id, mentor_id, mentee_id, skill_id, message, status, responded_at, created_at";
    Table::new(
        "mentorship_requests",
        columns,
        m.social.mentorship_requests.len(),
        move |i, w| {
            let r = &m.social.mentorship_requests[i];
            w.uuid(r.id)
                .uuid(m.person(r.mentor))
                .uuid(m.person(r.mentee))
                .uuid(m.skill(r.skill))
                .text(r.message)
                .text(r.status.as_str())
                .opt_stamp(r.responded)
                .stamp(r.created);
        },
    )
}

/// Rows of `career_conversations`.
pub fn career_conversations(m: &Model) -> Table<'_> {
    let columns =
        "id, person_id, manager_id, held_on, aspirations_heard, notes, created_at, updated_at";
    Table::new(
        "career_conversations",
        columns,
        m.social.conversations.len(),
        move |i, w| {
            let c = &m.social.conversations[i];
            w.uuid(c.id)
                .uuid(m.person(c.person))
                .uuid(m.person(c.manager))
                .day(c.held)
                .text(&c.heard)
                .text(c.notes)
                .stamp(c.created)
                .stamp(c.created);
        },
    )
}

/// Rows of `conversation_actions`.
pub fn conversation_actions(m: &Model) -> Table<'_> {
    let columns = "id, conversation_id, description, owner_id, due_on, done_at";
    Table::new(
        "conversation_actions",
        columns,
        m.social.actions.len(),
        move |i, w| {
            let a = &m.social.actions[i];
            w.uuid(a.id)
                .uuid(m.social.conversations[a.conversation as usize].id)
                .text(a.description)
                .uuid(m.person(a.owner))
                .day(a.due)
                .opt_stamp(a.done);
        },
    )
}

/// Rows of `notifications`.
pub fn notifications(m: &Model) -> Table<'_> {
    let columns = "id, person_id, kind, title, body, link, opportunity_id, application_id, \
                   read_at, created_at";
    Table::new(
        "notifications",
        columns,
        m.notifications.len(),
        move |i, w| {
            let n = &m.notifications[i];
            w.uuid(n.id)
                .uuid(m.person(n.person))
                .text(n.kind)
                .text(&n.title)
                .text(&n.body)
                .opt_text(n.link.as_deref())
                .opt_uuid(n.opportunity.map(|o| m.opportunity(o)))
                .opt_uuid(n.application.map(|a| m.application(a)))
                .opt_stamp(n.read)
                .stamp(n.created);
        },
    )
}
