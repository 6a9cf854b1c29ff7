//! What a search returns, who or what it may show, and the top-k selection shared by talent
//! search and recommendations.

use serde::Serialize;

use super::config::months_to_days;
use super::entries::{OpeningId, PersonId, PersonStatus};
use super::model::OpeningKind;
use super::reason::Fit;

/// One ranked result: who or what, and the fit with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranked<Id> {
    /// The person or opening.
    pub id: Id,
    /// Its fit.
    pub fit: Fit,
}

/// Who may appear in a talent search. The default shows active, discoverable people.
#[derive(Clone, Copy, Default)]
pub struct TalentFilter<'a> {
    /// Also show people on leave.
    pub include_inactive: bool,
    /// Also show people who opted out of talent search (only for ranking actual applicants).
    pub include_undiscoverable: bool,
    /// Only people in their current role since this day (days since 1970-01-01): the
    /// mobility policy's time in role for roles and secondments.
    pub role_started_on_or_before: Option<i32>,
    /// People never shown (the opening's owner is always excluded).
    pub exclude: &'a [PersonId],
    /// Any further rule the caller has (e.g. a department filter); `true` keeps the person.
    pub extra: Option<&'a dyn Fn(PersonId) -> bool>,
}

impl TalentFilter<'_> {
    /// The policy filter for an opening of this kind: time in role applies to roles and
    /// secondments (`min_months_in_role` from the mobility policy), not to projects and
    /// mentorships.
    pub fn for_kind(kind: OpeningKind, today: i32, min_months_in_role: u16) -> Self {
        Self {
            role_started_on_or_before: kind
                .needs_time_in_role()
                .then(|| today - months_to_days(min_months_in_role)),
            ..Self::default()
        }
    }

    /// Whether this person may be shown.
    pub fn allows(&self, id: PersonId, status: &PersonStatus) -> bool {
        (self.include_inactive || status.active)
            && (self.include_undiscoverable || status.discoverable)
            && self
                .role_started_on_or_before
                .is_none_or(|day| status.role_started_on_day <= day)
            && !self.exclude.contains(&id)
            && self.extra.is_none_or(|f| f(id))
    }
}

/// Which openings may be recommended. The person's own openings never are.
#[derive(Clone, Copy, Default)]
pub struct OpeningFilter<'a> {
    /// Only these kinds (e.g. from the person's "open to" aspirations); `None`: all.
    pub kinds: Option<&'a [OpeningKind]>,
    /// Openings never shown (e.g. already applied to).
    pub exclude: &'a [OpeningId],
    /// Any further rule; `true` keeps the opening.
    pub extra: Option<&'a dyn Fn(OpeningId) -> bool>,
}

/// The `k` best allowed `(score, id)` pairs among `scored` (scores above 0), sorted by score
/// descending then id ascending. A counting sort by score, then only the top buckets are
/// filtered and sorted: `allowed` runs on a few hundred entries, not on 100,000.
pub(crate) fn top_k(
    scored: &[(u8, u32)],
    k: usize,
    allowed: impl Fn(u32) -> bool,
) -> Vec<(u8, u32)> {
    let mut counts = [0usize; 101];
    for &(score, _) in scored {
        counts[usize::from(score.min(100))] += 1;
    }
    let mut start = [0usize; 101];
    let mut at = 0;
    for score in (0..=100).rev() {
        start[score] = at;
        at += counts[score];
    }
    let mut order = vec![0u32; scored.len()];
    let mut fill = start;
    for &(score, id) in scored {
        let b = usize::from(score.min(100));
        order[fill[b]] = id;
        fill[b] += 1;
    }
    let mut out = Vec::with_capacity(k);
    for score in (1..=100usize).rev() {
        let need = k - out.len();
        if need == 0 {
            break;
        }
        let mut ok: Vec<u32> = order[start[score]..start[score] + counts[score]]
            .iter()
            .copied()
            .filter(|&id| allowed(id))
            .collect();
        if ok.len() > need {
            ok.select_nth_unstable(need - 1);
            ok.truncate(need);
        }
        ok.sort_unstable();
        out.extend(ok.into_iter().map(|id| (score as u8, id)));
    }
    out
}
