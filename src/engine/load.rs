//! Reading the matching index's inputs from PostgreSQL: the whole world at start (and after a
//! lost notification connection), or one person or opening after a change.

use std::collections::HashMap;

use futures_util::TryStreamExt;
use sqlx::PgPool;
use time::Date;
use uuid::Uuid;

use crate::matching::{
    Aspirations, Course, CourseCatalog, CourseSkill, Evidence, HeldSkill, Importance, MatchConfig,
    MatchIndex, OpeningEntry, OpeningId, OpeningKind, OpeningTags, PersonEntry, PersonId,
    PersonStatus, Profile, Requirement, SkillGraph,
};

use super::ids::Ids;
pub use super::mobility::ProfileInfo;
use super::mobility::{mobility, open_to, MobilityRow};
use super::Live;

/// Days since 1970-01-01, the engine's calendar.
pub fn day_number(date: Date) -> i32 {
    date.to_julian_day() - 2_440_588
}

/// The mobility policy values the engine uses.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub min_months_in_role: u16,
    pub stale_self_assessment_months: u16,
}

/// The policy in force now.
pub async fn policy(db: &PgPool) -> Result<Policy, sqlx::Error> {
    let row = sqlx::query!(
        "select min_months_in_role, stale_self_assessment_months from mobility_policies
         where effective_from <= now() order by effective_from desc, id desc limit 1"
    )
    .fetch_optional(db)
    .await?;
    Ok(match row {
        Some(r) => Policy {
            min_months_in_role: r.min_months_in_role.max(0) as u16,
            stale_self_assessment_months: r.stale_self_assessment_months.max(1) as u16,
        },
        None => Policy {
            min_months_in_role: 12,
            stale_self_assessment_months: 24,
        },
    })
}

/// Load everything and build the index.
pub async fn everything(db: &PgPool) -> Result<Live, sqlx::Error> {
    let policy = policy(db).await?;
    let config = MatchConfig {
        stale_self_assessment_months: policy.stale_self_assessment_months,
        ..MatchConfig::default()
    };

    let mut ids = Ids::default();
    let skills =
        sqlx::query!("select id, name from skills where merged_into_id is null order by name")
            .fetch_all(db)
            .await?;
    let mut skill_names = Vec::with_capacity(skills.len());
    for s in skills {
        ids.skill(s.id);
        skill_names.push(s.name);
    }
    let graph = load_graph(db, &ids).await?;
    let rows = sqlx::query!(
        "select jp.id, jp.family_id, jp.title, l.rank from job_profiles jp
         join job_levels l on l.id = jp.level_id order by jp.id"
    )
    .fetch_all(db)
    .await?;
    let mut profiles: HashMap<u32, ProfileInfo> = HashMap::new();
    for p in rows {
        let info = ProfileInfo {
            family: ids.family(p.family_id),
            rank: p.rank.clamp(0, 255) as u8,
            title: p.title,
        };
        profiles.insert(ids.profile(p.id), info);
    }
    let family_names = sqlx::query!("select id, name from job_families")
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|f| (ids.family(f.id), f.name))
        .collect();
    for l in sqlx::query_scalar!("select id from locations order by id")
        .fetch_all(db)
        .await?
    {
        ids.location(l);
    }

    // People, in uuid order so dense ids are stable for one load.
    let people = sqlx::query!(
        r#"select p.id, p.employment_status, p.discoverable, p.role_started_on,
                  p.job_profile_id, p.location_id,
                  a.open_to_relocation as "relocation?", a.open_to_roles as "roles?",
                  a.open_to_secondments as "secondments?", a.open_to_projects as "projects?",
                  a.open_to_mentoring as "mentoring?"
           from people p left join aspirations a on a.person_id = p.id
           where p.employment_status <> 'terminated' order by p.id"#
    )
    .fetch_all(db)
    .await?;
    let mut skills_of: Vec<Vec<HeldSkill>> = vec![Vec::new(); people.len()];
    let mut statuses = Vec::with_capacity(people.len());
    let mut mobility_rows = Vec::with_capacity(people.len());
    for p in &people {
        ids.person(p.id);
        statuses.push(PersonStatus {
            active: p.employment_status == "active",
            discoverable: p.discoverable,
            role_started_on_day: day_number(p.role_started_on),
        });
        mobility_rows.push(MobilityRow {
            job_profile_id: p.job_profile_id,
            location_id: p.location_id,
            open_to: open_to(
                p.relocation,
                p.roles,
                p.secondments,
                p.projects,
                p.mentoring,
            ),
        });
    }
    let mut rows = sqlx::query!(
        r#"select ps.person_id, ps.skill_id, ps.level, ps.evidence,
                  greatest(ps.updated_at, coalesce(ps.validated_at, ps.updated_at))::date as "confirmed!"
           from person_skills ps join people p on p.id = ps.person_id
           where p.employment_status <> 'terminated'"#
    )
    .fetch(db);
    while let Some(r) = rows.try_next().await? {
        if let (Some(person), Some(held)) = (
            ids.person_of(r.person_id),
            held_skill(&ids, r.skill_id, r.level, &r.evidence, r.confirmed),
        ) {
            skills_of[person.0 as usize].push(held);
        }
    }
    drop(rows);
    let mut aspirations = load_aspirations(db, &ids, None).await?;

    let mut entries = Vec::with_capacity(people.len());
    for (i, ((skills, status), row)) in skills_of
        .into_iter()
        .zip(statuses)
        .zip(mobility_rows)
        .enumerate()
    {
        let id = PersonId(i as u32);
        let a = aspirations.remove(&id).unwrap_or_default();
        let m = mobility(&ids, &profiles, &row, &a);
        let profile = Profile::new(skills).with_aspirations(a).with_mobility(m);
        entries.push((id, PersonEntry { profile, status }));
    }

    let openings = load_openings(db, &mut ids, &profiles, None).await?;
    let catalog = load_courses(db, &mut ids).await?;
    let index = MatchIndex::build(graph, config, entries, openings);
    Ok(Live {
        index,
        ids,
        skill_names,
        profiles,
        family_names,
        catalog,
        policy,
    })
}

async fn load_graph(db: &PgPool, ids: &Ids) -> Result<SkillGraph, sqlx::Error> {
    let edges = sqlx::query!(
        r#"select skill_id, related_skill_id, strength::float4 as "strength!" from skill_relations"#
    )
    .fetch_all(db)
    .await?;
    Ok(SkillGraph::new(edges.into_iter().filter_map(|e| {
        Some((
            ids.skill_of(e.skill_id)?,
            ids.skill_of(e.related_skill_id)?,
            e.strength,
        ))
    })))
}

fn held_skill(
    ids: &Ids,
    skill: Uuid,
    level: i16,
    evidence: &str,
    confirmed: Date,
) -> Option<HeldSkill> {
    Some(HeldSkill {
        skill: ids.skill_of(skill)?,
        level: u8::try_from(level).ok()?,
        evidence: Evidence::from_db(evidence)?,
        confirmed_on_day: day_number(confirmed),
    })
}

/// Aspirations of everyone (`only` = None) or of one person.
async fn load_aspirations(
    db: &PgPool,
    ids: &Ids,
    only: Option<Uuid>,
) -> Result<HashMap<PersonId, Aspirations>, sqlx::Error> {
    let mut out: HashMap<PersonId, Aspirations> = HashMap::new();
    let targets = sqlx::query!(
        "select person_id, job_profile_id from aspiration_targets
         where ($1::uuid is null or person_id = $1) order by person_id, position",
        only
    )
    .fetch_all(db)
    .await?;
    for t in targets {
        if let (Some(p), Some(jp)) = (ids.person_of(t.person_id), ids.profile_of(t.job_profile_id))
        {
            out.entry(p).or_default().target_profiles.push(jp);
        }
    }
    let interests = sqlx::query!(
        "select person_id, skill_id, job_family_id from aspiration_interests
         where ($1::uuid is null or person_id = $1)",
        only
    )
    .fetch_all(db)
    .await?;
    for i in interests {
        let Some(p) = ids.person_of(i.person_id) else {
            continue;
        };
        let a = out.entry(p).or_default();
        if let Some(s) = i.skill_id.and_then(|s| ids.skill_of(s)) {
            a.interest_skills.push(s);
        }
        if let Some(f) = i.job_family_id.and_then(|f| ids.family_of(f)) {
            a.interest_families.push(f);
        }
    }
    Ok(out)
}

/// Open openings (all, or one), with their requirements.
async fn load_openings(
    db: &PgPool,
    ids: &mut Ids,
    profiles: &HashMap<u32, ProfileInfo>,
    only: Option<Uuid>,
) -> Result<Vec<(OpeningId, OpeningEntry)>, sqlx::Error> {
    let openings = sqlx::query!(
        "select id, kind, owner_id, job_profile_id, location_id, work_mode from opportunities
         where status = 'open' and ($1::uuid is null or id = $1) order by id",
        only
    )
    .fetch_all(db)
    .await?;
    let requirements = sqlx::query!(
        "select os.opportunity_id, os.skill_id, os.level, os.importance
         from opportunity_skills os join opportunities o on o.id = os.opportunity_id
         where o.status = 'open' and ($1::uuid is null or o.id = $1)
         order by os.opportunity_id, os.level desc, os.skill_id",
        only
    )
    .fetch_all(db)
    .await?;
    let mut reqs: HashMap<Uuid, Vec<Requirement>> = HashMap::new();
    for r in requirements {
        let (Some(skill), Some(importance)) =
            (ids.skill_of(r.skill_id), Importance::from_db(&r.importance))
        else {
            continue;
        };
        reqs.entry(r.opportunity_id).or_default().push(Requirement {
            skill,
            level: r.level.clamp(1, 5) as u8,
            importance,
        });
    }
    let mut out = Vec::with_capacity(openings.len());
    for o in openings {
        let (Some(owner), Some(kind)) = (ids.person_of(o.owner_id), OpeningKind::from_db(&o.kind))
        else {
            continue;
        };
        let job_profile = o.job_profile_id.and_then(|p| ids.profile_of(p));
        let info = job_profile.and_then(|p| profiles.get(&p));
        let entry = OpeningEntry {
            requirements: reqs.remove(&o.id).unwrap_or_default(),
            owner,
            kind,
            tags: OpeningTags {
                job_profile,
                job_family: info.map(|i| i.family),
                rank: info.map(|i| i.rank),
                kind: Some(kind),
                location: o.location_id.and_then(|l| ids.location_of(l)),
                remote: o.work_mode == "remote",
            },
        };
        out.push((ids.opening(o.id), entry));
    }
    Ok(out)
}

/// The course catalogue (retired courses left out). Course ids are dense indices.
async fn load_courses(db: &PgPool, ids: &mut Ids) -> Result<CourseCatalog, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select c.id, c.hours::float4 as "hours!", cs.skill_id, cs.entry_level, cs.target_level
           from courses c join course_skills cs on cs.course_id = c.id
           where c.retired_at is null order by c.id"#
    )
    .fetch_all(db)
    .await?;
    let mut courses: Vec<Course> = Vec::new();
    for r in rows {
        let Some(skill) = ids.skill_of(r.skill_id) else {
            continue;
        };
        let id = ids.course(r.id);
        if courses.last().is_none_or(|c| c.id != id) {
            courses.push(Course {
                id,
                hours: r.hours,
                skills: Vec::new(),
            });
        }
        if let Some(c) = courses.last_mut() {
            c.skills.push(CourseSkill {
                skill,
                entry_level: r.entry_level.clamp(0, 4) as u8,
                target_level: r.target_level.clamp(1, 5) as u8,
            });
        }
    }
    Ok(CourseCatalog::new(courses))
}

/// One person as the index holds them, or None when they left or do not exist.
pub async fn person(
    db: &PgPool,
    ids: &mut Ids,
    profiles: &HashMap<u32, ProfileInfo>,
    id: Uuid,
) -> Result<Option<(PersonId, PersonEntry)>, sqlx::Error> {
    let Some(p) = sqlx::query!(
        r#"select p.employment_status, p.discoverable, p.role_started_on,
                  p.job_profile_id, p.location_id,
                  a.open_to_relocation as "relocation?", a.open_to_roles as "roles?",
                  a.open_to_secondments as "secondments?", a.open_to_projects as "projects?",
                  a.open_to_mentoring as "mentoring?"
           from people p left join aspirations a on a.person_id = p.id
           where p.id = $1 and p.employment_status <> 'terminated'"#,
        id
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let person = ids.person(id);
    let rows = sqlx::query!(
        r#"select skill_id, level, evidence,
                  greatest(updated_at, coalesce(validated_at, updated_at))::date as "confirmed!"
           from person_skills where person_id = $1"#,
        id
    )
    .fetch_all(db)
    .await?;
    let skills = rows
        .into_iter()
        .filter_map(|r| held_skill(ids, r.skill_id, r.level, &r.evidence, r.confirmed))
        .collect();
    let aspirations = load_aspirations(db, ids, Some(id))
        .await?
        .remove(&person)
        .unwrap_or_default();
    let row = MobilityRow {
        job_profile_id: p.job_profile_id,
        location_id: p.location_id,
        open_to: open_to(
            p.relocation,
            p.roles,
            p.secondments,
            p.projects,
            p.mentoring,
        ),
    };
    let m = mobility(ids, profiles, &row, &aspirations);
    let entry = PersonEntry {
        profile: Profile::new(skills)
            .with_aspirations(aspirations)
            .with_mobility(m),
        status: PersonStatus {
            active: p.employment_status == "active",
            discoverable: p.discoverable,
            role_started_on_day: day_number(p.role_started_on),
        },
    };
    Ok(Some((person, entry)))
}

/// One opening as the index holds it, or None when it is not open.
pub async fn opening(
    db: &PgPool,
    ids: &mut Ids,
    profiles: &HashMap<u32, ProfileInfo>,
    id: Uuid,
) -> Result<Option<(OpeningId, OpeningEntry)>, sqlx::Error> {
    Ok(load_openings(db, ids, profiles, Some(id)).await?.pop())
}

/// True when every skill the person or opening mentions is known to the index (otherwise the
/// taxonomy changed and a full reload is due).
pub async fn mentions_unknown_skill(
    db: &PgPool,
    ids: &Ids,
    person_or_opening: Uuid,
) -> Result<bool, sqlx::Error> {
    let skills = sqlx::query_scalar!(
        r#"select skill_id as "skill_id!" from person_skills where person_id = $1
           union select skill_id from opportunity_skills where opportunity_id = $1"#,
        person_or_opening
    )
    .fetch_all(db)
    .await?;
    Ok(skills.into_iter().any(|s| ids.skill_of(s).is_none()))
}
