//! The in-memory matching index: people and open openings as compact vectors, with postings
//! per skill (who holds it, which openings require it). The loader fills it from PostgreSQL at
//! start and applies every change (in-process on write, from LISTEN/NOTIFY across servers);
//! searches run on it without touching the database (see `search`).

use std::collections::HashMap;

use super::config::MatchConfig;
use super::context::FitContext;
use super::entries::{
    Holding, OpeningEntry, OpeningId, PersonEntry, PersonId, PersonStatus, Ranking,
};
use super::fit::fit;
use super::model::SkillGraph;
use super::rarity::Rarity;
use super::reason::Fit;

/// People, openings and postings. Cheap to read from many threads (`&self` searches); the
/// owner wraps it in a lock and applies updates with `&mut self`.
#[derive(Debug, Clone, Default)]
pub struct MatchIndex {
    pub(crate) config: MatchConfig,
    pub(crate) graph: SkillGraph,
    pub(crate) rarity: Rarity,
    pub(crate) people: Vec<Option<PersonEntry>>,
    /// `people[i].status`, compact, for filtering.
    pub(crate) statuses: Vec<Option<PersonStatus>>,
    person_count: usize,
    pub(crate) openings: Vec<Option<OpeningEntry>>,
    opening_count: usize,
    /// Per skill, the people holding it, sorted by person id.
    pub(crate) holders: Vec<Vec<Holding>>,
    /// Per skill, the openings requiring it, sorted by opening id.
    pub(crate) demand: Vec<Vec<u32>>,
    pub(crate) by_job_profile: HashMap<u32, Vec<u32>>,
    pub(crate) by_job_family: HashMap<u32, Vec<u32>>,
}

fn slot<T: Default>(v: &mut Vec<T>, i: usize) -> &mut T {
    if v.len() <= i {
        v.resize_with(i + 1, T::default);
    }
    &mut v[i]
}

fn insert_sorted(list: &mut Vec<u32>, id: u32) {
    if let Err(i) = list.binary_search(&id) {
        list.insert(i, id);
    }
}

fn remove_sorted(list: &mut Vec<u32>, id: u32) {
    if let Ok(i) = list.binary_search(&id) {
        list.remove(i);
    }
}

fn dedup_requirements(mut entry: OpeningEntry) -> OpeningEntry {
    let mut seen = Vec::with_capacity(entry.requirements.len());
    entry.requirements.retain(|r| {
        let first = !seen.contains(&r.skill);
        seen.push(r.skill);
        first
    });
    entry
}

impl MatchIndex {
    /// An empty index.
    pub fn new(graph: SkillGraph, config: MatchConfig) -> Self {
        Self {
            config,
            graph,
            ..Self::default()
        }
    }

    /// Builds the index in one pass from everything the loader read (the fast path at start:
    /// postings are appended in id order instead of inserted one by one).
    pub fn build(
        graph: SkillGraph,
        config: MatchConfig,
        people: Vec<(PersonId, PersonEntry)>,
        openings: Vec<(OpeningId, OpeningEntry)>,
    ) -> Self {
        let mut index = Self::new(graph, config);
        let max_person = people
            .iter()
            .map(|(id, _)| id.0 as usize + 1)
            .max()
            .unwrap_or(0);
        index.people.resize_with(max_person, || None);
        for (id, entry) in people {
            let was_new = index.people[id.0 as usize].replace(entry).is_none();
            index.person_count += usize::from(was_new);
        }
        index.statuses = index
            .people
            .iter()
            .map(|e| e.as_ref().map(|e| e.status))
            .collect();
        for (p, entry) in index.people.iter().enumerate() {
            for h in entry.iter().flat_map(|e| e.profile.skills()) {
                slot(&mut index.holders, h.skill.index()).push(Holding {
                    person: p as u32,
                    level: h.level,
                    evidence: h.evidence,
                    confirmed_on_day: h.confirmed_on_day,
                });
            }
        }
        let mut openings = openings;
        openings.sort_by_key(|(id, _)| *id);
        for (id, entry) in openings {
            index.upsert_opening(id, entry);
        }
        index.refresh_rarity();
        index
    }

    /// The configuration in use.
    pub fn config(&self) -> &MatchConfig {
        &self.config
    }

    /// The related-skills graph in use.
    pub fn graph(&self) -> &SkillGraph {
        &self.graph
    }

    /// The current rarity weights (kept current on every person change).
    pub fn rarity(&self) -> &Rarity {
        &self.rarity
    }

    /// Number of people in the index.
    pub fn person_count(&self) -> usize {
        self.person_count
    }

    /// Number of openings in the index.
    pub fn opening_count(&self) -> usize {
        self.opening_count
    }

    /// A person, if present.
    pub fn person(&self, id: PersonId) -> Option<&PersonEntry> {
        self.people.get(id.0 as usize)?.as_ref()
    }

    /// An opening, if present.
    pub fn opening(&self, id: OpeningId) -> Option<&OpeningEntry> {
        self.openings.get(id.0 as usize)?.as_ref()
    }

    /// How many people hold a skill (any level): the supply side of skill metrics.
    pub fn holder_count(&self, skill: super::model::SkillId) -> usize {
        self.holders.get(skill.index()).map_or(0, Vec::len)
    }

    /// An estimate of the heap memory the index holds, in bytes (vector capacities; the
    /// benchmark prints it next to the process's resident memory).
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        fn vec<T>(v: &Vec<T>) -> usize {
            v.capacity() * size_of::<T>()
        }
        let people: usize = self
            .people
            .iter()
            .flatten()
            .map(|e| {
                let a = e.profile.aspirations();
                std::mem::size_of_val(e.profile.skills())
                    + vec(&a.target_profiles)
                    + vec(&a.interest_skills)
                    + vec(&a.interest_families)
            })
            .sum();
        let openings: usize = self
            .openings
            .iter()
            .flatten()
            .map(|e| vec(&e.requirements))
            .sum();
        let postings: usize = self.holders.iter().map(vec).sum::<usize>()
            + self.demand.iter().map(vec).sum::<usize>()
            + self
                .by_job_profile
                .values()
                .chain(self.by_job_family.values())
                .map(vec)
                .sum::<usize>();
        vec(&self.people)
            + people
            + vec(&self.statuses)
            + vec(&self.openings)
            + openings
            + vec(&self.holders)
            + vec(&self.demand)
            + postings
            + self.graph.edge_count() * size_of::<super::model::Related>()
            + std::mem::size_of_val(self.rarity.weights())
    }

    /// Adds or replaces a person and their postings.
    pub fn upsert_person(&mut self, id: PersonId, entry: PersonEntry) {
        self.unpost_person(id);
        for h in entry.profile.skills() {
            let list = slot(&mut self.holders, h.skill.index());
            let at = list.partition_point(|x| x.person < id.0);
            list.insert(
                at,
                Holding {
                    person: id.0,
                    level: h.level,
                    evidence: h.evidence,
                    confirmed_on_day: h.confirmed_on_day,
                },
            );
        }
        *slot(&mut self.statuses, id.0 as usize) = Some(entry.status);
        if slot(&mut self.people, id.0 as usize)
            .replace(entry)
            .is_none()
        {
            self.person_count += 1;
        }
        self.refresh_rarity();
    }

    /// Removes a person (left the company, or the loader no longer wants them searched).
    pub fn remove_person(&mut self, id: PersonId) -> Option<PersonEntry> {
        self.unpost_person(id);
        let old = self.people.get_mut(id.0 as usize)?.take();
        self.statuses[id.0 as usize] = None;
        if old.is_some() {
            self.person_count -= 1;
            self.refresh_rarity();
        }
        old
    }

    fn unpost_person(&mut self, id: PersonId) {
        let Some(Some(old)) = self.people.get(id.0 as usize) else {
            return;
        };
        for h in old.profile.skills() {
            let list = &mut self.holders[h.skill.index()];
            if let Ok(i) = list.binary_search_by_key(&id.0, |x| x.person) {
                list.remove(i);
            }
        }
    }

    /// Adds or replaces an open opening and its postings.
    pub fn upsert_opening(&mut self, id: OpeningId, entry: OpeningEntry) {
        self.remove_opening(id);
        let entry = dedup_requirements(entry);
        for r in &entry.requirements {
            insert_sorted(slot(&mut self.demand, r.skill.index()), id.0);
        }
        if let Some(p) = entry.tags.job_profile {
            insert_sorted(self.by_job_profile.entry(p).or_default(), id.0);
        }
        if let Some(f) = entry.tags.job_family {
            insert_sorted(self.by_job_family.entry(f).or_default(), id.0);
        }
        *slot(&mut self.openings, id.0 as usize) = Some(entry);
        self.opening_count += 1;
    }

    /// Removes an opening (closed, filled, withdrawn, deleted).
    pub fn remove_opening(&mut self, id: OpeningId) -> Option<OpeningEntry> {
        let old = self.openings.get_mut(id.0 as usize)?.take()?;
        self.opening_count -= 1;
        for r in &old.requirements {
            remove_sorted(&mut self.demand[r.skill.index()], id.0);
        }
        if let Some(p) = old.tags.job_profile {
            self.by_job_profile
                .entry(p)
                .and_modify(|l| remove_sorted(l, id.0));
        }
        if let Some(f) = old.tags.job_family {
            self.by_job_family
                .entry(f)
                .and_modify(|l| remove_sorted(l, id.0));
        }
        Some(old)
    }

    /// Recomputes the rarity weights from the postings (O(number of skills)).
    fn refresh_rarity(&mut self) {
        let counts: Vec<u32> = self.holders.iter().map(|l| l.len() as u32).collect();
        self.rarity = Rarity::from_holder_counts(&counts, self.person_count as u32, &self.config);
    }

    /// The context for ranking openings for a person, for this opening.
    pub(crate) fn person_context(&self, opening: &OpeningEntry, today: i32) -> FitContext<'_> {
        FitContext::openings_for_person(today, &self.rarity, opening.tags)
    }

    /// The fit of one person for one opening, from either perspective (an applicant list, an
    /// opening page); `None` if either is not in the index.
    pub fn fit(
        &self,
        person: PersonId,
        opening: OpeningId,
        ranking: Ranking,
        today: i32,
    ) -> Option<Fit> {
        let p = self.person(person)?;
        let o = self.opening(opening)?;
        let ctx = match ranking {
            Ranking::PeopleForOpening => FitContext::people_for_opening(today),
            Ranking::OpeningsForPerson => self.person_context(o, today),
        };
        Some(fit(
            &p.profile,
            &o.requirements,
            &self.graph,
            &self.config,
            &ctx,
        ))
    }
}
