//! People, their skills and aspirations, and the course catalogue.

use crate::demo::model::Model;
use crate::demo::pgcopy::Table;
use crate::demo::random::Day;

/// Rows of `people`; only the demo sign-ins get `password_hash`.
pub fn people<'m>(m: &'m Model, password_hash: &'m str) -> Table<'m> {
    let (t, org) = (&m.taxonomy, &m.org);
    let columns = "id, employee_number, email, given_name, family_name, display_name, \
                   department_id, manager_id, location_id, job_profile_id, hire_date, \
                   role_started_on, employment_status, terminated_on, is_hr_admin, discoverable, \
                   password_hash, created_at, updated_at";
    Table::new("people", columns, org.people.len(), move |i, w| {
        let p = &org.people[i];
        let status = if p.terminated.is_some() {
            "terminated"
        } else {
            "active"
        };
        let last_change = p.terminated.unwrap_or(p.role_start).max(p.role_start);
        w.uuid(p.id)
            .text(&format!("E{:06}", i + 1))
            .text(&p.email)
            .text(p.given)
            .text(p.family_name)
            .text(&format!("{} {}", p.given, p.family_name))
            .uuid(org.departments[p.department as usize].id)
            .opt_uuid(p.manager.map(|m| org.people[m as usize].id))
            .uuid(org.locations[p.location as usize].id)
            .uuid(t.profiles[p.profile as usize].id)
            .day(p.hire)
            .day(p.role_start)
            .text(status)
            .opt_day(p.terminated)
            .bool(p.hr_admin)
            .bool(p.discoverable)
            .opt_text(p.can_sign_in.then_some(password_hash))
            .stamp(p.hire.at(9 * 3600))
            .stamp(last_change.min(Day(-1)).at(9 * 3600));
    })
}

/// Rows of `person_skills`.
pub fn person_skills(m: &Model) -> Table<'_> {
    let columns = "person_id, skill_id, level, evidence, validated_by_id, validated_at, \
                   offers_mentoring, created_at, updated_at";
    Table::new(
        "person_skills",
        columns,
        m.profiles.person_skills.len(),
        move |i, w| {
            let s = &m.profiles.person_skills[i];
            w.uuid(m.person(s.person))
                .uuid(m.skill(s.skill))
                .int(s.level.into())
                .text(s.evidence.as_str())
                .opt_uuid(s.validated_by.map(|p| m.person(p)))
                .opt_stamp(s.validated_by.map(|_| s.updated))
                .bool(s.mentoring)
                .stamp(s.created)
                .stamp(s.updated);
        },
    )
}

/// Rows of `aspirations`.
pub fn aspirations(m: &Model) -> Table<'_> {
    let columns = "person_id, open_to_relocation, open_to_roles, open_to_secondments, \
                   open_to_projects, open_to_mentoring, weekly_learning_hours, summary, \
                   created_at, updated_at";
    Table::new(
        "aspirations",
        columns,
        m.profiles.aspirations.len(),
        move |i, w| {
            let a = &m.profiles.aspirations[i];
            w.uuid(m.person(a.person))
                .bool(a.relocation)
                .bool(a.roles)
                .bool(a.secondments)
                .bool(a.projects)
                .bool(a.mentoring)
                .tenths(a.hours_tenths)
                .text(&a.summary)
                .stamp(a.created)
                .stamp(a.updated);
        },
    )
}

/// Rows of `aspiration_targets`.
pub fn aspiration_targets(m: &Model) -> Table<'_> {
    let columns = "person_id, job_profile_id, position, created_at";
    Table::new(
        "aspiration_targets",
        columns,
        m.profiles.targets.len(),
        move |i, w| {
            let a = &m.profiles.targets[i];
            w.uuid(m.person(a.person))
                .uuid(m.profile(a.profile))
                .int(a.position.into())
                .stamp(a.created);
        },
    )
}

/// Rows of `aspiration_interests`.
pub fn aspiration_interests(m: &Model) -> Table<'_> {
    let columns = "id, person_id, skill_id, job_family_id, created_at";
    Table::new(
        "aspiration_interests",
        columns,
        m.profiles.interests.len(),
        move |i, w| {
            let a = &m.profiles.interests[i];
            w.uuid(a.id)
                .uuid(m.person(a.person))
                .opt_uuid(a.skill.map(|s| m.skill(s)))
                .opt_uuid(a.family.map(|f| m.taxonomy.families[f as usize].id))
                .stamp(a.created);
        },
    )
}

/// Rows of `courses`.
pub fn courses(m: &Model) -> Table<'_> {
    let columns = "id, title, description, format, provider, author_id, hours, retired_at, \
                   created_at, updated_at";
    Table::new("courses", columns, m.learning.courses.len(), move |i, w| {
        let c = &m.learning.courses[i];
        w.uuid(c.id)
            .text(&c.title)
            .text(&c.description)
            .text(c.format.as_str())
            .text(c.provider)
            .opt_uuid(c.author.map(|p| m.person(p)))
            .tenths(c.hours_tenths)
            .opt_stamp(c.retired)
            .stamp(c.created)
            .stamp(c.retired.unwrap_or(c.created));
    })
}

/// Rows of `course_skills`.
pub fn course_skills(m: &Model) -> Table<'_> {
    let columns = "course_id, skill_id, entry_level, target_level";
    Table::new(
        "course_skills",
        columns,
        m.learning.course_skills.len(),
        move |i, w| {
            let c = &m.learning.course_skills[i];
            w.uuid(m.course(c.course))
                .uuid(m.skill(c.skill))
                .int(c.entry.into())
                .int(c.target.into());
        },
    )
}
