//! The offline evaluation of career-move suggestions on ESCO (`cargo test --bench esco`; in
//! release, `cargo bench --bench esco`). For each of ESCO's 3,007 occupations (a job profile
//! asking for its essential skills as essential and its optional skills as nice to have, all
//! at level 3, with ESCO's skill relations as related skills: exactly what
//! `trellis import esco` stores), it takes the 10 other occupations each method suggests and
//! counts how many share the occupation's ISCO unit group (4 digits). It prints, per method,
//! the mean share of the top 10 in the same unit group, the best any method could reach
//! (unit groups with fewer than 11 occupations cap it), and how concentrated the suggestions
//! are (the share of all top-10 slots the 5 most suggested occupations fill).
//!
//! Methods: Trellis's relevance (`suggest_career_paths`), the fit alone as a manager sees it
//! (the previous suggestions), plain Jaccard on the skill sets and cosine over the levels
//! asked. The data is `data/esco/occupations.tsv.gz` (see `data/esco/README.md`).

use std::cmp::Ordering;
use std::collections::HashMap;
use std::io::Read;

use flate2::read::GzDecoder;
use trellis::matching::{
    fit_score, profile_rarity, suggest_career_paths, typical_holder, FitContext, Importance,
    JobProfileSkills, MatchConfig, Requirement, SkillGraph, SkillId,
};

const K: usize = 10;
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/esco/occupations.tsv.gz");

struct Occupation {
    isco: String,
    label: String,
    /// Every skill, sorted (essential and optional alike).
    skills: Vec<u32>,
}

fn ids(field: &str) -> Vec<u32> {
    field
        .split_whitespace()
        .map(|s| s.parse().expect("a skill number"))
        .collect()
}

fn load() -> (Vec<Occupation>, Vec<JobProfileSkills>, SkillGraph) {
    let mut text = String::new();
    GzDecoder::new(std::fs::File::open(DATA).expect("data/esco/occupations.tsv.gz"))
        .read_to_string(&mut text)
        .expect("a gzip text file");
    let (mut occupations, mut profiles, mut edges) = (Vec::new(), Vec::new(), Vec::new());
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        match f[0] {
            "O" => {
                let (essential, optional) = (ids(f[3]), ids(f[4]));
                let req = |s: u32, importance| Requirement {
                    skill: SkillId(s),
                    level: 3,
                    importance,
                };
                let requirements: Vec<Requirement> = essential
                    .iter()
                    .map(|&s| req(s, Importance::Essential))
                    .chain(optional.iter().map(|&s| req(s, Importance::NiceToHave)))
                    .collect();
                let mut skills: Vec<u32> = essential.into_iter().chain(optional).collect();
                skills.sort_unstable();
                skills.dedup();
                profiles.push(JobProfileSkills {
                    id: profiles.len() as u32,
                    requirements,
                    family: None,
                    rank: None,
                });
                occupations.push(Occupation {
                    isco: f[1].to_owned(),
                    label: f[2].to_owned(),
                    skills,
                });
            }
            "R" => edges.push((
                SkillId(f[1].parse().unwrap()),
                SkillId(f[2].parse().unwrap()),
                f[3].parse::<f32>().unwrap(),
            )),
            other => panic!("unknown line kind {other}"),
        }
    }
    (occupations, profiles, SkillGraph::new(edges))
}

fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// The top `K` others by `score` (descending, then by index), leaving out scores of 0.
fn top(n: usize, from: usize, score: impl Fn(usize) -> f64) -> Vec<usize> {
    let mut all: Vec<(f64, usize)> = (0..n)
        .filter(|&j| j != from)
        .map(|j| (score(j), j))
        .filter(|&(s, _)| s > 0.0)
        .collect();
    all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    all.into_iter().take(K).map(|(_, j)| j).collect()
}

/// Runs `suggest` for every occupation on two threads.
fn suggestions(n: usize, suggest: impl Fn(usize) -> Vec<usize> + Sync) -> Vec<Vec<usize>> {
    let half = n / 2;
    std::thread::scope(|s| {
        let first = s.spawn(|| (0..half).map(&suggest).collect::<Vec<_>>());
        let second: Vec<_> = (half..n).map(&suggest).collect();
        let mut all = first.join().expect("the first half");
        all.extend(second);
        all
    })
}

struct Figures {
    same_group: f64,
    hubs: f64,
}

fn figures(occupations: &[Occupation], tops: &[Vec<usize>]) -> Figures {
    let n = occupations.len() as f64;
    let same_group = tops
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let same = t
                .iter()
                .filter(|&&j| occupations[j].isco == occupations[i].isco);
            same.count() as f64 / K as f64
        })
        .sum::<f64>()
        / n;
    let mut times: HashMap<usize, usize> = HashMap::new();
    for &j in tops.iter().flatten() {
        *times.entry(j).or_default() += 1;
    }
    let mut counts: Vec<usize> = times.into_values().collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let slots: usize = tops.iter().map(Vec::len).sum();
    Figures {
        same_group,
        hubs: counts.iter().take(5).sum::<usize>() as f64 / slots.max(1) as f64,
    }
}

fn main() {
    let (occupations, profiles, graph) = load();
    let n = occupations.len();
    // ESCO_CONFIG='{"relevance_overlap_points": 40, ...}' tries other settings.
    let config: MatchConfig = std::env::var("ESCO_CONFIG").map_or_else(
        |_| MatchConfig::default(),
        |json| serde_json::from_str(&json).expect("ESCO_CONFIG: a MatchConfig as JSON"),
    );
    config.validate().expect("a valid configuration");
    let mut groups: HashMap<&str, usize> = HashMap::new();
    for o in &occupations {
        *groups.entry(o.isco.as_str()).or_default() += 1;
    }
    let ceiling = occupations
        .iter()
        .map(|o| (groups[o.isco.as_str()] - 1).min(K) as f64 / K as f64)
        .sum::<f64>()
        / n as f64;
    println!(
        "ESCO: {n} occupations in {} ISCO unit groups, {} skill relations",
        groups.len(),
        graph.edge_count() / 2
    );
    println!("share of the top {K} in the occupation's ISCO unit group (higher is better)");
    println!(
        "{:<52} {:>10} {:>14}",
        "method", "same group", "top-5 hub share"
    );
    let show = |name: &str, tops: &[Vec<usize>]| {
        let f = figures(&occupations, tops);
        println!("{name:<52} {:>10.3} {:>14.3}", f.same_group, f.hubs);
    };

    let rarity = profile_rarity(&profiles, &config);
    let relevance = suggestions(n, |i| {
        suggest_career_paths(&profiles[i], &profiles, &graph, &config, &rarity, K)
            .into_iter()
            .map(|s| s.profile as usize)
            .collect()
    });
    show("Trellis relevance (suggest_career_paths)", &relevance);

    let holders: Vec<_> = profiles
        .iter()
        .map(|p| typical_holder(&p.requirements))
        .collect();
    let ctx = FitContext::people_for_opening(0);
    let coverage = suggestions(n, |i| {
        top(n, i, |j| {
            let s = fit_score(
                &holders[i],
                &profiles[j].requirements,
                &graph,
                &config,
                &ctx,
            );
            f64::from(s)
        })
    });
    show(
        "fit alone, as a manager sees it (the old suggestions)",
        &coverage,
    );

    let jaccard = suggestions(n, |i| {
        top(n, i, |j| {
            let (a, b) = (&occupations[i].skills, &occupations[j].skills);
            let s = shared(a, b);
            s as f64 / (a.len() + b.len() - s) as f64
        })
    });
    show("baseline: Jaccard on the skill sets", &jaccard);

    // Every level asked is 3, so the cosine over levels is 9 x shared / (3|a| x 3|b|)^(1/2)
    // squared out: shared / sqrt(|a| |b|).
    let cosine = suggestions(n, |i| {
        top(n, i, |j| {
            let (a, b) = (&occupations[i].skills, &occupations[j].skills);
            shared(a, b) as f64 / ((a.len() * b.len()) as f64).sqrt()
        })
    });
    show("baseline: cosine over the levels asked", &cosine);
    println!("{:<52} {ceiling:>10.3}", "the most any method can reach");

    let example = occupations
        .iter()
        .position(|o| o.label == "data scientist")
        .unwrap_or(0);
    println!(
        "\nsuggested moves from \"{}\" (ISCO {}):",
        occupations[example].label, occupations[example].isco
    );
    for &j in &relevance[example] {
        println!("  {} ({})", occupations[j].label, occupations[j].isco);
    }
}
