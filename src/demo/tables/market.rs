//! The marketplace: opportunities, applications with their history, and moves.

use crate::demo::model::Model;
use crate::demo::pgcopy::Table;
use crate::demo::random::Day;

/// Rows of `opportunities`.
pub fn opportunities(m: &Model) -> Table<'_> {
    let columns = "id, kind, status, title, description, owner_id, department_id, job_profile_id, \
                   location_id, work_mode, positions, positions_filled, hours_per_week, \
                   duration_weeks, start_date, end_date, return_guaranteed, closes_on, \
                   published_at, closed_at, filled_at, created_at, updated_at";
    Table::new(
        "opportunities",
        columns,
        m.market.opportunities.len(),
        move |i, w| {
            let o = &m.market.opportunities[i];
            w.uuid(o.id)
                .text(o.kind.as_str())
                .text(o.status.as_str())
                .text(&o.title)
                .text(&o.description)
                .uuid(m.person(o.owner))
                .uuid(m.department(o.department))
                .opt_uuid(o.profile.map(|p| m.profile(p)))
                .opt_uuid(o.location.map(|l| m.org.locations[l as usize].id))
                .text(o.work_mode)
                .int(o.positions.into())
                .int(o.positions_filled.into())
                .opt_int(o.hours_per_week.map(i64::from))
                .opt_int(o.duration_weeks.map(i64::from))
                .opt_day(o.start)
                .opt_day(o.end)
                .opt_bool(o.return_guaranteed)
                .opt_day(o.closes_on)
                .opt_stamp(o.published)
                .opt_stamp(o.closed)
                .opt_stamp(o.filled)
                .stamp(o.created)
                .stamp(o.updated);
        },
    )
}

/// Rows of `opportunity_skills`.
pub fn opportunity_skills(m: &Model) -> Table<'_> {
    let columns = "opportunity_id, skill_id, level, importance";
    Table::new(
        "opportunity_skills",
        columns,
        m.market.skills.len(),
        move |i, w| {
            let s = &m.market.skills[i];
            w.uuid(m.opportunity(s.opportunity))
                .uuid(m.skill(s.skill))
                .int(s.level.into())
                .text(s.importance.as_str());
        },
    )
}

/// Rows of `opportunity_questions`.
pub fn opportunity_questions(m: &Model) -> Table<'_> {
    let columns = "id, opportunity_id, position, prompt, required";
    Table::new(
        "opportunity_questions",
        columns,
        m.market.questions.len(),
        move |i, w| {
            let q = &m.market.questions[i];
            w.uuid(q.id)
                .uuid(m.opportunity(q.opportunity))
                .int(q.position.into())
                .text(q.prompt)
                .bool(q.required);
        },
    )
}

/// Rows of `saved_opportunities`.
pub fn saved_opportunities(m: &Model) -> Table<'_> {
    let columns = "person_id, opportunity_id, created_at";
    Table::new(
        "saved_opportunities",
        columns,
        m.social.saved.len(),
        move |i, w| {
            let s = &m.social.saved[i];
            w.uuid(m.person(s.person))
                .uuid(m.opportunity(s.opportunity))
                .stamp(s.created);
        },
    )
}

/// Rows of `invitations`.
pub fn invitations(m: &Model) -> Table<'_> {
    let columns = "id, opportunity_id, person_id, invited_by_id, message, created_at";
    Table::new(
        "invitations",
        columns,
        m.social.invitations.len(),
        move |i, w| {
            let v = &m.social.invitations[i];
            w.uuid(v.id)
                .uuid(m.opportunity(v.opportunity))
                .uuid(m.person(v.person))
                .uuid(m.person(v.invited_by))
                .text(v.message)
                .stamp(v.created);
        },
    )
}

/// Rows of `applications`.
pub fn applications(m: &Model) -> Table<'_> {
    let columns = "id, opportunity_id, applicant_id, status, motivation, fit_score, \
                   manager_approval, manager_approval_by_id, manager_approval_at, \
                   manager_informed_at, submitted_at, decided_at, created_at, updated_at";
    Table::new(
        "applications",
        columns,
        m.market.applications.len(),
        move |i, w| {
            let a = &m.market.applications[i];
            w.uuid(a.id)
                .uuid(m.opportunity(a.opportunity))
                .uuid(m.person(a.applicant))
                .text(a.status.as_str())
                .text(a.motivation)
                .int(a.fit.into())
                .text(a.approval.as_str())
                .opt_uuid(a.approval_by.map(|p| m.person(p)))
                .opt_stamp(a.approval_at)
                .opt_stamp(a.informed)
                .stamp(a.submitted)
                .opt_stamp(a.decided)
                .stamp(a.submitted)
                .stamp(a.updated);
        },
    )
}

/// Rows of `application_answers`.
pub fn application_answers(m: &Model) -> Table<'_> {
    let columns = "application_id, question_id, answer";
    Table::new(
        "application_answers",
        columns,
        m.market.answers.len(),
        move |i, w| {
            let a = &m.market.answers[i];
            w.uuid(m.application(a.application))
                .uuid(m.market.questions[a.question as usize].id)
                .text(a.answer);
        },
    )
}

/// Rows of `application_events`.
pub fn application_events(m: &Model) -> Table<'_> {
    let columns = "application_id, from_status, to_status, actor_id, reason, occurred_at";
    Table::new(
        "application_events",
        columns,
        m.market.events.len(),
        move |i, w| {
            let e = &m.market.events[i];
            w.uuid(m.application(e.application))
                .opt_text(e.from.map(|s| s.as_str()))
                .text(e.to.as_str())
                .opt_uuid(e.actor.map(|p| m.person(p)))
                .text(e.reason)
                .stamp(e.at);
        },
    )
}

/// Rows of `moves`.
pub fn moves(m: &Model) -> Table<'_> {
    let columns = "id, person_id, kind, source, from_profile_id, to_profile_id, \
                   from_department_id, to_department_id, effective_on, planned_end_on, \
                   release_on, opportunity_id, application_id, related_move_id, recorded_by_id, \
                   created_at";
    Table::new("moves", columns, m.moves.len(), move |i, w| {
        let v = &m.moves[i];
        w.uuid(v.id)
            .uuid(m.person(v.person))
            .text(v.kind.as_str())
            .text(v.source.as_str())
            .opt_uuid(v.from_profile.map(|p| m.profile(p)))
            .opt_uuid(v.to_profile.map(|p| m.profile(p)))
            .opt_uuid(v.from_department.map(|d| m.department(d)))
            .opt_uuid(v.to_department.map(|d| m.department(d)))
            .day(v.effective)
            .opt_day(v.planned_end)
            .opt_day(v.release)
            .opt_uuid(v.opportunity.map(|o| m.opportunity(o)))
            .opt_uuid(v.application.map(|a| m.application(a)))
            .opt_uuid(v.related.map(|r| m.moves[r as usize].id))
            .opt_uuid(v.recorded_by.map(|p| m.person(p)))
            .stamp(v.effective.min(Day(-1)).at(10 * 3600));
    })
}
