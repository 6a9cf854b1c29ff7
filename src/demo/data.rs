//! The static data behind the demo company, embedded in the binary: skills, relations and the
//! job-family mapping derived from ESCO (see `data/demo/ATTRIBUTION.md`), plus hand-written
//! job families, names and office locations.

use std::sync::LazyLock;

use serde::Deserialize;

/// One skill of the taxonomy (`skills.csv`).
#[derive(Debug, Deserialize)]
pub struct SkillDef {
    pub name: String,
    pub category: String,
    /// "skill/competence" or "knowledge".
    pub skill_type: String,
    pub esco_uri: String,
    pub description: String,
    /// Alternative names separated by `|`.
    pub aliases: String,
}

impl SkillDef {
    /// The `skills.skill_type` value: 'knowledge' or 'skill'.
    pub fn db_type(&self) -> &'static str {
        if self.skill_type == "knowledge" {
            "knowledge"
        } else {
            "skill"
        }
    }

    /// The aliases as a list, without blanks.
    pub fn alias_list(&self) -> impl Iterator<Item = &str> {
        self.aliases
            .split('|')
            .map(str::trim)
            .filter(|a| !a.is_empty())
    }
}

/// An undirected relation between two skills (`skill_relations.csv`).
#[derive(Debug, Deserialize)]
pub struct RelationDef {
    pub skill: String,
    pub related: String,
    pub strength: f64,
}

/// A job family and where it sits in the company (`families.csv`).
#[derive(Debug, Deserialize)]
pub struct FamilyDef {
    pub family: String,
    pub department: String,
    pub ic_title: String,
    pub manager_title: String,
    pub description: String,
}

/// How central a skill is to a job family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Core,
    Secondary,
    Leadership,
}

/// A skill of a job family (`family_skills.csv`).
#[derive(Debug, Deserialize)]
pub struct FamilySkillDef {
    pub family: String,
    pub skill: String,
    pub tier: Tier,
}

/// An office (`locations.csv`).
#[derive(Debug, Deserialize)]
pub struct LocationDef {
    pub city: String,
    pub country_code: String,
    pub timezone: String,
}

/// All the static data, parsed once.
pub struct StaticData {
    pub skills: Vec<SkillDef>,
    pub relations: Vec<RelationDef>,
    pub families: Vec<FamilyDef>,
    pub family_skills: Vec<FamilySkillDef>,
    pub locations: Vec<LocationDef>,
    pub first_names: Vec<&'static str>,
    pub last_names: Vec<&'static str>,
}

const SKILLS_CSV: &str = include_str!("../../data/demo/skills.csv");
const RELATIONS_CSV: &str = include_str!("../../data/demo/skill_relations.csv");
const FAMILIES_CSV: &str = include_str!("../../data/demo/families.csv");
const FAMILY_SKILLS_CSV: &str = include_str!("../../data/demo/family_skills.csv");
const LOCATIONS_CSV: &str = include_str!("../../data/demo/locations.csv");
const FIRST_NAMES: &str = include_str!("../../data/demo/first_names.txt");
const LAST_NAMES: &str = include_str!("../../data/demo/last_names.txt");

/// The parsed static data. The files are part of the binary, so a parse failure is a bug in
/// the build and panics with the file's name.
pub static DATA: LazyLock<StaticData> = LazyLock::new(|| StaticData {
    skills: parse_csv(SKILLS_CSV, "skills.csv"),
    relations: parse_csv(RELATIONS_CSV, "skill_relations.csv"),
    families: parse_csv(FAMILIES_CSV, "families.csv"),
    family_skills: parse_csv(FAMILY_SKILLS_CSV, "family_skills.csv"),
    locations: parse_csv(LOCATIONS_CSV, "locations.csv"),
    first_names: lines(FIRST_NAMES),
    last_names: lines(LAST_NAMES),
});

fn parse_csv<T: serde::de::DeserializeOwned>(text: &str, file: &str) -> Vec<T> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .enumerate()
        .map(|(i, row)| {
            row.unwrap_or_else(|e| panic!("embedded data/demo/{file}, record {}: {e}", i + 1))
        })
        .collect()
}

fn lines(text: &'static str) -> Vec<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}
