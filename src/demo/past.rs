//! The marketplace's last three years: filled and closed opportunities, and the moves that
//! their accepted offers became.

use super::market::{AppStatus, OppKind, OppStatus};
use super::opportunities::MarketBuilder;
use super::random::Day;
use super::timeline::{Move, MoveKind, MoveSource};

impl MarketBuilder<'_> {
    /// Roles filled through the marketplace: some of the timeline's promotions and lateral
    /// moves become an opening owned by the mover's manager, with the mover's accepted offer
    /// and a few unsuccessful applicants.
    pub fn past_filled_roles(&mut self, wanted: usize) {
        let org = self.org;
        let mut candidates: Vec<usize> = (0..self.moves.len())
            .filter(|&i| {
                let m = &self.moves[i];
                let p = &org.people[m.person as usize];
                matches!(m.kind, MoveKind::Promotion | MoveKind::LateralMove)
                    && m.person < org.active
                    && m.effective == p.role_start
                    && m.effective.0 >= -1000
                    && m.effective.0 <= -30
                    && p.hire <= m.effective.plus(-500)
                    && p.manager.is_some_and(|owner| {
                        org.people[owner as usize].hire <= m.effective.plus(-150)
                    })
            })
            .collect();
        self.g.shuffle(&mut candidates);
        for i in candidates.into_iter().take(wanted) {
            let (person, effective, to_profile) = {
                let m = &self.moves[i];
                (m.person, m.effective, m.to_profile)
            };
            let p = &org.people[person as usize];
            let Some(owner) = p.manager else { continue };
            let (department, location) = (p.department, p.location);
            let accepted_day = effective.plus(-self.g.i32(7..=56));
            let published = accepted_day.plus(-self.g.i32(14..=60));
            let family = self.t.family_of(p.profile);
            let opp = self.post(
                OppKind::Role,
                OppStatus::Open,
                owner,
                department,
                location,
                family,
                to_profile,
                Some(published),
            );
            let start = self.m.opportunities[opp as usize]
                .published
                .unwrap_or(published.at(0));
            let accepted = self.g.during(accepted_day).max(start.plus(3600 * 24));
            let app = self.apply(opp, person, AppStatus::Accepted, start, accepted, true);
            let n = self.g.int(1..=5) as usize;
            let mut taken = vec![person];
            self.add_unsuccessful(opp, n, start, accepted, &mut taken);
            self.close(opp, accepted, 1);
            let m = &mut self.moves[i];
            m.source = MoveSource::Marketplace;
            m.opportunity = Some(opp);
            m.application = Some(app);
            m.release = Some(effective);
            m.recorded_by = Some(owner);
        }
    }

    /// Openings of `kind` that closed without a hire.
    pub fn past_closed(&mut self, wanted: usize, kind: OppKind) {
        for _ in 0..wanted {
            if self.org.teams.is_empty() {
                return;
            }
            let team = self.random_team();
            let level = self.opening_level(team);
            let published = self.past_day(60);
            let opp = self.post_for_team(team, kind, OppStatus::Open, Some(level), Some(published));
            let start = self.m.opportunities[opp as usize]
                .published
                .unwrap_or(published.at(0));
            let closed = published.plus(self.g.i32(30..=75)).min(Day(-1));
            let end = self.g.during(closed).max(start.plus(3600));
            let n = self.g.int(0..=5) as usize;
            self.add_unsuccessful(opp, n, start, end, &mut Vec::new());
            self.close(opp, end, 0);
        }
    }

    /// Secondments of the last three years; the filled ones start (and, when over, end) a
    /// secondment for their secondee.
    pub fn past_secondments(&mut self, wanted: usize) {
        for _ in 0..wanted {
            if self.org.teams.is_empty() {
                return;
            }
            let team = self.random_team();
            let level = [1, 2, 3, 4][self.g.weighted(&[30, 40, 20, 10])];
            let published = self.past_day(200);
            let opp = self.post_for_team(
                team,
                OppKind::Secondment,
                OppStatus::Open,
                Some(level),
                Some(published),
            );
            let start = self.m.opportunities[opp as usize]
                .published
                .unwrap_or(published.at(0));
            let accepted_day = published.plus(self.g.i32(14..=45));
            let accepted = self.g.during(accepted_day);
            let mut taken = Vec::new();
            let filled = if self.g.chance(0.7) {
                self.pick_applicant(opp, published, &[])
            } else {
                None
            };
            if let Some(secondee) = filled {
                taken.push(secondee);
                let begins = accepted_day.plus(self.g.i32(14..=56));
                let ends = begins.plus(self.g.i32(90..=365));
                let o = &mut self.m.opportunities[opp as usize];
                o.start = Some(begins);
                o.end = Some(ends);
                let (to_profile, to_department, owner) = (o.profile, o.department, o.owner);
                let app = self.apply(opp, secondee, AppStatus::Accepted, start, accepted, true);
                let p = &self.org.people[secondee as usize];
                let mut m = Move {
                    id: self.g.id(),
                    person: secondee,
                    kind: MoveKind::SecondmentStart,
                    source: MoveSource::Marketplace,
                    from_profile: Some(p.profile),
                    to_profile,
                    from_department: Some(p.department),
                    to_department: Some(to_department),
                    effective: begins,
                    planned_end: Some(ends),
                    release: Some(begins),
                    opportunity: Some(opp),
                    application: Some(app),
                    related: None,
                    recorded_by: Some(owner),
                };
                let start_ix = self.moves.len() as u32;
                self.moves.push(m.clone());
                if ends < Day(0) {
                    m.id = self.g.id();
                    m.kind = MoveKind::SecondmentEnd;
                    std::mem::swap(&mut m.from_profile, &mut m.to_profile);
                    std::mem::swap(&mut m.from_department, &mut m.to_department);
                    m.effective = ends;
                    m.planned_end = None;
                    m.release = None;
                    m.related = Some(start_ix);
                    self.moves.push(m);
                }
            }
            let n = self.g.int(0..=3) as usize;
            self.add_unsuccessful(opp, n, start, accepted, &mut taken);
            self.close(opp, accepted, u16::from(filled.is_some()));
        }
    }

    /// Past projects (each filled one assigns its people for its duration) or mentorships.
    pub fn past_projects(&mut self, wanted: usize, kind: OppKind) {
        for _ in 0..wanted {
            let published = self.past_day(45);
            let opp = if kind == OppKind::Mentorship && !self.mentors.is_empty() {
                self.post_by_mentor(kind, published)
            } else if !self.org.teams.is_empty() {
                let team = self.random_team();
                self.post_for_team(
                    team,
                    OppKind::Project,
                    OppStatus::Open,
                    None,
                    Some(published),
                )
            } else {
                return;
            };
            let start = self.m.opportunities[opp as usize]
                .published
                .unwrap_or(published.at(0));
            let accepted_day = published.plus(self.g.i32(10..=30));
            let accepted = self.g.during(accepted_day);
            let positions = self.m.opportunities[opp as usize].positions;
            let filled = self.g.chance(0.8);
            let mut taken = Vec::new();
            let mut effective_first = None;
            for _ in 0..if filled { positions } else { 0 } {
                let Some(who) = self.pick_applicant(opp, published, &taken) else {
                    continue;
                };
                taken.push(who);
                let app = self.apply(opp, who, AppStatus::Accepted, start, accepted, true);
                if self.m.opportunities[opp as usize].kind != OppKind::Project {
                    continue;
                }
                let o = &self.m.opportunities[opp as usize];
                let effective = accepted_day.plus(self.g.i32(7..=28));
                effective_first.get_or_insert(effective);
                let weeks = i32::from(o.duration_weeks.unwrap_or(8));
                let p = &self.org.people[who as usize];
                self.moves.push(Move {
                    id: self.g.id(),
                    person: who,
                    kind: MoveKind::ProjectAssignment,
                    source: MoveSource::Marketplace,
                    from_profile: Some(p.profile),
                    to_profile: Some(p.profile),
                    from_department: Some(p.department),
                    to_department: Some(o.department),
                    effective,
                    planned_end: Some(effective.plus(weeks * 7)),
                    release: Some(effective),
                    opportunity: Some(opp),
                    application: Some(app),
                    related: None,
                    recorded_by: Some(o.owner),
                });
            }
            let accepted_count = taken.len() as u16;
            let n = self.g.int(0..=3) as usize;
            self.add_unsuccessful(opp, n, start, accepted, &mut taken);
            if let Some(day) = effective_first {
                self.m.opportunities[opp as usize].start = Some(day);
            }
            self.close(opp, accepted, accepted_count);
        }
    }
}
