//! Posting opportunities: three years of filled and closed ones (the filled roles are the
//! internal moves of the timeline), the open ones of today, drafts, and the demo manager's.

use super::fitting::Fitter;
use super::market::{Market, OppKind, OppSkill, OppStatus, Opportunity, Pools, Question};
use super::org::Org;
use super::prevalence::{usual_level, Prevalence, SPECIFIC_SHARE};
use super::random::{Day, Gen, Stamp, Stream};
use super::skills::Profiles;
use super::taxonomy::{capitalise, Importance, Taxonomy};
use super::texts::{
    article, for_family, join_and, PROJECT_PITCHES, PROJECT_TITLES, QUESTIONS, ROLE_CLOSERS,
    ROLE_PITCHES,
};
use super::timeline::{Move, HISTORY_DAYS};

/// Shared state while the marketplace is built (see also `applications.rs`).
pub struct MarketBuilder<'a> {
    pub t: &'a Taxonomy,
    pub org: &'a Org,
    pub profiles: &'a Profiles,
    pub moves: &'a mut Vec<Move>,
    pub pools: Pools,
    pub g: Gen,
    pub m: Market,
    /// The job family of each opportunity.
    pub families: Vec<u32>,
    /// Active applications per person.
    pub active_apps: Vec<u8>,
    /// Active people who hold some skill at level 4 or above, with a rank of 4 or above.
    pub mentors: Vec<u32>,
    /// The engine that scores each application's fit at submission.
    pub fitter: Fitter,
    /// How common each skill is per family.
    pub prevalence: Prevalence,
    /// For each opportunity, its range in `m.skills`.
    pub skill_ranges: Vec<std::ops::Range<usize>>,
}

/// Build the marketplace: about N/10 past opportunities over three years, N/20 open ones and a
/// few drafts. Accepted applications to past roles, secondments and projects become moves.
pub fn build(
    t: &Taxonomy,
    org: &Org,
    profiles: &Profiles,
    moves: &mut Vec<Move>,
    seed: u64,
) -> Market {
    let mentors = org
        .active_people()
        .filter(|&p| {
            t.rank_of(org.people[p as usize].profile) >= 4
                && profiles.of(p).iter().any(|s| s.level >= 4)
        })
        .collect();
    let mut b = MarketBuilder {
        t,
        org,
        profiles,
        moves,
        pools: Pools::new(t, org),
        g: Gen::new(seed, Stream::Marketplace),
        m: Market::default(),
        families: Vec::new(),
        active_apps: vec![0; org.people.len()],
        mentors,
        fitter: Fitter::new(t),
        prevalence: Prevalence::new(t),
        skill_ranges: Vec::new(),
    };
    let n = f64::from(org.active);
    // As many openings a year as keep about N/25 open at a time (each is open for a month or
    // two), the marketplace's use growing over its three years: the last months of history
    // are as busy as today, and no chart drops at its right edge.
    let past = n * 0.37;
    b.past_filled_roles((past * 0.5 * 0.7).round() as usize);
    b.past_closed((past * 0.5 * 0.3).round() as usize, OppKind::Role);
    b.past_secondments((past * 0.12).round() as usize);
    b.past_projects((past * 0.25).round() as usize, OppKind::Project);
    b.past_projects((past * 0.13).round() as usize, OppKind::Mentorship);
    b.demo_postings();
    b.sign_in_openings();
    let open = ((n / 25.0).round().max(15.0) as u64).saturating_sub(b.m.count(OppStatus::Open));
    let kinds = [
        OppKind::Role,
        OppKind::Secondment,
        OppKind::Project,
        OppKind::Mentorship,
    ];
    // One of each kind first, so that even a small company shows them all.
    for i in 0..open.max(4) as usize {
        let kind = kinds.get(i).copied();
        let kind = kind.unwrap_or_else(|| kinds[b.g.weighted(&[50, 12, 25, 13])]);
        b.open_opportunity(kind);
    }
    for _ in 0..(n / 400.0).round().max(2.0) as u32 {
        let team = b.random_team();
        let kind = if b.g.chance(0.6) {
            OppKind::Role
        } else {
            OppKind::Project
        };
        b.draft(team, kind);
    }
    b.demo_applications();
    b.m
}

impl MarketBuilder<'_> {
    /// A random team (index into `org.teams`).
    pub fn random_team(&mut self) -> u32 {
        self.g.below(self.org.teams.len()) as u32
    }

    /// The team part of a department name ("Payments" in "Engineering · Payments").
    pub fn area(&self, department: u32) -> &str {
        let name = &self.org.departments[department as usize].name;
        name.rsplit(" · ").next().unwrap_or(name)
    }

    /// Post an opportunity of `kind` owned by `owner` in `department`. `published` is None for
    /// a draft. Titles, descriptions, skills and questions follow the kind and family.
    #[allow(clippy::too_many_arguments)]
    pub fn post(
        &mut self,
        kind: OppKind,
        status: OppStatus,
        owner: u32,
        department: u32,
        location: u32,
        family: u32,
        profile: Option<u32>,
        published: Option<Day>,
    ) -> u32 {
        let area = self.area(department).to_string();
        let (t, g) = (self.t, &mut self.g);
        let ix = self.m.opportunities.len() as u32;
        let fam = &t.families[family as usize];
        let created_day = published.unwrap_or_else(|| Day(-g.i32(1..=20)));
        let published = published.map(|d| g.during(d));
        let created = g
            .ago(-created_day.0..=3 - created_day.0)
            .min(published.unwrap_or(Stamp(-1)));
        let mut o = Opportunity {
            id: g.id(),
            kind,
            status,
            title: String::new(),
            description: String::new(),
            owner,
            department,
            profile: None,
            location: Some(location),
            work_mode: "hybrid",
            positions: 1,
            positions_filled: 0,
            hours_per_week: None,
            duration_weeks: None,
            start: None,
            end: None,
            return_guaranteed: None,
            closes_on: None,
            published,
            closed: None,
            filled: None,
            created,
            updated: published.unwrap_or(created),
        };
        let mut skills: Vec<(u32, u8, Importance)> = Vec::new();
        match kind {
            OppKind::Role | OppKind::Secondment => {
                let profile = profile.unwrap_or_else(|| t.profile(family, 2));
                let title = &t.profiles[profile as usize].title;
                o.profile = Some(profile);
                skills.extend(
                    t.skills_of(profile)
                        .iter()
                        .map(|r| (r.skill, r.level, r.importance)),
                );
                // Most openings also name a technology of the team's stack.
                let stack: Vec<(u32, f64)> = self.prevalence.stacks[family as usize]
                    .iter()
                    .copied()
                    .filter(|&(s, share)| {
                        share < SPECIFIC_SHARE && !skills.iter().any(|x| x.0 == s)
                    })
                    .collect();
                if !stack.is_empty() && g.chance(0.7) {
                    let weights: Vec<u32> = stack
                        .iter()
                        .map(|&(_, share)| (share * 100.0) as u32)
                        .collect();
                    let (s, _) = stack[g.weighted(&weights)];
                    let level = &t.levels[t.level_of(profile) as usize];
                    let at = usual_level(level.rank, level.manager);
                    skills.push((s, at, Importance::Important));
                }
                let pitch = g.pick(&ROLE_PITCHES);
                let closer = g.pick(&ROLE_CLOSERS);
                if kind == OppKind::Role {
                    o.title = format!("{title}, {area}");
                    o.description = format!(
                        "The {area} team is looking for {} {title}. {pitch} {closer}",
                        article(title)
                    );
                    o.work_mode = ["onsite", "hybrid", "remote"][g.weighted(&[30, 50, 20])];
                } else {
                    let start = created_day.plus(g.i32(30..=90));
                    let months = g.i32(3..=12);
                    o.start = Some(start);
                    o.end = Some(start.plus(months * 30 + g.i32(0..=5)));
                    o.return_guaranteed = Some(true);
                    o.title = format!("Secondment: {title}, {area} ({months} months)");
                    let a = capitalise(article(&months.to_string()));
                    o.description = format!(
                        "{a} {months}-month secondment as {title} in the {area} team, with a \
                         guaranteed return to your current role. {pitch} {closer}"
                    );
                    o.work_mode = ["onsite", "hybrid", "remote"][g.weighted(&[40, 50, 10])];
                }
            }
            OppKind::Project => {
                let titles = for_family(&PROJECT_TITLES, fam.name);
                let title = g.choose(titles);
                let hours = g.int(4..=16) as u8;
                let weeks = g.int(4..=26) as u16;
                o.hours_per_week = Some(hours);
                o.duration_weeks = Some(weeks);
                o.positions = [1, 1, 1, 1, 1, 1, 1, 2, 2, 3][g.below(10)];
                if g.chance(0.5) {
                    o.start = Some(created_day.plus(g.i32(14..=45)));
                }
                o.title = title.to_string();
                o.description = format!(
                    "{title}, with the {area} team: about {hours} hours a week for {weeks} \
                     weeks, beside your current role. {}",
                    g.pick(&PROJECT_PITCHES)
                );
                o.work_mode = ["onsite", "hybrid", "remote"][g.weighted(&[10, 40, 50])];
                let mut pool: Vec<u32> = fam.core.iter().chain(&fam.secondary).copied().collect();
                pool.truncate(20);
                let n = g.int(3..=5) as usize;
                for (i, skill) in g.sample(&pool, n).into_iter().enumerate() {
                    let importance = if i < 2 {
                        Importance::Essential
                    } else {
                        Importance::Important
                    };
                    skills.push((skill, g.int(2..=4) as u8, importance));
                }
            }
            OppKind::Mentorship => {
                let mut strong: Vec<(u32, u8)> = self
                    .profiles
                    .of(owner)
                    .iter()
                    .filter(|s| s.level >= 4)
                    .map(|s| (s.skill, s.level))
                    .collect();
                strong.truncate(6);
                let n = g.int(1..=3) as usize;
                let chosen = g.sample(&strong, n);
                let topics: Vec<String> = chosen.iter().map(|&(s, _)| t.topic(s)).collect();
                let lead = topics
                    .first()
                    .cloned()
                    .unwrap_or_else(|| t.topic(fam.core[0]));
                o.title = match g.below(3) {
                    0 => format!("Mentoring in {lead}"),
                    1 => format!("Mentoring for {} colleagues: {lead}", fam.name),
                    _ => format!("A mentor for {lead}"),
                };
                let owner_title =
                    &t.profiles[self.org.people[owner as usize].profile as usize].title;
                let a = capitalise(article(owner_title));
                o.description = format!(
                    "{a} {owner_title} offers mentoring in {} for colleagues who want to grow. \
                     Expect a one-hour conversation every two weeks and practical advice on your \
                     own work.",
                    join_and(&topics)
                );
                o.work_mode = ["hybrid", "remote"][g.weighted(&[30, 70])];
                o.positions = g.int(1..=3) as u16;
                o.hours_per_week = Some(1);
                o.duration_weeks = Some(g.int(12..=26) as u16);
                skills.extend(
                    chosen
                        .into_iter()
                        .map(|(s, level)| (s, level, Importance::Essential)),
                );
            }
        }
        if let Some(day) = published.map(Stamp::day) {
            o.closes_on = Some(day.plus(g.i32(21..=60)));
        }
        let first_skill = self.m.skills.len();
        for (skill, level, importance) in skills {
            self.m.skills.push(OppSkill {
                opportunity: ix,
                skill,
                level,
                importance,
            });
        }
        if matches!(kind, OppKind::Role | OppKind::Secondment) && g.chance(0.35) {
            let n = g.int(1..=2) as usize;
            for (i, prompt) in g.sample(&QUESTIONS, n).into_iter().enumerate() {
                let required = g.chance(0.5);
                self.m.questions.push(Question {
                    id: g.id(),
                    opportunity: ix,
                    position: i as u8 + 1,
                    prompt,
                    required,
                });
            }
        }
        self.m.opportunities.push(o);
        self.families.push(family);
        self.skill_ranges.push(first_skill..self.m.skills.len());
        ix
    }

    /// Post for a team: owned by its manager, in its department and office.
    /// An open mentorship (or project) offered by a random mentor, in their own department.
    pub fn post_by_mentor(&mut self, kind: OppKind, published: Day) -> u32 {
        let owner = self.g.choose(&self.mentors);
        let p = &self.org.people[owner as usize];
        let (dept, loc, family) = (p.department, p.location, self.t.family_of(p.profile));
        self.post(
            kind,
            OppStatus::Open,
            owner,
            dept,
            loc,
            family,
            None,
            Some(published),
        )
    }

    pub fn post_for_team(
        &mut self,
        team: u32,
        kind: OppKind,
        status: OppStatus,
        level: Option<u32>,
        published: Option<Day>,
    ) -> u32 {
        let team = &self.org.teams[team as usize];
        let (owner, department, location, family) =
            (team.manager, team.department, team.location, team.family);
        let profile = level.map(|l| self.t.profile(family, l));
        self.post(
            kind, status, owner, department, location, family, profile, published,
        )
    }

    /// A level for an opening in `team`: mostly individual contributors, sometimes a
    /// first-line manager, never above the rank of the team's manager who owns it.
    pub fn opening_level(&mut self, team: u32) -> u32 {
        let owner = self.org.teams[team as usize].manager;
        let rank = self.t.rank_of(self.org.people[owner as usize].profile);
        let levels = [0, 1, 2, 3, 4, 6];
        let weights: Vec<u32> = levels
            .iter()
            .zip([14, 28, 30, 18, 6, 6])
            .map(|(&l, w)| {
                let level = &self.t.levels[l as usize];
                // A manager hires a manager only from a higher rank.
                let fits = level.rank < rank || (level.rank == rank && !level.manager);
                if fits {
                    w
                } else {
                    0
                }
            })
            .collect();
        levels[self.g.weighted(&weights)]
    }

    fn open_opportunity(&mut self, kind: OppKind) {
        let published = Day(-self.g.i32(1..=75));
        let o = match kind {
            OppKind::Mentorship if !self.mentors.is_empty() => self.post_by_mentor(kind, published),
            OppKind::Mentorship | OppKind::Project => {
                let team = self.random_team();
                self.post_for_team(
                    team,
                    OppKind::Project,
                    OppStatus::Open,
                    None,
                    Some(published),
                )
            }
            _ => {
                let team = self.random_team();
                let level = self.opening_level(team);
                self.post_for_team(team, kind, OppStatus::Open, Some(level), Some(published))
            }
        };
        let soon = Day(self.g.i32(14..=60));
        let opp = &mut self.m.opportunities[o as usize];
        opp.closes_on = opp.closes_on.map(|d| d.max(Day(3)));
        if let (Some(start), Some(end)) = (opp.start, opp.end) {
            if start < soon {
                opp.start = Some(soon);
                opp.end = Some(soon.plus(end.0 - start.0));
            }
        }
        // Applicants arrive while it is open: fewer so far on a recent posting.
        let n = self
            .g
            .weighted(&[6, 8, 10, 12, 12, 11, 10, 8, 7, 5, 4, 4, 3]);
        let elapsed = (f64::from(-published.0) / 60.0).min(1.0);
        let n = (n as f64 * elapsed * 0.75).round() as usize;
        self.add_open_applicants(o, n);
    }

    pub fn draft(&mut self, team: u32, kind: OppKind) -> u32 {
        let level = (kind == OppKind::Role).then(|| self.opening_level(team));
        self.post_for_team(team, kind, OppStatus::Draft, level, None)
    }

    /// Close a past opportunity at `at`: filled when it has accepted applications.
    pub fn close(&mut self, opp: u32, at: Stamp, accepted: u16) {
        let o = &mut self.m.opportunities[opp as usize];
        o.positions_filled = accepted.min(o.positions);
        o.status = if accepted > 0 {
            OppStatus::Filled
        } else {
            OppStatus::Closed
        };
        o.closed = Some(at);
        o.filled = (accepted > 0).then_some(at);
        o.updated = at;
        if let (Some(published), Some(closes)) = (o.published, o.closes_on) {
            o.closes_on = Some(closes.min(at.day()).max(published.day().plus(1)));
        }
    }

    /// A day in the last three years, at least `min_ago` days back; recent days are more
    /// likely (the marketplace's use grew: the newest days three times the oldest).
    pub fn past_day(&mut self, min_ago: i32) -> Day {
        let u = self.g.unit();
        // Density 0.5 + x on x in [0, 1] (0 the oldest day): half uniform, half a ramp.
        let x = if self.g.chance(0.5) { u } else { u.sqrt() };
        let span = f64::from((HISTORY_DAYS - min_ago).max(0));
        Day(-(min_ago + ((1.0 - x) * span).round() as i32))
    }
}
