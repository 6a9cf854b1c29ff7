//! Offices, departments, the skill taxonomy and the job architecture.

use super::FOUNDED;
use crate::demo::org::Org;
use crate::demo::pgcopy::Table;
use crate::demo::taxonomy::Taxonomy;

/// Rows of `locations`.
pub fn locations(org: &Org) -> Table<'_> {
    let columns = "id, name, country_code, timezone, created_at, updated_at";
    Table::new("locations", columns, org.locations.len(), move |i, w| {
        let l = &org.locations[i];
        w.uuid(l.id)
            .text(&l.def.city)
            .text(&l.def.country_code)
            .text(&l.def.timezone)
            .stamp(FOUNDED)
            .stamp(FOUNDED);
    })
}

/// Rows of `skill_categories`.
pub fn skill_categories(t: &Taxonomy) -> Table<'_> {
    let columns = "id, name, created_at, updated_at";
    Table::new(
        "skill_categories",
        columns,
        t.categories.len(),
        move |i, w| {
            let c = &t.categories[i];
            w.uuid(c.id).text(c.name).stamp(FOUNDED).stamp(FOUNDED);
        },
    )
}

/// Rows of `skills`.
pub fn skills(t: &Taxonomy) -> Table<'_> {
    let columns =
        "id, name, category_id, description, skill_type, esco_uri, created_at, updated_at";
    Table::new("skills", columns, t.skills.len(), move |i, w| {
        let s = &t.skills[i];
        w.uuid(s.id)
            .text(&s.def.name)
            .uuid(t.categories[s.category as usize].id)
            .text(&s.def.description)
            .text(s.def.db_type())
            .text(&s.def.esco_uri)
            .stamp(FOUNDED)
            .stamp(FOUNDED);
    })
}

/// Rows of `skill_aliases`.
pub fn skill_aliases(t: &Taxonomy) -> Table<'_> {
    let columns = "id, skill_id, alias, created_at";
    Table::new("skill_aliases", columns, t.aliases.len(), move |i, w| {
        let a = &t.aliases[i];
        w.uuid(a.id)
            .uuid(t.skills[a.skill as usize].id)
            .text(a.alias)
            .stamp(FOUNDED);
    })
}

/// Rows of `skill_relations`.
pub fn skill_relations(t: &Taxonomy) -> Table<'_> {
    let columns = "skill_id, related_skill_id, strength, created_at";
    Table::new(
        "skill_relations",
        columns,
        t.relations.len(),
        move |i, w| {
            let r = &t.relations[i];
            w.uuid(t.skills[r.skill as usize].id)
                .uuid(t.skills[r.related as usize].id)
                .decimal(r.strength, 2)
                .stamp(FOUNDED);
        },
    )
}

/// Rows of `job_families`.
pub fn job_families(t: &Taxonomy) -> Table<'_> {
    let columns = "id, name, description, created_at, updated_at";
    Table::new("job_families", columns, t.families.len(), move |i, w| {
        let f = &t.families[i];
        w.uuid(f.id)
            .text(f.name)
            .text(f.description)
            .stamp(FOUNDED)
            .stamp(FOUNDED);
    })
}

/// Rows of `job_levels`.
pub fn job_levels(t: &Taxonomy) -> Table<'_> {
    let columns = "id, code, name, track, rank, created_at, updated_at";
    Table::new("job_levels", columns, t.levels.len(), move |i, w| {
        let l = &t.levels[i];
        let track = if l.manager {
            "manager"
        } else {
            "individual_contributor"
        };
        w.uuid(l.id)
            .text(l.code)
            .text(l.name)
            .text(track)
            .int(l.rank.into())
            .stamp(FOUNDED)
            .stamp(FOUNDED);
    })
}

/// Rows of `job_profiles`.
pub fn job_profiles(t: &Taxonomy) -> Table<'_> {
    let columns = "id, family_id, level_id, title, description, created_at, updated_at";
    Table::new("job_profiles", columns, t.profiles.len(), move |i, w| {
        let p = &t.profiles[i];
        w.uuid(p.id)
            .uuid(t.families[p.family as usize].id)
            .uuid(t.levels[p.level as usize].id)
            .text(&p.title)
            .text(&p.description)
            .stamp(FOUNDED)
            .stamp(FOUNDED);
    })
}

/// Rows of `job_profile_skills`.
pub fn job_profile_skills(t: &Taxonomy) -> Table<'_> {
    let columns = "job_profile_id, skill_id, level, importance";
    Table::new(
        "job_profile_skills",
        columns,
        t.profile_skills.len(),
        move |i, w| {
            let r = &t.profile_skills[i];
            w.uuid(t.profiles[r.profile as usize].id)
                .uuid(t.skills[r.skill as usize].id)
                .int(r.level.into())
                .text(r.importance.as_str());
        },
    )
}

/// Rows of `career_paths`.
pub fn career_paths(t: &Taxonomy) -> Table<'_> {
    let columns =
        "id, from_profile_id, to_profile_id, kind, typical_months, created_at, updated_at";
    Table::new(
        "career_paths",
        columns,
        t.career_paths.len(),
        move |i, w| {
            let c = &t.career_paths[i];
            w.uuid(c.id)
                .uuid(t.profiles[c.from as usize].id)
                .uuid(t.profiles[c.to as usize].id)
                .text(if c.lateral { "lateral" } else { "promotion" })
                .int(c.months.into())
                .stamp(FOUNDED)
                .stamp(FOUNDED);
        },
    )
}

/// Rows of `departments`.
pub fn departments(org: &Org, with_heads: bool) -> Table<'_> {
    let columns = if with_heads {
        "id, name, parent_id, head_id, created_at, updated_at"
    } else {
        "id, name, parent_id, created_at, updated_at"
    };
    Table::new(
        "departments",
        columns,
        org.departments.len(),
        move |i, w| {
            let d = &org.departments[i];
            w.uuid(d.id)
                .text(&d.name)
                .opt_uuid(d.parent.map(|p| org.departments[p as usize].id));
            if with_heads {
                w.opt_uuid(d.head.map(|h| org.people[h as usize].id));
            }
            w.stamp(FOUNDED).stamp(FOUNDED);
        },
    )
}
