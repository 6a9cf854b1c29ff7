//! What the three demo sign-ins see on the marketplace: the manager's postings with applicants
//! at every stage, and the employee's own applications.

use super::market::{AppStatus, OppKind, OppStatus};
use super::opportunities::MarketBuilder;
use super::random::{Day, Stamp};
use super::taxonomy::{IC2, IC3, IC4, IC5, M1};

impl MarketBuilder<'_> {
    /// The demo manager owns two open roles and a project with applicants at different stages,
    /// and a draft.
    pub fn demo_postings(&mut self) {
        use AppStatus::*;
        let demo = self.org.demo;
        let Some(team) = self
            .org
            .teams
            .iter()
            .position(|t| t.manager == demo.manager)
        else {
            return;
        };
        let team = team as u32;
        let postings: [(OppKind, Option<u32>, i32, &[AppStatus]); 3] = [
            (
                OppKind::Role,
                Some(IC2),
                18,
                &[
                    Submitted,
                    Submitted,
                    InReview,
                    Interviewing,
                    Offered,
                    Rejected,
                    Withdrawn,
                ],
            ),
            (
                OppKind::Role,
                Some(IC3),
                9,
                &[Submitted, InReview, Interviewing, Rejected],
            ),
            (
                OppKind::Project,
                None,
                6,
                &[Submitted, InReview, Interviewing],
            ),
        ];
        for (kind, level, days_ago, statuses) in postings {
            let opp = self.post_for_team(team, kind, OppStatus::Open, level, Some(Day(-days_ago)));
            let o = &mut self.m.opportunities[opp as usize];
            o.closes_on = o.closes_on.map(|d| d.max(Day(10)));
            let start = o.published.unwrap_or(Stamp(-86_400));
            let mut taken = vec![demo.employee];
            for &status in statuses {
                let Some(applicant) = self.pick_applicant(opp, start.day(), &taken) else {
                    continue;
                };
                taken.push(applicant);
                self.apply(opp, applicant, status, start, Stamp(-3600), false);
            }
        }
        self.draft(team, OppKind::Role);
    }

    /// The three sign-ins' own fields are open too: roles at their level and
    /// one above (and a project), in their job family or a related one, so their
    /// recommendations start near their work.
    pub fn sign_in_openings(&mut self) {
        let (t, org) = (self.t, self.org);
        let (hr, manager) = (org.demo.hr, org.demo.manager);
        let hr_level = t.level_of(org.people[hr as usize].profile).min(IC3);
        self.openings_near(hr, &[Some(hr_level), Some(hr_level + 1), None]);
        self.openings_near(manager, &[Some(M1), Some(IC5)]);
        self.openings_near(org.demo.employee, &[Some(IC3), Some(IC4)]);
    }

    fn openings_near(&mut self, person: u32, levels: &[Option<u32>]) {
        let (t, org) = (self.t, self.org);
        let family = t.family_of(org.people[person as usize].profile);
        let own = org.people[person as usize].manager;
        for (i, &level) in levels.iter().enumerate() {
            // A team of their family, then of a related one, never their own manager's or
            // their own, led by someone who may hire at that level.
            let rank = level.map_or(0, |l| t.levels[l as usize].rank);
            let others = |near: &dyn Fn(u32) -> bool| -> Vec<u32> {
                (0..org.teams.len() as u32)
                    .filter(|&i| {
                        let team = &org.teams[i as usize];
                        let owner_rank = t.rank_of(org.people[team.manager as usize].profile);
                        Some(team.manager) != own
                            && team.manager != person
                            && owner_rank >= rank
                            && near(team.family)
                    })
                    .collect()
            };
            let mut teams = others(&|f| f == family);
            teams.extend(others(&|f| {
                t.families[family as usize].lateral.contains(&f)
            }));
            if teams.is_empty() {
                continue;
            }
            let team = teams[i % teams.len()];
            let kind = if level.is_some() {
                OppKind::Role
            } else {
                OppKind::Project
            };
            let published = Day(-self.g.i32(5..=40));
            let opp = self.post_for_team(team, kind, OppStatus::Open, level, Some(published));
            let o = &mut self.m.opportunities[opp as usize];
            o.closes_on = o.closes_on.map(|d| d.max(Day(10)));
            let n = self.g.int(1..=3) as usize;
            self.add_open_applicants(opp, n);
        }
    }

    /// The demo employee has a role in review, a project at the interview stage (approved by
    /// their manager) and an earlier unsuccessful application.
    pub fn demo_applications(&mut self) {
        let (t, org) = (self.t, self.org);
        let demo = org.demo;
        let family = t.family_of(org.people[demo.employee as usize].profile);
        let other_teams: Vec<u32> = (0..org.teams.len() as u32)
            .filter(|&i| {
                org.teams[i as usize].family == family
                    && org.teams[i as usize].manager != demo.manager
            })
            .collect();
        let project_teams: Vec<u32> = (0..org.teams.len() as u32)
            .filter(|&i| org.teams[i as usize].manager != demo.manager)
            .filter(|&i| {
                t.families[family as usize]
                    .lateral
                    .contains(&org.teams[i as usize].family)
            })
            .collect();
        let yesterday = Stamp(-86_400 + 11 * 3600);
        if !other_teams.is_empty() {
            let team = self.g.choose(&other_teams);
            let opp = self.post_for_team(
                team,
                OppKind::Role,
                OppStatus::Open,
                Some(IC4),
                Some(Day(-12)),
            );
            let start = self.m.opportunities[opp as usize]
                .published
                .unwrap_or(Stamp(-86_400 * 12));
            self.apply(
                opp,
                demo.employee,
                AppStatus::InReview,
                start,
                yesterday,
                true,
            );
            self.add_open_applicants(opp, 4);

            let team = self.g.choose(&other_teams);
            let published = Day(-210);
            let opp = self.post_for_team(
                team,
                OppKind::Role,
                OppStatus::Open,
                Some(IC4),
                Some(published),
            );
            let start = self.m.opportunities[opp as usize]
                .published
                .unwrap_or(published.at(0));
            let end = self.g.during(Day(-160));
            self.apply(opp, demo.employee, AppStatus::Rejected, start, end, true);
            let mut taken = vec![demo.employee];
            self.add_unsuccessful(opp, 3, start, end, &mut taken);
            self.close(opp, end, 0);
        }
        if let Some(&team) = project_teams.first() {
            let opp = self.post_for_team(
                team,
                OppKind::Project,
                OppStatus::Open,
                None,
                Some(Day(-15)),
            );
            let start = self.m.opportunities[opp as usize]
                .published
                .unwrap_or(Stamp(-86_400 * 15));
            self.apply(
                opp,
                demo.employee,
                AppStatus::Interviewing,
                start,
                yesterday.plus(-3600),
                true,
            );
            self.add_open_applicants(opp, 3);
        }
    }
}
