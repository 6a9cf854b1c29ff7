//! How common each skill is in the demo company: the technologies and tools each job family
//! works with (Git, SQL, Python, cloud...) and the general skills anyone may hold, each with
//! the share of people who hold it. A person's skills are their job profile's requirements
//! (most of them) plus draws from these tables, so a skill's prevalence follows how a real
//! company uses it, not how many job profiles happen to list it.

use super::taxonomy::Taxonomy;

/// A skill of a family's stack held by fewer than this share is a specific technology: job
/// profiles do not ask for it, openings may.
pub const SPECIFIC_SHARE: f64 = 0.6;

/// The skills a job family works with day to day, and the share of its people holding each.
pub const FAMILY_STACKS: [(&str, &[(&str, f64)]); 12] = [
    (
        "Engineering",
        &[
            ("tools for software configuration management", 0.90),
            ("debug software", 0.80),
            ("perform software unit testing", 0.70),
            ("SQL", 0.55),
            ("Agile development", 0.55),
            ("JavaScript", 0.45),
            ("Python (computer programming)", 0.45),
            ("develop with cloud services", 0.45),
            ("cloud technologies", 0.40),
            ("TypeScript", 0.35),
            ("Java (computer programming)", 0.30),
            ("DevOps", 0.30),
            ("develop automated software tests", 0.30),
        ],
    ),
    (
        "Data & Analytics",
        &[
            ("SQL", 0.90),
            ("perform data analysis", 0.85),
            ("Python (computer programming)", 0.70),
            ("statistics", 0.65),
            ("use spreadsheets software", 0.60),
            ("deliver visual presentation of data", 0.55),
            ("business intelligence", 0.50),
            ("tools for software configuration management", 0.50),
            ("data models", 0.45),
            ("perform data cleansing", 0.40),
            ("cloud technologies", 0.30),
            ("R", 0.25),
        ],
    ),
    (
        "IT & Security",
        &[
            ("operating systems", 0.75),
            ("cyber security", 0.65),
            ("cloud technologies", 0.60),
            ("tools for software configuration management", 0.45),
            ("Python (computer programming)", 0.35),
            ("cloud security and compliance", 0.35),
            ("SQL", 0.30),
            ("DevOps", 0.30),
        ],
    ),
    (
        "Product Management",
        &[
            ("Agile project management", 0.60),
            ("use spreadsheets software", 0.60),
            ("perform data analysis", 0.50),
            ("use presentation software", 0.50),
            ("Agile development", 0.40),
            ("SQL", 0.30),
        ],
    ),
    (
        "Design",
        &[
            ("graphics editor software", 0.70),
            ("create prototype of user experience solutions", 0.60),
            ("use creative suite software", 0.50),
            ("ICT accessibility standards", 0.40),
            ("Agile development", 0.30),
            ("JavaScript", 0.10),
        ],
    ),
    (
        "Marketing",
        &[
            ("digital marketing techniques", 0.60),
            ("use spreadsheets software", 0.60),
            ("use presentation software", 0.55),
            ("search engine optimisation", 0.35),
            ("perform data analysis", 0.25),
            ("SQL", 0.08),
        ],
    ),
    (
        "Sales",
        &[
            ("customer relationship management", 0.80),
            ("use presentation software", 0.70),
            ("use spreadsheets software", 0.50),
        ],
    ),
    (
        "Customer Success",
        &[
            ("customer relationship management", 0.70),
            ("use presentation software", 0.40),
            ("use spreadsheets software", 0.40),
            ("SQL", 0.08),
        ],
    ),
    (
        "Finance",
        &[
            ("use spreadsheets software", 0.95),
            ("financial analysis", 0.60),
            ("accounting", 0.55),
            ("use presentation software", 0.40),
            ("SQL", 0.15),
        ],
    ),
    (
        "Operations",
        &[
            ("use spreadsheets software", 0.80),
            ("perform project management", 0.50),
            ("use e-procurement", 0.30),
            ("manage budgets", 0.30),
        ],
    ),
    (
        "People (HR)",
        &[
            ("interview people", 0.60),
            ("use spreadsheets software", 0.55),
            ("data protection", 0.35),
        ],
    ),
    (
        "Legal",
        &[
            ("use word processing software", 0.80),
            ("data protection", 0.60),
            ("ICT security legislation", 0.25),
        ],
    ),
];

/// Skills of any job, and the share of everyone holding each.
pub const GENERAL_SKILLS: [(&str, f64); 10] = [
    ("use communication and collaboration software", 0.55),
    ("work in teams", 0.45),
    ("use microsoft office", 0.35),
    ("manage time", 0.25),
    ("give live presentation", 0.20),
    ("listen actively", 0.20),
    ("attend to detail", 0.20),
    ("think analytically", 0.20),
    ("adapt to change", 0.15),
    ("solve problems", 0.15),
];

/// The tables as skill indices: for each family (indexed like `taxonomy.families`) its stack,
/// and the general skills. Panics on a name the taxonomy lacks (a bug in the tables above).
pub struct Prevalence {
    pub stacks: Vec<Vec<(u32, f64)>>,
    pub general: Vec<(u32, f64)>,
}

impl Prevalence {
    pub fn new(t: &Taxonomy) -> Prevalence {
        let skill = |name: &str| -> u32 {
            t.skills
                .iter()
                .position(|s| s.def.name.eq_ignore_ascii_case(name))
                .unwrap_or_else(|| panic!("the prevalence tables name an unknown skill: {name}"))
                as u32
        };
        let mut stacks = vec![Vec::new(); t.families.len()];
        for (family, skills) in FAMILY_STACKS {
            let f = t.family_named(family).unwrap_or_else(|| {
                panic!("the prevalence tables name an unknown family: {family}")
            });
            stacks[f as usize] = skills.iter().map(|&(s, p)| (skill(s), p)).collect();
        }
        let general = GENERAL_SKILLS.iter().map(|&(s, p)| (skill(s), p)).collect();
        Prevalence { stacks, general }
    }
}

/// The usual level of a hands-on skill at a job level's rank: 2 for associates, 3 for
/// seniors, 4 for staff and principals, 5 for distinguished; managers one below their rank's.
pub fn usual_level(rank: u8, manager: bool) -> u8 {
    let level = match rank {
        0..=2 => 2,
        3 => 3,
        4 | 5 => 4,
        _ => 5,
    };
    if manager {
        (level - 1).max(2)
    } else {
        level
    }
}
