//! One person's record as HR sees it: job, manager, skills with their evidence, moves,
//! applications by status, and the identity-provider accounts they sign in with.

use serde::Serialize;
use sqlx::PgPool;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use super::moves::{moves, MoveFilter, MoveRow};
use super::PersonRow;
use crate::error::Result;

/// A skill on a person's profile.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonSkill {
    pub skill_id: Uuid,
    pub skill: String,
    pub level: i16,
    pub evidence: String,
    pub validated_by: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// An account at an identity provider the person signs in with.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LinkedIdentity {
    pub issuer: String,
    pub linked_email: String,
    #[serde(with = "time::serde::rfc3339")]
    pub last_used_at: OffsetDateTime,
}

/// One person's record, as HR sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonRecord {
    pub person: PersonRow,
    pub manager_id: Option<Uuid>,
    pub location: Option<String>,
    #[serde(with = "crate::domain::iso_date::option")]
    pub terminated_on: Option<Date>,
    pub direct_reports: i64,
    pub skills: Vec<PersonSkill>,
    /// Newest first.
    pub moves: Vec<MoveRow>,
    /// Applications by status, e.g. `[["submitted", 2], ["accepted", 1]]`.
    pub applications: Vec<(String, i64)>,
    pub identities: Vec<LinkedIdentity>,
}

/// One person's record, or None when there is no such person.
pub async fn record(db: &PgPool, id: Uuid) -> Result<Option<PersonRecord>> {
    let Some(p) = sqlx::query!(
        r#"select p.id, p.employee_number, p.display_name, p.email, p.employment_status,
                  d.name as "department?", jp.title as "job_title?", jl.code as "level?",
                  m.display_name as "manager?", p.manager_id, p.hire_date, p.role_started_on,
                  p.terminated_on, l.name as "location?",
                  (select count(*) from person_skills ps where ps.person_id = p.id) as "skills!",
                  (select count(*) from people r where r.manager_id = p.id
                     and r.employment_status <> 'terminated') as "reports!"
           from people p
           left join departments d on d.id = p.department_id
           left join job_profiles jp on jp.id = p.job_profile_id
           left join job_levels jl on jl.id = jp.level_id
           left join people m on m.id = p.manager_id
           left join locations l on l.id = p.location_id
           where p.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let skills = sqlx::query_as!(
        PersonSkill,
        r#"select ps.skill_id, s.name as skill, ps.level, ps.evidence,
                  v.display_name as "validated_by?", ps.updated_at
           from person_skills ps join skills s on s.id = ps.skill_id
           left join people v on v.id = ps.validated_by_id
           where ps.person_id = $1 order by ps.level desc, s.name"#,
        id
    )
    .fetch_all(db)
    .await?;
    let moves = moves(
        db,
        &MoveFilter {
            person: Some(id),
            page: 1,
            page_size: 500,
            ..MoveFilter::default()
        },
    )
    .await?
    .moves;
    let applications = sqlx::query!(
        r#"select status, count(*) as "n!" from applications where applicant_id = $1
           group by status order by status"#,
        id
    )
    .fetch_all(db)
    .await?
    .into_iter()
    .map(|r| (r.status, r.n))
    .collect();
    let identities = sqlx::query_as!(
        LinkedIdentity,
        "select issuer, linked_email, last_used_at from person_identities
         where person_id = $1 order by issuer",
        id
    )
    .fetch_all(db)
    .await?;
    Ok(Some(PersonRecord {
        person: PersonRow {
            id: p.id,
            employee_number: p.employee_number,
            display_name: p.display_name,
            email: p.email,
            employment_status: p.employment_status,
            department: p.department,
            job_title: p.job_title,
            level: p.level,
            manager: p.manager,
            hire_date: p.hire_date,
            role_started_on: p.role_started_on,
            skills: p.skills,
        },
        manager_id: p.manager_id,
        location: p.location,
        terminated_on: p.terminated_on,
        direct_reports: p.reports,
        skills,
        moves,
        applications,
        identities,
    }))
}
