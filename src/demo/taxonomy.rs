//! The skill taxonomy and the job architecture's types: categories, skills, aliases,
//! relations, job families, levels, job profiles with their required skills, and career
//! paths. This module builds the skills, families and levels; `architecture` adds the job
//! profiles and career paths and holds `Taxonomy::build`, which does both.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;

use super::data::{SkillDef, StaticData, Tier};
use super::random::Gen;

/// How much a required skill matters (`job_profile_skills.importance`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Importance {
    Essential,
    Important,
    NiceToHave,
}

impl Importance {
    /// The database value.
    pub fn as_str(self) -> &'static str {
        match self {
            Importance::Essential => "essential",
            Importance::Important => "important",
            Importance::NiceToHave => "nice_to_have",
        }
    }
}

/// A skill category.
pub struct Category {
    pub id: Uuid,
    pub name: &'static str,
}

/// A skill, pointing at its static definition.
pub struct Skill {
    pub id: Uuid,
    pub def: &'static SkillDef,
    pub category: u32,
}

/// An alternative name of a skill.
pub struct Alias {
    pub id: Uuid,
    pub skill: u32,
    pub alias: &'static str,
}

/// One direction of a skill relation (both directions are stored).
pub struct Relation {
    pub skill: u32,
    pub related: u32,
    pub strength: f64,
}

/// A job family with its skills by tier and the families a lateral move can lead to.
pub struct Family {
    pub id: Uuid,
    pub name: &'static str,
    pub department: &'static str,
    pub ic_title: &'static str,
    pub manager_title: &'static str,
    pub description: &'static str,
    pub core: Vec<u32>,
    pub secondary: Vec<u32>,
    pub leadership: Vec<u32>,
    pub lateral: Vec<u32>,
}

/// A job level.
pub struct Level {
    pub id: Uuid,
    pub code: &'static str,
    pub name: &'static str,
    pub manager: bool,
    pub rank: u8,
}

/// Levels by index: IC1..IC6 are 0..=5, M1..M5 are 6..=10.
pub const LEVELS: [(&str, &str, bool, u8); 11] = [
    ("IC1", "IC1 Associate", false, 1),
    ("IC2", "IC2 Professional", false, 2),
    ("IC3", "IC3 Senior", false, 3),
    ("IC4", "IC4 Staff", false, 4),
    ("IC5", "IC5 Principal", false, 5),
    ("IC6", "IC6 Distinguished", false, 6),
    ("M1", "M1 Manager", true, 4),
    ("M2", "M2 Senior Manager", true, 5),
    ("M3", "M3 Director", true, 6),
    ("M4", "M4 Senior Director", true, 7),
    ("M5", "M5 Vice President", true, 8),
];
/// Index of IC2 in [`LEVELS`] (IC1 is 0).
pub const IC2: u32 = 1;
/// Index of IC3.
pub const IC3: u32 = 2;
/// Index of IC4.
pub const IC4: u32 = 3;
/// Index of IC5.
pub const IC5: u32 = 4;
/// Index of IC6.
pub const IC6: u32 = 5;
/// Index of M1.
pub const M1: u32 = 6;
/// Index of M2.
pub const M2: u32 = 7;
/// Index of M3.
pub const M3: u32 = 8;
/// Index of M4.
pub const M4: u32 = 9;
/// Index of M5.
pub const M5: u32 = 10;
/// Number of levels.
pub const LEVEL_COUNT: u32 = LEVELS.len() as u32;

/// Families between which people move sideways (both directions).
pub const LATERAL_PAIRS: [(&str, &str); 9] = [
    ("Engineering", "Data & Analytics"),
    ("Engineering", "IT & Security"),
    ("Data & Analytics", "Product Management"),
    ("Product Management", "Design"),
    ("Sales", "Customer Success"),
    ("Sales", "Marketing"),
    ("Finance", "Operations"),
    ("People (HR)", "Operations"),
    ("Legal", "People (HR)"),
];

/// A job profile: a family at a level.
pub struct Profile {
    pub id: Uuid,
    pub family: u32,
    pub level: u32,
    pub title: String,
    pub description: String,
}

/// A skill a job profile requires.
pub struct ProfileSkill {
    pub profile: u32,
    pub skill: u32,
    pub level: u8,
    pub importance: Importance,
}

/// An edge between two job profiles.
pub struct CareerPath {
    pub id: Uuid,
    pub from: u32,
    pub to: u32,
    pub lateral: bool,
    pub months: u8,
}

/// The whole taxonomy and job architecture.
pub struct Taxonomy {
    pub categories: Vec<Category>,
    pub skills: Vec<Skill>,
    pub aliases: Vec<Alias>,
    pub relations: Vec<Relation>,
    /// Related skills of each skill, strongest first.
    pub related: Vec<Vec<u32>>,
    pub families: Vec<Family>,
    pub levels: Vec<Level>,
    pub profiles: Vec<Profile>,
    pub profile_skills: Vec<ProfileSkill>,
    /// For each profile, its range in `profile_skills`.
    pub profile_skill_ranges: Vec<std::ops::Range<usize>>,
    pub career_paths: Vec<CareerPath>,
    /// For each profile, the career paths leaving it (indices into `career_paths`).
    pub paths_from: Vec<Vec<u32>>,
}

impl Taxonomy {
    /// The skill taxonomy, job families and levels from the static data, drawing ids and
    /// orders from `g`; `profiles` and `career_paths` are left empty for
    /// `architecture` to fill (see `Taxonomy::build` there).
    pub(super) fn skills_and_families(data: &'static StaticData, g: &mut Gen) -> Taxonomy {
        let mut categories: Vec<Category> = Vec::new();
        let mut category_ix: HashMap<&str, u32> = HashMap::new();
        let mut skills = Vec::with_capacity(data.skills.len());
        let mut by_name: HashMap<String, u32> = HashMap::new();
        for def in &data.skills {
            let category = *category_ix.entry(def.category.as_str()).or_insert_with(|| {
                categories.push(Category {
                    id: g.id(),
                    name: &def.category,
                });
                categories.len() as u32 - 1
            });
            by_name.insert(def.name.to_lowercase(), skills.len() as u32);
            skills.push(Skill {
                id: g.id(),
                def,
                category,
            });
        }
        let skill = |name: &str| -> u32 {
            *by_name
                .get(&name.to_lowercase())
                .unwrap_or_else(|| panic!("embedded demo data names an unknown skill: {name}"))
        };

        let mut aliases = Vec::new();
        let mut seen_aliases: HashSet<String> = HashSet::new();
        for (ix, def) in data.skills.iter().enumerate() {
            for alias in def.alias_list() {
                let key = alias.to_lowercase();
                if !by_name.contains_key(&key) && seen_aliases.insert(key) {
                    aliases.push(Alias {
                        id: g.id(),
                        skill: ix as u32,
                        alias,
                    });
                }
            }
        }

        let mut relations = Vec::with_capacity(data.relations.len() * 2);
        let mut related: Vec<Vec<(u32, f64)>> = vec![Vec::new(); skills.len()];
        let mut seen_pairs: HashSet<(u32, u32)> = HashSet::new();
        for def in &data.relations {
            let (a, b) = (skill(&def.skill), skill(&def.related));
            if a == b || !seen_pairs.insert((a.min(b), a.max(b))) {
                continue;
            }
            for (x, y) in [(a, b), (b, a)] {
                relations.push(Relation {
                    skill: x,
                    related: y,
                    strength: def.strength,
                });
                related[x as usize].push((y, def.strength));
            }
        }
        let related = related
            .into_iter()
            .map(|mut r| {
                r.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
                r.into_iter().map(|(s, _)| s).collect()
            })
            .collect();

        let mut families: Vec<Family> = data
            .families
            .iter()
            .map(|f| Family {
                id: g.id(),
                name: &f.family,
                department: &f.department,
                ic_title: &f.ic_title,
                manager_title: &f.manager_title,
                description: &f.description,
                core: Vec::new(),
                secondary: Vec::new(),
                leadership: Vec::new(),
                lateral: Vec::new(),
            })
            .collect();
        let family_ix = |name: &str| -> u32 {
            families
                .iter()
                .position(|f| f.name == name)
                .unwrap_or_else(|| panic!("embedded demo data names an unknown job family: {name}"))
                as u32
        };
        let mut tiers: Vec<(u32, Tier, u32)> = Vec::new();
        for fs in &data.family_skills {
            tiers.push((family_ix(&fs.family), fs.tier, skill(&fs.skill)));
        }
        let mut laterals: Vec<(u32, u32)> = Vec::new();
        for (a, b) in LATERAL_PAIRS {
            laterals.push((family_ix(a), family_ix(b)));
        }
        for (f, tier, s) in tiers {
            let family = &mut families[f as usize];
            match tier {
                Tier::Core => family.core.push(s),
                Tier::Secondary => family.secondary.push(s),
                Tier::Leadership => family.leadership.push(s),
            }
        }
        for (a, b) in laterals {
            families[a as usize].lateral.push(b);
            families[b as usize].lateral.push(a);
        }
        // Each family's skills in a fixed random order: lower levels require a prefix of what
        // higher levels require, so a promotion shows gaps in levels, not in unrelated skills.
        for family in &mut families {
            g.shuffle(&mut family.core);
            g.shuffle(&mut family.secondary);
            g.shuffle(&mut family.leadership);
        }

        let levels = LEVELS
            .iter()
            .map(|&(code, name, manager, rank)| Level {
                id: g.id(),
                code,
                name,
                manager,
                rank,
            })
            .collect();
        Taxonomy {
            categories,
            skills,
            aliases,
            relations,
            related,
            families,
            levels,
            profiles: Vec::new(),
            profile_skills: Vec::new(),
            profile_skill_ranges: Vec::new(),
            career_paths: Vec::new(),
            paths_from: Vec::new(),
        }
    }

    /// The profile of `family` at `level`.
    pub fn profile(&self, family: u32, level: u32) -> u32 {
        family * LEVEL_COUNT + level
    }

    /// The family of a profile.
    pub fn family_of(&self, profile: u32) -> u32 {
        self.profiles[profile as usize].family
    }

    /// The level (index into [`LEVELS`]) of a profile.
    pub fn level_of(&self, profile: u32) -> u32 {
        self.profiles[profile as usize].level
    }

    /// The rank of a profile's level.
    pub fn rank_of(&self, profile: u32) -> u8 {
        self.levels[self.level_of(profile) as usize].rank
    }

    /// The skills a profile requires.
    pub fn skills_of(&self, profile: u32) -> &[ProfileSkill] {
        &self.profile_skills[self.profile_skill_ranges[profile as usize].clone()]
    }

    /// The family with this name.
    pub fn family_named(&self, name: &str) -> Option<u32> {
        self.families
            .iter()
            .position(|f| f.name == name)
            .map(|i| i as u32)
    }

    /// The skill as the subject of a sentence: knowledge as named ("data models"), a skill's
    /// verb phrase as a gerund ("use markup languages" becomes "using markup languages").
    pub fn topic(&self, skill: u32) -> String {
        let def = self.skills[skill as usize].def;
        if def.db_type() == "knowledge" {
            return def.name.clone();
        }
        let mut words: Vec<String> = def.name.split(' ').map(str::to_string).collect();
        // "critically evaluate ...": the verb follows the adverb.
        let verb = usize::from(words.len() > 1 && words[0].ends_with("ally"));
        words[verb] = gerund(&words[verb]);
        words.join(" ")
    }
}

/// The -ing form of an English verb ("manage" -> "managing", "plan" -> "planning").
pub fn gerund(verb: &str) -> String {
    const DOUBLED: [&str; 10] = [
        "set", "plan", "control", "debug", "run", "get", "put", "cut", "stop", "model",
    ];
    if DOUBLED.contains(&verb) {
        let last = verb.chars().last().unwrap_or('t');
        return format!("{verb}{last}ing");
    }
    if let Some(stem) = verb.strip_suffix("ie") {
        return format!("{stem}ying");
    }
    if verb.ends_with("ee") || verb.ends_with("ye") || verb.ends_with("oe") {
        return format!("{verb}ing");
    }
    match verb.strip_suffix('e') {
        Some(stem) if !stem.is_empty() => format!("{stem}ing"),
        _ => format!("{verb}ing"),
    }
}

/// `text` with its first letter in upper case.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
