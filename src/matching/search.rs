//! Talent search: the top people for an opening, equal to ranking everyone by `fit` (score
//! descending, then id ascending).
//!
//! Talent search never scores the 200,000 people one by one: for each requirement it walks
//! the postings of the skill and of its related skills, keeps each person's best credit, and
//! adds the requirement's contribution to a per-person accumulator, in requirement order,
//! with the same functions `fit` uses, so the accumulated score is exactly `fit`'s score.
//! People in no posting score 0. Only the top k get a full `fit` with reasons.

use std::cell::RefCell;

use super::context::{FitContext, Mode};
use super::credit::{
    contribution, direct_credit, final_score, points_scale, related_credit, requirement_weight,
    round_total,
};
use super::entries::{Holding, OpeningId, PersonId};
use super::filters::{top_k, Ranked, TalentFilter};
use super::fit::fit;
use super::index::MatchIndex;
use super::model::{Evidence, Importance, Level, Requirement, MAX_LEVEL};

/// Per-thread buffers sized to the number of people, reused across searches so a search
/// allocates nothing proportional to the workforce. Entries are valid only when their stamp
/// matches the current search (or requirement), so nothing needs clearing.
#[derive(Default)]
struct Scratch {
    stamp: u32,
    acc: Vec<f64>,
    acc_stamp: Vec<u32>,
    essentials: Vec<u16>,
    best: Vec<f64>,
    best_stamp: Vec<u32>,
    touched: Vec<u32>,
    req_touched: Vec<u32>,
}

impl Scratch {
    fn prepare(&mut self, n: usize) {
        if self.acc.len() < n {
            self.acc.resize(n, 0.0);
            self.acc_stamp.resize(n, 0);
            self.essentials.resize(n, 0);
            self.best.resize(n, 0.0);
            self.best_stamp.resize(n, 0);
        }
        self.touched.clear();
    }

    fn next_stamp(&mut self) -> u32 {
        if self.stamp == u32::MAX {
            self.acc_stamp.fill(0);
            self.best_stamp.fill(0);
            self.stamp = 0;
        }
        self.stamp += 1;
        self.stamp
    }

    #[inline]
    fn offer(&mut self, person: u32, credit: f64, stamp: u32) {
        let p = person as usize;
        if self.best_stamp[p] != stamp {
            self.best_stamp[p] = stamp;
            self.best[p] = credit;
            self.req_touched.push(person);
        } else if credit > self.best[p] {
            self.best[p] = credit;
        }
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The credit of one requirement for every (level, evidence, staleness) a posting can have,
/// computed once per search with the very functions `fit` uses, so a lookup is bit-identical
/// to `fit`'s computation and the inner loop over postings is a table read.
struct CreditTable([f64; 6 * 4 * 2]);

impl CreditTable {
    fn new(credit: impl Fn(Level, Evidence, bool) -> f64) -> Self {
        let mut t = [0.0; 48];
        for level in 0..=MAX_LEVEL {
            for e in [
                Evidence::SelfAssessed,
                Evidence::CourseCompleted,
                Evidence::ManagerValidated,
                Evidence::Assessed,
            ] {
                for stale in [false, true] {
                    t[Self::slot(level, e, stale)] = credit(level, e, stale);
                }
            }
        }
        Self(t)
    }

    #[inline]
    fn slot(level: Level, evidence: Evidence, stale: bool) -> usize {
        (usize::from(level.min(MAX_LEVEL)) * 4 + evidence as usize) * 2 + usize::from(stale)
    }

    /// The credit of a posting; a self-assessment confirmed before `stale_before` is stale
    /// (the same rule as `is_stale`).
    #[inline]
    fn get(&self, h: &Holding, stale_before: i64) -> f64 {
        let stale =
            h.evidence == Evidence::SelfAssessed && i64::from(h.confirmed_on_day) < stale_before;
        self.0[Self::slot(h.level, h.evidence, stale)]
    }
}

impl MatchIndex {
    /// The top `k` people for an open opening (its owner excluded), with reasons; `None` if
    /// the opening is not in the index. Equal to ranking every allowed person by `fit`.
    pub fn talent_search(
        &self,
        opening: OpeningId,
        k: usize,
        filter: &TalentFilter,
        today: i32,
    ) -> Option<Vec<Ranked<PersonId>>> {
        let o = self.opening(opening)?;
        Some(self.talent_search_for(&o.requirements, Some(o.owner), k, filter, today))
    }

    /// The top `k` people for any set of requirements (a draft opening, a job profile), with
    /// reasons; `owner` is excluded when given.
    pub fn talent_search_for(
        &self,
        requirements: &[Requirement],
        owner: Option<PersonId>,
        k: usize,
        filter: &TalentFilter,
        today: i32,
    ) -> Vec<Ranked<PersonId>> {
        if k == 0 {
            return Vec::new();
        }
        let allowed = |p: u32| {
            let id = PersonId(p);
            Some(id) != owner
                && self.statuses[p as usize]
                    .as_ref()
                    .is_some_and(|status| filter.allows(id, status))
        };
        let scored = self.score_people(requirements, today);
        let mut best = top_k(&scored, k, allowed);
        if best.len() < k {
            // Everyone else scores 0: fill by id, as a full ranking would.
            let mut taken: Vec<u32> = best.iter().map(|&(_, p)| p).collect();
            taken.sort_unstable();
            for p in 0..self.people.len() as u32 {
                if best.len() == k {
                    break;
                }
                if taken.binary_search(&p).is_err() && allowed(p) {
                    best.push((0, p));
                }
            }
        }
        let ctx = FitContext::people_for_opening(today);
        best.into_iter()
            .map(|(score, p)| {
                let profile = &self.people[p as usize]
                    .as_ref()
                    .expect("allowed person")
                    .profile;
                let fit = fit(profile, requirements, &self.graph, &self.config, &ctx);
                debug_assert_eq!(
                    fit.score, score,
                    "index score differs from fit for person {p}"
                );
                Ranked {
                    id: PersonId(p),
                    fit,
                }
            })
            .collect()
    }

    /// The score of every person with a score above 0, through the postings.
    fn score_people(&self, requirements: &[Requirement], today: i32) -> Vec<(u8, u32)> {
        let config = &self.config;
        let mode = Mode::PeopleForOpening;
        let scale = points_scale(config, requirements, &mode);
        let essentials = requirements
            .iter()
            .filter(|r| r.importance == Importance::Essential)
            .count() as u16;
        let stale_before = i64::from(today) - i64::from(config.stale_after_days());
        let empty = Vec::new();
        let holders =
            |skill: super::model::SkillId| self.holders.get(skill.index()).unwrap_or(&empty);
        SCRATCH.with(|cell| {
            let s = &mut *cell.borrow_mut();
            s.prepare(self.people.len());
            let search = s.next_stamp();
            for req in requirements {
                let stamp = s.next_stamp();
                s.req_touched.clear();
                let direct =
                    CreditTable::new(|l, e, stale| direct_credit(config, l, e, stale, req.level));
                for h in holders(req.skill) {
                    s.offer(h.person, direct.get(h, stale_before), stamp);
                }
                for rel in self.graph.related(req.skill) {
                    let related = CreditTable::new(|l, e, stale| {
                        related_credit(config, rel.strength, l, e, stale, req.level)
                    });
                    for h in holders(rel.skill) {
                        s.offer(h.person, related.get(h, stale_before), stamp);
                    }
                }
                let weight = requirement_weight(config, req, &mode);
                let essential = req.importance == Importance::Essential;
                for &person in &s.req_touched {
                    let p = person as usize;
                    if s.acc_stamp[p] != search {
                        s.acc_stamp[p] = search;
                        s.acc[p] = 0.0;
                        s.essentials[p] = 0;
                        s.touched.push(person);
                    }
                    let credit = s.best[p];
                    s.acc[p] += contribution(weight, credit, scale);
                    if essential && credit >= config.essential_min_credit {
                        s.essentials[p] += 1;
                    }
                }
            }
            s.touched
                .iter()
                .filter_map(|&person| {
                    let p = person as usize;
                    let capped = s.essentials[p] < essentials;
                    let score = final_score(config, round_total(s.acc[p]), 0, capped) as u8;
                    (score > 0).then_some((score, person))
                })
                .collect()
        })
    }
}
