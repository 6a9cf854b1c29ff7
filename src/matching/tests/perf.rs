//! A timing sanity check on a generated company of the target size: 200,000 people, 5,000
//! skills (about 12 per person, popularity skewed like real taxonomies), 10,000 open
//! openings (about 8 required skills each), 5,000 courses. Ignored by default; run with
//! `SQLX_OFFLINE=true cargo test --release --lib matching::tests::perf -- --ignored --nocapture`.
//! The real benchmark (with the SQL comparison) lives outside the engine.

use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::matching::{
    gaps, learning_path, Course, CourseCatalog, CourseSkill, HeldSkill, MatchConfig, MatchIndex,
    OpeningEntry, OpeningFilter, OpeningId, OpeningKind, OpeningTags, PersonEntry, PersonId,
    PersonStatus, Profile, SkillGraph, TalentFilter,
};

const PEOPLE: u32 = 200_000;
const SKILLS: u32 = 5_000;
const OPENINGS: u32 = 10_000;

/// Skill popularity: rank r is drawn with weight 1 / (r + 10), so the most common skill is
/// held by about a fifth of the company and most skills by a few hundred people.
struct Zipf(Vec<f64>);

impl Zipf {
    fn new() -> Self {
        let mut acc = 0.0;
        Self(
            (0..SKILLS)
                .map(|r| {
                    acc += 1.0 / (f64::from(r) + 10.0);
                    acc
                })
                .collect(),
        )
    }

    fn draw(&self, rng: &mut ChaCha8Rng) -> SkillId {
        let x = rng.gen::<f64>() * self.0[self.0.len() - 1];
        SkillId(self.0.partition_point(|&c| c < x).min(SKILLS as usize - 1) as u32)
    }
}

fn percentile(times: &mut [Duration], p: f64) -> Duration {
    times.sort_unstable();
    times[((times.len() - 1) as f64 * p).round() as usize]
}

/// CPU time this thread has run, in nanoseconds (robust to other processes on the machine).
fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<f64>().ok())
        .map_or(0.0, |pages| pages * 4096.0 / 1_048_576.0)
}

#[test]
#[ignore = "timing on a 200,000-person company; run in release"]
fn timings_at_200k_people() {
    let rss_start = rss_mib();
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let zipf = Zipf::new();
    let edges: Vec<_> = (0..SKILLS * 2)
        .map(|_| {
            let a = rng.gen_range(0..SKILLS);
            let b = (a + rng.gen_range(1..50)) % SKILLS;
            (SkillId(a), SkillId(b), rng.gen_range(0.3..0.9f32))
        })
        .collect();
    let people: Vec<(PersonId, PersonEntry)> = (0..PEOPLE)
        .map(|i| {
            let skills = (0..rng.gen_range(8..=16))
                .map(|_| HeldSkill {
                    skill: zipf.draw(&mut rng),
                    level: rng.gen_range(1..=5),
                    evidence: EVIDENCE[rng.gen_range(0..4)],
                    confirmed_on_day: TODAY - rng.gen_range(0..1500),
                })
                .collect();
            let entry = PersonEntry {
                profile: Profile::new(skills),
                status: PersonStatus {
                    active: rng.gen_bool(0.97),
                    discoverable: rng.gen_bool(0.95),
                    role_started_on_day: TODAY - rng.gen_range(0..2000),
                },
            };
            (PersonId(i), entry)
        })
        .collect();
    let openings: Vec<(OpeningId, OpeningEntry)> = (0..OPENINGS)
        .map(|i| {
            let entry = OpeningEntry {
                requirements: (0..rng.gen_range(6..=10))
                    .map(|_| {
                        req(
                            zipf.draw(&mut rng).0,
                            rng.gen_range(2..=5),
                            IMPORTANCE[rng.gen_range(0..3)],
                        )
                    })
                    .collect(),
                owner: PersonId(rng.gen_range(0..PEOPLE)),
                kind: [OpeningKind::Role, OpeningKind::Project][rng.gen_range(0..2)],
                tags: OpeningTags {
                    job_profile: Some(rng.gen_range(0..400)),
                    job_family: Some(rng.gen_range(0..20)),
                    ..OpeningTags::default()
                },
            };
            (OpeningId(i), entry)
        })
        .collect();
    let courses: Vec<Course> = (0..5_000)
        .map(|i| {
            let skills = (0..rng.gen_range(1..=3))
                .map(|_| {
                    let entry_level = rng.gen_range(0..=3);
                    CourseSkill {
                        skill: zipf.draw(&mut rng),
                        entry_level,
                        target_level: rng.gen_range(entry_level + 1..=5),
                    }
                })
                .collect();
            Course {
                id: i,
                hours: f32::from(rng.gen_range(4u16..=400)) / 10.0,
                skills,
            }
        })
        .collect();

    let started = Instant::now();
    let index = MatchIndex::build(
        SkillGraph::new(edges),
        MatchConfig::default(),
        people,
        openings,
    );
    let build = started.elapsed();
    let rss_after = rss_mib();
    println!(
        "build: {build:?}; index heap estimate {:.0} MiB; process resident {rss_start:.0} -> {rss_after:.0} MiB",
        index.heap_bytes() as f64 / 1_048_576.0
    );

    let mut visits: Vec<usize> = (0..OPENINGS)
        .map(|o| {
            index
                .opening(OpeningId(o))
                .unwrap()
                .requirements
                .iter()
                .map(|r| {
                    index.holder_count(r.skill)
                        + index
                            .graph()
                            .related(r.skill)
                            .iter()
                            .map(|x| index.holder_count(x.skill))
                            .sum::<usize>()
                })
                .sum()
        })
        .collect();
    visits.sort_unstable();
    println!(
        "postings per talent search: p50 {} p99 {}",
        visits[visits.len() / 2],
        visits[visits.len() * 99 / 100]
    );
    let mut talent = Vec::new();
    let cpu = cpu_ns();
    for _ in 0..300 {
        let o = OpeningId(rng.gen_range(0..OPENINGS));
        let filter = TalentFilter::for_kind(index.opening(o).unwrap().kind, TODAY, 12);
        let t = Instant::now();
        let top = index.talent_search(o, 50, &filter, TODAY).unwrap();
        talent.push(t.elapsed());
        assert_eq!(top.len(), 50);
    }
    let talent_cpu = (cpu_ns() - cpu) as f64 / 300.0 / 1e6;
    let mut recs = Vec::new();
    let cpu = cpu_ns();
    for _ in 0..300 {
        let p = PersonId(rng.gen_range(0..PEOPLE));
        let t = Instant::now();
        let top = index
            .recommendations(p, 20, &OpeningFilter::default(), TODAY)
            .unwrap();
        recs.push(t.elapsed());
        assert_eq!(top.len(), 20);
    }
    let recs_cpu = (cpu_ns() - cpu) as f64 / 300.0 / 1e6;
    let catalog = CourseCatalog::new(courses);
    let config = MatchConfig::default();
    let mut paths = Vec::new();
    let mut gap_counts = Vec::new();
    for _ in 0..300 {
        let p = index.person(PersonId(rng.gen_range(0..PEOPLE))).unwrap();
        let o = index
            .opening(OpeningId(rng.gen_range(0..OPENINGS)))
            .unwrap();
        let g = gaps(&p.profile, &o.requirements);
        gap_counts.push(g.len());
        let t = Instant::now();
        let path = learning_path(&g, &catalog, &config);
        paths.push(t.elapsed());
        assert!(path.exact);
    }
    println!(
        "talent search top 50: p50 {:?} p99 {:?}, mean CPU {talent_cpu:.2} ms",
        percentile(&mut talent, 0.5),
        percentile(&mut talent, 0.99)
    );
    println!(
        "recommendations top 20: p50 {:?} p99 {:?}, mean CPU {recs_cpu:.2} ms",
        percentile(&mut recs, 0.5),
        percentile(&mut recs, 0.99)
    );
    gap_counts.sort_unstable();
    println!(
        "learning path ({} gaps typical): p50 {:?} p99 {:?}",
        gap_counts[gap_counts.len() / 2],
        percentile(&mut paths, 0.5),
        percentile(&mut paths, 0.99)
    );
}
