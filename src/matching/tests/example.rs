//! The worked example of docs/MATCHING.md, computed: if this test changes, the document must.

use super::*;
use crate::matching::{
    fit, learning_path, order_by_impact, weeks_to_ready, what_if, Aspirations, CourseCatalog,
    Evidence::*, FitContext, Importance::*, MatchConfig, Mobility, Names, OpeningTags, Profile,
    Rarity, SkillGraph,
};

const SQL: u32 = 0;
const PYTHON: u32 = 1;
const POSTGRES: u32 = 2;
const SPARK: u32 = 3;
const DATAVIZ: u32 = 4;

struct ExampleNames;
impl Names for ExampleNames {
    fn skill(&self, skill: SkillId) -> String {
        [
            "SQL",
            "Python",
            "PostgreSQL",
            "Apache Spark",
            "Data visualisation",
        ][skill.index()]
        .to_owned()
    }
}

/// 2024-10-04 is day 20,000; the dates below are the days of the document.
const DAY_2024_03_01: i32 = 19_783;
const DAY_2024_06_10: i32 = 19_884;
const DAY_2021_05_20: i32 = 18_767;

fn ana() -> Profile {
    Profile::new(vec![
        held_on(SQL, 4, ManagerValidated, DAY_2024_03_01),
        held_on(PYTHON, 3, SelfAssessed, DAY_2024_06_10),
        held_on(DATAVIZ, 3, SelfAssessed, DAY_2021_05_20),
    ])
}

fn data_engineer() -> Vec<crate::matching::Requirement> {
    vec![
        req(SQL, 4, Essential),
        req(PYTHON, 4, Important),
        req(POSTGRES, 3, Important),
        req(SPARK, 3, Essential),
        req(DATAVIZ, 2, NiceToHave),
    ]
}

fn catalogue() -> CourseCatalog {
    let c = super::learning_tests::course;
    CourseCatalog::new(vec![
        c(11, 16.0, &[(PYTHON, 3, 4)]), // Python for Data Engineering
        c(12, 12.0, &[(SPARK, 0, 2)]),  // Spark Fundamentals
        c(13, 18.0, &[(SPARK, 2, 3), (PYTHON, 3, 4)]), // Spark in Production
        c(14, 14.0, &[(SPARK, 2, 3)]),  // Spark Deep Dive
        c(15, 30.0, &[(POSTGRES, 0, 3)]), // PostgreSQL Administration
        c(16, 8.0, &[(POSTGRES, 0, 2)]), // PostgreSQL Quickstart
        c(17, 14.0, &[(POSTGRES, 2, 4)]), // Advanced PostgreSQL
        c(18, 60.0, &[(SPARK, 0, 3), (PYTHON, 0, 4), (POSTGRES, 0, 3)]), // Data Engineering Bootcamp
    ])
}

fn reason_points(f: &crate::matching::Fit) -> Vec<i32> {
    f.reasons.iter().map(|r| r.points()).collect()
}

#[test]
fn the_worked_example_of_the_documentation() {
    let graph = SkillGraph::new([(SkillId(SQL), SkillId(POSTGRES), 0.8)]);
    let config = MatchConfig::default();
    let ctx = FitContext::people_for_opening(TODAY);

    // 1. Ana's fit for the Data Engineer opening, as the hiring manager sees it.
    let f = fit(&ana(), &data_engineer(), &graph, &config, &ctx);
    assert_eq!(f.score, 40);
    assert_eq!(reason_points(&f), vec![27, 8, 9, 0, 5, -9]);
    let credits: Vec<f64> = f
        .skill_reasons()
        .map(|r| (r.credit * 1000.0).round() / 1000.0)
        .collect();
    assert_eq!(credits, vec![1.0, 0.45, 0.48, 0.0, 0.56]);
    assert_eq!(
        f.explain(&ExampleNames),
        vec![
            "SQL (essential): level 4 asked, 4 held (manager-validated): met, +27 points",
            "Python (important): level 4 asked, 3 held (self-assessed): partly met, +8 points",
            "PostgreSQL (important): level 3 asked, not held; related skill SQL at level 4 (manager-validated), strength 0.80: met through a related skill, +9 points",
            "Apache Spark (essential): level 3 asked, not held: missing, +0 points",
            "Data visualisation (nice to have): level 2 asked, 3 held (self-assessed), not confirmed for a long time so it counts less: met, counted at 56%, +5 points",
            "Score capped at 40 because the essential skill Apache Spark is missing or far below the level asked: -9 points",
        ]
    );

    // 2. The learning path: 52 hours, 13 weeks at 4 hours a week.
    let catalog = catalogue();
    let plan = learning_path(&f.gaps(), &catalog, &config);
    assert_eq!(
        (plan.total_hours, plan.exact, plan.unclosable.len()),
        (52.0, true, 0)
    );
    assert_eq!(
        plan.closed,
        vec![SkillId(PYTHON), SkillId(POSTGRES), SkillId(SPARK)]
    );
    let path = order_by_impact(
        &ana(),
        &data_engineer(),
        &graph,
        &config,
        &ctx,
        &plan,
        &catalog,
    );
    type Raises = Vec<(u32, u8, u8)>;
    let steps: Vec<(u32, Raises)> = path
        .steps
        .iter()
        .map(|s| {
            (
                s.course,
                s.raises.iter().map(|r| (r.skill.0, r.from, r.to)).collect(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            (12, vec![(SPARK, 0, 2)]),
            (13, vec![(SPARK, 2, 3), (PYTHON, 3, 4)]),
            (16, vec![(POSTGRES, 0, 2)]),
            (17, vec![(POSTGRES, 2, 4)]),
        ]
    );
    assert_eq!(weeks_to_ready(path.total_hours, 4.0), Some(13));

    // 3. What if: the score after each course.
    let w = what_if(&ana(), &data_engineer(), &graph, &config, &ctx, &path);
    let effects: Vec<(u32, u8, u8)> = w
        .steps
        .iter()
        .map(|s| (s.course, s.before, s.after))
        .collect();
    assert_eq!(
        effects,
        vec![(12, 40, 60), (13, 60, 82), (16, 82, 82), (17, 82, 90)]
    );
    assert_eq!((w.before, w.after), (40, 90));

    // 4. The same opening as Ana sees it in her recommendations: rarity weights from a
    // workforce of 1,000, and the opening fills her target role.
    let mut counts = vec![0u32; 5];
    counts[SQL as usize] = 400;
    counts[PYTHON as usize] = 300;
    counts[POSTGRES as usize] = 80;
    counts[SPARK as usize] = 30;
    counts[DATAVIZ as usize] = 250;
    let rarity = Rarity::from_holder_counts(&counts, 1000, &config);
    let weights: Vec<f64> = (0..5)
        .map(|s| (rarity.weight(SkillId(s)) * 100.0).round() / 100.0)
        .collect();
    assert_eq!(weights, vec![0.31, 0.40, 0.84, 1.0, 0.46]);
    let dreamer = ana()
        .with_aspirations(Aspirations {
            target_profiles: vec![7],
            ..Default::default()
        })
        .with_mobility(Mobility {
            rank: Some(2),
            ..Mobility::default()
        });
    let tags = OpeningTags {
        job_profile: Some(7),
        job_family: Some(1),
        rank: Some(3),
        ..OpeningTags::default()
    };
    let mine = fit(
        &dreamer,
        &data_engineer(),
        &graph,
        &config,
        &FitContext::openings_for_person(TODAY, &rarity, tags),
    );
    assert_eq!(
        (mine.score, reason_points(&mine)),
        (49, vec![7, 3, 7, 0, 2, 14, 10, 6]),
        "19 of 55 for the fit (under the fit part's cap of 22 while Spark is missing), 14 of 30 \
         for the overlap, +10 one level up, +6 target role: {:#?}",
        mine.explain(&ExampleNames)
    );
    assert_eq!(
        mine.explain(&ExampleNames)[5..7],
        [
            "Uses 3 of your 3 skills; 2 to learn (rarer skills count more): +14 points",
            "A step up, one level above yours: +10 points",
        ]
    );
}
