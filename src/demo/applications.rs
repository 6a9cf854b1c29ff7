//! Applying: who applies to what, each application's path through the stages with its
//! history, and the moves that accepted offers became.

use super::market::{Answer, AppEvent, AppStatus, Application, Approval, OppKind, OppStatus};
use super::opportunities::MarketBuilder;
use super::random::{Day, Stamp};
use super::texts::{answers_to, MOTIVATIONS, REJECTION_REASONS};

const WITHDRAWAL_REASON: &str = "I have decided to stay in my current team for now.";
const DECLINE_REASON: &str = "The timing does not work with my current commitments.";

impl MarketBuilder<'_> {
    /// Someone who may apply to `opp` on `day`: active, not the owner, mostly from another
    /// team, 12 months in role for roles and secondments, under the active-applications limit.
    pub fn pick_applicant(&mut self, opp: u32, day: Day, exclude: &[u32]) -> Option<u32> {
        let (t, org) = (self.t, self.org);
        let o = &self.m.opportunities[opp as usize];
        let (kind, owner, profile, family) =
            (o.kind, o.owner, o.profile, self.families[opp as usize]);
        let owner_rank = t.rank_of(org.people[owner as usize].profile);
        let open = o.status == OppStatus::Open;
        for _ in 0..40 {
            let candidate = match (kind, profile) {
                (OppKind::Role | OppKind::Secondment, Some(profile)) => {
                    self.pools.candidate_for(t, profile, &mut self.g)
                }
                (OppKind::Project, _) if self.g.chance(0.6) => {
                    self.pools.in_family(family, &mut self.g)
                }
                _ => Some(self.g.below(org.active as usize) as u32),
            };
            let Some(c) = candidate else { continue };
            let p = &org.people[c as usize];
            let ok = c != owner
                && c != org.ceo
                && !exclude.contains(&c)
                && p.hire <= day.plus(-30)
                && (!matches!(kind, OppKind::Role | OppKind::Secondment)
                    || p.role_start <= day.plus(-365))
                && (kind != OppKind::Mentorship || t.rank_of(p.profile) < owner_rank)
                && (p.manager != Some(owner) || self.g.chance(0.2))
                && (!open || self.active_apps[c as usize] < 5);
            if ok {
                return Some(c);
            }
        }
        None
    }

    /// The stages an application went through to reach `status`.
    fn path(&mut self, status: AppStatus, kind: OppKind) -> Vec<AppStatus> {
        use AppStatus::*;
        let mut path = match status {
            Submitted => vec![Submitted],
            InReview => vec![Submitted, InReview],
            Interviewing => vec![Submitted, InReview, Interviewing],
            Offered => vec![Submitted, InReview, Interviewing, Offered],
            Accepted | Declined => vec![Submitted, InReview, Interviewing, Offered, status],
            Rejected | Withdrawn => {
                let mut p = vec![Submitted, InReview, Interviewing];
                p.truncate(self.g.weighted(&[3, 4, 3]) + 1);
                p.push(status);
                p
            }
        };
        if kind == OppKind::Mentorship {
            path.retain(|s| *s != Interviewing);
        }
        path
    }

    /// Record an application by `applicant` to `opp` that reached `status`, its events spread
    /// between `start` and `end` (the last one exactly at `end` when `ends_at_end`).
    pub fn apply(
        &mut self,
        opp: u32,
        applicant: u32,
        status: AppStatus,
        start: Stamp,
        end: Stamp,
        ends_at_end: bool,
    ) -> u32 {
        let kind = self.m.opportunities[opp as usize].kind;
        let owner = self.m.opportunities[opp as usize].owner;
        let path = self.path(status, kind);
        // A mentorship has no interviews: "interviewing" becomes "in review".
        let status = path.last().copied().unwrap_or(status);
        let times = if ends_at_end {
            let mut times = self.g.spread(start, end, path.len() - 1);
            times.push(end);
            times
        } else {
            self.g.spread(start, end, path.len())
        };
        let ix = self.m.applications.len() as u32;
        let mut informed = None;
        for (i, (&to, &at)) in path.iter().zip(&times).enumerate() {
            let by_applicant = matches!(
                to,
                AppStatus::Submitted
                    | AppStatus::Withdrawn
                    | AppStatus::Declined
                    | AppStatus::Accepted
            );
            let reason = match to {
                AppStatus::Rejected => self.g.choose(&REJECTION_REASONS),
                AppStatus::Withdrawn if self.g.chance(0.5) => WITHDRAWAL_REASON,
                AppStatus::Declined => DECLINE_REASON,
                _ => "",
            };
            if to == AppStatus::Interviewing {
                informed = Some(at);
            }
            self.m.events.push(AppEvent {
                application: ix,
                from: i.checked_sub(1).map(|j| path[j]),
                to,
                actor: Some(if by_applicant { applicant } else { owner }),
                reason,
                at,
            });
        }
        let manager = self.org.people[applicant as usize].manager;
        let (approval, approval_by, approval_at) = match (kind, manager) {
            (OppKind::Project, Some(m)) => {
                let reached = path.len() >= 3 || status == AppStatus::Accepted;
                if reached || (times.len() >= 2 && self.g.chance(0.5)) {
                    let after = times.get(1).copied().unwrap_or(end);
                    let at = Stamp(times[0].0 + (after.0 - times[0].0) / 2);
                    (Approval::Approved, Some(m), Some(at))
                } else {
                    (Approval::Pending, None, None)
                }
            }
            _ => (Approval::NotNeeded, None, None),
        };
        let fit = self.fit_at(opp, applicant, times[0].day());
        let last = *times.last().unwrap_or(&start);
        self.m.applications.push(Application {
            id: self.g.id(),
            opportunity: opp,
            applicant,
            status,
            motivation: self.g.choose(&MOTIVATIONS),
            fit,
            approval,
            approval_by,
            approval_at,
            informed,
            submitted: times[0],
            decided: status.is_final().then_some(last),
            updated: last,
        });
        let questions: Vec<u32> = (0..self.m.questions.len() as u32)
            .rev()
            .take_while(|&q| self.m.questions[q as usize].opportunity >= opp)
            .filter(|&q| self.m.questions[q as usize].opportunity == opp)
            .collect();
        for question in questions.into_iter().rev() {
            let answer = self
                .g
                .choose(answers_to(self.m.questions[question as usize].prompt));
            self.m.answers.push(Answer {
                application: ix,
                question,
                answer,
            });
        }
        if status.is_active() {
            self.active_apps[applicant as usize] += 1;
        }
        ix
    }

    /// The engine's fit of `applicant` for `opp` on `day` (the score stored at submission).
    pub fn fit_at(&self, opp: u32, applicant: u32, day: Day) -> u8 {
        let asked = &self.m.skills[self.skill_ranges[opp as usize].clone()];
        self.fitter.fit(self.profiles.of(applicant), asked, day)
    }

    /// Up to `n` applicants to an open opportunity, at every stage.
    pub fn add_open_applicants(&mut self, opp: u32, n: usize) {
        use AppStatus::*;
        let o = &self.m.opportunities[opp as usize];
        let published = o.published.unwrap_or(Stamp(-86_400));
        let multi = o.positions > 1;
        let mut taken: Vec<u32> = self
            .m
            .applications
            .iter()
            .rev()
            .take_while(|a| a.opportunity == opp)
            .map(|a| a.applicant)
            .collect();
        let mut accepted = 0;
        for _ in 0..n {
            let Some(applicant) = self.pick_applicant(opp, published.day(), &taken) else {
                continue;
            };
            taken.push(applicant);
            let mut status = [
                Submitted,
                InReview,
                Interviewing,
                Offered,
                Declined,
                Rejected,
                Withdrawn,
                Accepted,
            ][self.g.weighted(&[25, 20, 15, 5, 3, 20, 8, 4])];
            let positions = self.m.opportunities[opp as usize].positions;
            if status == Accepted && (!multi || accepted + 1 >= positions) {
                status = InReview;
            }
            if status == Accepted {
                accepted += 1;
            }
            self.apply(opp, applicant, status, published, Stamp(-60), false);
        }
        self.m.opportunities[opp as usize].positions_filled = accepted;
    }

    /// Applicants to a past opportunity who did not get it, between `start` and `end`.
    pub fn add_unsuccessful(
        &mut self,
        opp: u32,
        n: usize,
        start: Stamp,
        end: Stamp,
        taken: &mut Vec<u32>,
    ) {
        for _ in 0..n {
            let Some(applicant) = self.pick_applicant(opp, start.day(), taken) else {
                continue;
            };
            taken.push(applicant);
            let status = [
                AppStatus::Rejected,
                AppStatus::Withdrawn,
                AppStatus::Declined,
            ][self.g.weighted(&[60, 25, 15])];
            self.apply(opp, applicant, status, start, end, false);
        }
    }
}
