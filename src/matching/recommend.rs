//! Recommendations: the top openings for a person, as the person sees them. The openings
//! that can score above 0 are those requiring a skill the person holds or a related one, or
//! matching an aspiration; they are scored with `fit_score` through a dense skill table and
//! the top k are explained with `fit`. Equal to ranking every opening by `fit`, except that
//! a step down the person has not asked for comes after every other opening above 0.

use std::cell::RefCell;

use super::credit::DenseHoldings;
use super::entries::{OpeningId, PersonId};
use super::filters::{top_k, OpeningFilter, Ranked};
use super::fit::{fit, fit_score_with};
use super::index::MatchIndex;
use super::relevance::is_unasked_step_down;

thread_local! {
    /// Per-thread skill -> position table for `DenseHoldings`, all zeros between uses.
    static SLOTS: RefCell<Vec<u16>> = const { RefCell::new(Vec::new()) };
}

fn slot_mut(slots: &mut Vec<u16>, i: usize) -> &mut u16 {
    if slots.len() <= i {
        slots.resize(i + 1, 0);
    }
    &mut slots[i]
}

impl MatchIndex {
    /// The top `k` open openings for a person, with reasons, as the person sees them (rarity
    /// weights and aspiration points); `None` if the person is not in the index. Equal to
    /// ranking every allowed opening by `fit` (score descending, then id), a step down the
    /// person has not asked for after all others that score above 0.
    pub fn recommendations(
        &self,
        person: PersonId,
        k: usize,
        filter: &OpeningFilter,
        today: i32,
    ) -> Option<Vec<Ranked<OpeningId>>> {
        let profile = &self.person(person)?.profile;
        if k == 0 {
            return Some(Vec::new());
        }
        let allowed = |o: u32| {
            let id = OpeningId(o);
            self.openings[o as usize].as_ref().is_some_and(|e| {
                e.owner != person
                    && filter.kinds.is_none_or(|ks| ks.contains(&e.kind))
                    && !filter.exclude.contains(&id)
                    && filter.extra.is_none_or(|f| f(id))
            })
        };
        let mut seen = vec![false; self.openings.len()];
        let mut candidates: Vec<u32> = Vec::new();
        let mut add = |list: Option<&Vec<u32>>| {
            for &o in list.into_iter().flatten() {
                if !seen[o as usize] {
                    seen[o as usize] = true;
                    candidates.push(o);
                }
            }
        };
        for h in profile.skills() {
            add(self.demand.get(h.skill.index()));
            for rel in self.graph.related(h.skill) {
                add(self.demand.get(rel.skill.index()));
            }
        }
        let a = profile.aspirations();
        for s in &a.interest_skills {
            add(self.demand.get(s.index()));
        }
        for p in &a.target_profiles {
            add(self.by_job_profile.get(p));
        }
        for f in &a.interest_families {
            add(self.by_job_family.get(f));
        }
        // The caller's filter runs before the thread-local table is borrowed.
        candidates.retain(|&o| allowed(o));
        let scored: Vec<(u8, u32, bool)> = SLOTS.with(|cell| {
            let slots = &mut *cell.borrow_mut();
            for (i, h) in profile.skills().iter().enumerate() {
                *slot_mut(slots, h.skill.index()) = i as u16 + 1;
            }
            let holdings = DenseHoldings { profile, slots };
            let scored = candidates
                .into_iter()
                .filter_map(|o| {
                    let e = self.openings[o as usize].as_ref()?;
                    let ctx = self.person_context(e, today);
                    let score = fit_score_with(
                        &holdings,
                        profile,
                        &e.requirements,
                        &self.graph,
                        &self.config,
                        &ctx,
                    );
                    (score > 0).then_some((score, o, is_unasked_step_down(profile, &e.tags)))
                })
                .collect();
            for h in profile.skills() {
                slots[h.skill.index()] = 0;
            }
            scored
        });
        // A step down the person has not asked for comes after every other opening.
        let (down, preferred): (Vec<_>, Vec<_>) = scored.into_iter().partition(|s| s.2);
        let pairs = |v: Vec<(u8, u32, bool)>| -> Vec<(u8, u32)> {
            v.into_iter().map(|(s, o, _)| (s, o)).collect()
        };
        let mut best = top_k(&pairs(preferred), k, |_| true);
        if best.len() < k {
            best.extend(top_k(&pairs(down), k - best.len(), |_| true));
        }
        if best.len() < k {
            let mut taken: Vec<u32> = best.iter().map(|&(_, o)| o).collect();
            taken.sort_unstable();
            for o in 0..self.openings.len() as u32 {
                if best.len() == k {
                    break;
                }
                if taken.binary_search(&o).is_err() && allowed(o) {
                    best.push((0, o));
                }
            }
        }
        Some(
            best.into_iter()
                .map(|(score, o)| {
                    let e = self.openings[o as usize].as_ref().expect("allowed opening");
                    let ctx = self.person_context(e, today);
                    let fit = fit(profile, &e.requirements, &self.graph, &self.config, &ctx);
                    debug_assert_eq!(fit.score, score);
                    Ranked {
                        id: OpeningId(o),
                        fit,
                    }
                })
                .collect(),
        )
    }
}
