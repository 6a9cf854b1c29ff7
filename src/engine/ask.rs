//! Questions to the engine, in uuids: talent search, recommendations, fit and learning path.

use uuid::Uuid;

use crate::matching::{
    gaps, learning_path, order_by_impact, what_if, FitContext, OpeningFilter, Ranking, SkillId,
    TalentFilter,
};

use super::views::{FitView, PathView};
use super::Engine;

/// A talent search result before names are added.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub person: Uuid,
    pub fit: FitView,
}

/// A recommendation before titles are added.
#[derive(Debug, Clone)]
pub struct Recommendation {
    pub opening: Uuid,
    /// The relevance that ranked it, with every reason.
    pub relevance: FitView,
    /// The fit: the score the hiring manager sees and the one stored when applying.
    pub fit: u8,
}

/// The fit of one person for one opening, as that person sees it, with the learning path.
#[derive(Debug, Clone)]
pub struct Readiness {
    /// The fit: how well the person covers what the opening asks, the score the hiring
    /// manager sees and the one stored when the person applies.
    pub fit: FitView,
    /// The relevance: the fit part plus how the move suits the person (overlap with their
    /// strengths, direction, preferences, aspirations); what ranks openings for them.
    pub relevance: FitView,
    pub path: PathView,
    /// Every gap skill (held below the level asked), for mentors and projects.
    pub gap_skills: Vec<Uuid>,
}

impl Engine {
    /// The top `k` people for an open opening under the mobility policy (time in role for
    /// roles and secondments; discoverable, active people; never the owner). None when the
    /// opening is not open.
    pub fn talent(&self, opening: Uuid, k: usize, today: i32) -> Option<Vec<Candidate>> {
        let live = self.read();
        let id = live.ids.opening_of(opening)?;
        let entry = live.index.opening(id)?;
        let filter = TalentFilter::for_kind(entry.kind, today, live.policy.min_months_in_role);
        let ranked = live.index.talent_search(id, k, &filter, today)?;
        Some(
            ranked
                .into_iter()
                .filter_map(|r| {
                    Some(Candidate {
                        person: live.ids.person_uuid(r.id)?,
                        fit: live.fit_view(&r.fit),
                    })
                })
                .collect(),
        )
    }

    /// The top `k` open openings for a person, excluding `exclude` (e.g. those applied to).
    pub fn recommendations(
        &self,
        person: Uuid,
        k: usize,
        exclude: &[Uuid],
        today: i32,
    ) -> Option<Vec<Recommendation>> {
        let live = self.read();
        let id = live.ids.person_of(person)?;
        let exclude: Vec<_> = exclude
            .iter()
            .filter_map(|o| live.ids.opening_of(*o))
            .collect();
        let filter = OpeningFilter {
            exclude: &exclude,
            ..OpeningFilter::default()
        };
        let ranked = live.index.recommendations(id, k, &filter, today)?;
        Some(
            ranked
                .into_iter()
                .filter_map(|r| {
                    let fit = live.index.fit(id, r.id, Ranking::PeopleForOpening, today)?;
                    Some(Recommendation {
                        opening: live.ids.opening_uuid(r.id)?,
                        relevance: live.fit_view(&r.fit),
                        fit: fit.score,
                    })
                })
                .collect(),
        )
    }

    /// The fit of `person` for `opening` as a manager ranks applicants (no rarity, no
    /// aspirations). None when either is unknown or the opening is not open.
    pub fn applicant_fit(&self, person: Uuid, opening: Uuid, today: i32) -> Option<FitView> {
        let live = self.read();
        let p = live.ids.person_of(person)?;
        let o = live.ids.opening_of(opening)?;
        let fit = live.index.fit(p, o, Ranking::PeopleForOpening, today)?;
        Some(live.fit_view(&fit))
    }

    /// The person's fit for the opening, the learning path that closes the gaps with the
    /// fewest hours, and the score after each course.
    pub fn readiness(
        &self,
        person: Uuid,
        opening: Uuid,
        weekly_hours: f32,
        today: i32,
    ) -> Option<Readiness> {
        let live = self.read();
        let p = live.ids.person_of(person)?;
        let o = live.ids.opening_of(opening)?;
        let profile = &live.index.person(p)?.profile;
        let entry = live.index.opening(o)?;
        let relevance = live.index.fit(p, o, Ranking::OpeningsForPerson, today)?;
        let fit = live.index.fit(p, o, Ranking::PeopleForOpening, today)?;
        let gap_list = gaps(profile, &entry.requirements);
        // The path's score steps are in fit terms: the number the person sees as "% fit".
        let ctx = FitContext::people_for_opening(today);
        let fewest_hours = learning_path(&gap_list, &live.catalog, live.index.config());
        // Same courses and hours, biggest score gain first (still a valid order).
        let path = order_by_impact(
            profile,
            &entry.requirements,
            live.index.graph(),
            live.index.config(),
            &ctx,
            &fewest_hours,
            &live.catalog,
        );
        let effects = what_if(
            profile,
            &entry.requirements,
            live.index.graph(),
            live.index.config(),
            &ctx,
            &path,
        );
        let gap_skills = gap_list
            .iter()
            .filter_map(|g| live.ids.skill_uuid(g.skill))
            .collect();
        Some(Readiness {
            fit: live.fit_view(&fit),
            relevance: live.fit_view(&relevance),
            path: live.path_view(&path, &effects, weekly_hours),
            gap_skills,
        })
    }

    /// The dense id of a skill (for tests and tools).
    pub fn skill_id(&self, skill: Uuid) -> Option<SkillId> {
        self.read().ids.skill_of(skill)
    }
}
