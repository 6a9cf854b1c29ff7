//! The embedded data, the job architecture, the copy helpers and the CSV writer.

use std::collections::HashSet;

use time::macros::date;

use super::SMALL;
use crate::demo::data::DATA;
use crate::demo::pgcopy::CsvRow;
use crate::demo::random::Day;
use crate::demo::shape::{DEPARTMENT_OFFICES, FAMILY_SHARES, TEAM_AREAS};
use crate::demo::taxonomy::{Taxonomy, IC3, M1};

#[test]
fn the_embedded_data_parses() {
    assert_eq!(DATA.skills.len(), 596);
    assert_eq!(DATA.families.len(), 12);
    assert!(DATA.relations.len() > 1000);
    assert!(DATA.family_skills.len() > 500);
    assert_eq!(DATA.locations.len(), 12);
    assert!(DATA.first_names.len() > 200 && DATA.last_names.len() > 200);
    assert!(DATA
        .relations
        .iter()
        .all(|r| r.strength > 0.0 && r.strength <= 1.0));
}

#[test]
fn every_family_skill_and_relation_names_a_skill_of_the_taxonomy() {
    let names: HashSet<String> = DATA.skills.iter().map(|s| s.name.to_lowercase()).collect();
    assert_eq!(
        names.len(),
        DATA.skills.len(),
        "skill names are unique ignoring case"
    );
    for fs in &DATA.family_skills {
        assert!(
            names.contains(&fs.skill.to_lowercase()),
            "unknown family skill {}",
            fs.skill
        );
        assert!(
            DATA.families.iter().any(|f| f.family == fs.family),
            "unknown family {}",
            fs.family
        );
    }
    for r in &DATA.relations {
        assert!(
            names.contains(&r.skill.to_lowercase()) && names.contains(&r.related.to_lowercase())
        );
    }
}

#[test]
fn the_company_shape_tables_match_the_families_and_offices() {
    let total: f64 = FAMILY_SHARES.iter().map(|(_, s)| s).sum();
    assert!((total - 1.0).abs() < 1e-9);
    for f in &DATA.families {
        assert!(
            FAMILY_SHARES.iter().any(|(n, _)| *n == f.family),
            "no share for {}",
            f.family
        );
        assert!(
            TEAM_AREAS.iter().any(|(n, _)| *n == f.family),
            "no team names for {}",
            f.family
        );
        assert!(
            DEPARTMENT_OFFICES.iter().any(|(d, _)| *d == f.department),
            "no offices for {}",
            f.department
        );
    }
    for (_, cities) in DEPARTMENT_OFFICES {
        for city in cities {
            assert!(
                DATA.locations.iter().any(|l| l.city == *city),
                "unknown office {city}"
            );
        }
    }
}

#[test]
fn the_job_architecture_has_every_family_at_every_level() {
    let t = Taxonomy::build(&DATA, 1);
    assert_eq!(t.profiles.len(), 132);
    let titles: HashSet<&str> = t.profiles.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles.len(), 132, "titles are unique");
    let eng = t.family_named("Engineering").unwrap();
    assert_eq!(
        t.profiles[t.profile(eng, IC3) as usize].title,
        "Senior Software Engineer"
    );
    assert_eq!(
        t.profiles[t.profile(eng, M1) as usize].title,
        "Engineering Manager"
    );
    for p in 0..t.profiles.len() as u32 {
        let skills = t.skills_of(p);
        assert!(
            skills.len() >= 8,
            "{} has {} skills",
            t.profiles[p as usize].title,
            skills.len()
        );
        let distinct: HashSet<u32> = skills.iter().map(|s| s.skill).collect();
        assert_eq!(distinct.len(), skills.len());
        assert!(skills.iter().all(|s| (1..=5).contains(&s.level)));
    }
    let pairs: HashSet<(u32, u32)> = t.career_paths.iter().map(|c| (c.from, c.to)).collect();
    assert_eq!(pairs.len(), t.career_paths.len());
    for c in &t.career_paths {
        assert_ne!(c.from, c.to);
        assert!((12..=36).contains(&c.months));
        if !c.lateral {
            assert!(t.rank_of(c.to) > t.rank_of(c.from));
        } else {
            assert_eq!(t.level_of(c.to), t.level_of(c.from));
        }
    }
    let both_ways = t.relations.iter().all(|r| {
        t.relations
            .iter()
            .any(|x| x.skill == r.related && x.related == r.skill)
    });
    assert!(both_ways);
}

#[test]
fn the_csv_writer_quotes_text_and_leaves_null_empty() {
    let mut w = CsvRow::new(date!(2026 - 01 - 10));
    w.text("say \"hi\", then go")
        .null()
        .text("")
        .bool(true)
        .opt_int(None)
        .int(-3)
        .day(Day(-10))
        .stamp(Day(-1).at(3661))
        .tenths(25);
    w.end();
    assert_eq!(
        String::from_utf8(w.bytes().to_vec()).unwrap(),
        "\"say \"\"hi\"\", then go\",,\"\",t,,-3,2025-12-31,2026-01-09 01:01:01+00,2.5\n"
    );
}

#[test]
fn skills_read_well_in_titles() {
    use crate::demo::taxonomy::gerund;
    for (verb, ing) in [
        ("use", "using"),
        ("manage", "managing"),
        ("plan", "planning"),
        ("oversee", "overseeing"),
        ("apply", "applying"),
        ("debug", "debugging"),
    ] {
        assert_eq!(gerund(verb), ing);
    }
    assert_eq!(crate::demo::texts::article("Engineering Manager"), "an");
    assert_eq!(crate::demo::texts::article("Senior Software Engineer"), "a");
    assert_eq!(crate::demo::texts::article("8"), "an");
    let t = &SMALL.taxonomy;
    let named = |name: &str| t.skills.iter().position(|s| s.def.name == name).unwrap() as u32;
    assert_eq!(
        t.topic(named("apply business acumen")),
        "applying business acumen"
    );
    assert_eq!(t.topic(named("JavaScript")), "JavaScript");
    let titles: Vec<&str> = SMALL
        .learning
        .courses
        .iter()
        .map(|c| c.title.as_str())
        .collect();
    assert!(titles
        .iter()
        .all(|t| !t.starts_with("Introduction to use ") && !t.starts_with("Advanced manage ")));
}
