//! The human side: career conversations with agreed actions, mentorship requests, saved
//! opportunities and invitations to apply.

use std::collections::HashSet;

use uuid::Uuid;

use super::market::{Market, OppKind, OppStatus};
use super::org::Org;
use super::random::{Day, Gen, Stamp, Stream};
use super::skills::Profiles;
use super::taxonomy::Taxonomy;
use super::texts::{
    ASPIRATIONS_HEARD, CONVERSATION_ACTIONS, CONVERSATION_NOTES, INVITATION_MESSAGES,
    MENTORSHIP_MESSAGES,
};

/// A recorded career conversation.
#[derive(Debug, Clone)]
pub struct Conversation {
    pub id: Uuid,
    pub person: u32,
    pub manager: u32,
    pub held: Day,
    pub heard: String,
    pub notes: &'static str,
    pub created: Stamp,
}

/// An action agreed in a conversation.
#[derive(Debug, Clone)]
pub struct ConversationAction {
    pub id: Uuid,
    pub conversation: u32,
    pub description: &'static str,
    pub owner: u32,
    pub due: Day,
    pub done: Option<Stamp>,
}

/// Where a mentorship request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestStatus {
    Requested,
    Accepted,
    Declined,
    Ended,
}

impl RequestStatus {
    /// The database value.
    pub fn as_str(self) -> &'static str {
        match self {
            RequestStatus::Requested => "requested",
            RequestStatus::Accepted => "accepted",
            RequestStatus::Declined => "declined",
            RequestStatus::Ended => "ended",
        }
    }
}

/// A mentee asking a mentor for guidance in a skill.
#[derive(Debug, Clone)]
pub struct MentorshipRequest {
    pub id: Uuid,
    pub mentor: u32,
    pub mentee: u32,
    pub skill: u32,
    pub message: &'static str,
    pub status: RequestStatus,
    pub responded: Option<Stamp>,
    pub created: Stamp,
}

/// A bookmarked opportunity.
#[derive(Debug, Clone)]
pub struct Saved {
    pub person: u32,
    pub opportunity: u32,
    pub created: Stamp,
}

/// A manager inviting someone to apply.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub id: Uuid,
    pub opportunity: u32,
    pub person: u32,
    pub invited_by: u32,
    pub message: &'static str,
    pub created: Stamp,
}

/// Conversations, mentorship, bookmarks and invitations.
#[derive(Default)]
pub struct Social {
    pub conversations: Vec<Conversation>,
    pub actions: Vec<ConversationAction>,
    pub mentorship_requests: Vec<MentorshipRequest>,
    pub saved: Vec<Saved>,
    pub invitations: Vec<Invitation>,
}

/// Build the social rows.
pub fn build(t: &Taxonomy, org: &Org, profiles: &Profiles, market: &Market, seed: u64) -> Social {
    let mut g = Gen::new(seed, Stream::Social);
    let mut s = Social::default();
    conversations(t, org, profiles, &mut g, &mut s);
    mentorship(t, org, profiles, &mut g, &mut s);
    let open: Vec<u32> = (0..market.opportunities.len() as u32)
        .filter(|&o| market.opportunities[o as usize].status == OppStatus::Open)
        .collect();
    if open.is_empty() {
        return s;
    }
    let demo = org.demo.employee;
    let mut pairs: HashSet<(u32, u32)> = HashSet::new();
    let wanted = org.active / 10;
    for i in 0..wanted + 3 {
        let person = if i < 3 {
            demo
        } else {
            g.below(org.active as usize) as u32
        };
        let opp = g.choose(&open);
        let o = &market.opportunities[opp as usize];
        if o.owner == person || !pairs.insert((person, opp)) {
            continue;
        }
        let published = o.published.unwrap_or(Stamp(-86_400));
        let created = g.spread(published, Stamp(-60), 1)[0];
        s.saved.push(Saved {
            person,
            opportunity: opp,
            created,
        });
    }
    invitations(t, org, market, &open, &mut g, &mut s);
    s
}

/// A few managers invite people of their family who have not applied; the demo employee gets
/// one for a role or project near their own.
fn invitations(
    t: &Taxonomy,
    org: &Org,
    market: &Market,
    open: &[u32],
    g: &mut Gen,
    s: &mut Social,
) {
    let family_of = |opp: u32| {
        let o = &market.opportunities[opp as usize];
        o.profile
            .map_or(t.family_of(org.people[o.owner as usize].profile), |p| {
                t.family_of(p)
            })
    };
    let applied: HashSet<(u32, u32)> = market
        .applications
        .iter()
        .map(|a| (a.opportunity, a.applicant))
        .collect();
    let demo = org.demo.employee;
    let demo_family = t.family_of(org.people[demo as usize].profile);
    let near = |f: u32| f == demo_family || t.families[demo_family as usize].lateral.contains(&f);
    let for_demo: Vec<u32> = open
        .iter()
        .copied()
        .filter(|&o| {
            let opp = &market.opportunities[o as usize];
            matches!(opp.kind, OppKind::Role | OppKind::Project)
                && opp.profile.is_none_or(|p| (3..=4).contains(&t.rank_of(p)))
                && near(family_of(o))
                && Some(opp.owner) != org.people[demo as usize].manager
                && !applied.contains(&(o, demo))
        })
        .collect();
    // Without one near their own, any open role or project of another team will do.
    let for_demo: Vec<u32> = if for_demo.is_empty() {
        open.iter()
            .copied()
            .filter(|&o| {
                let opp = &market.opportunities[o as usize];
                matches!(opp.kind, OppKind::Role | OppKind::Project)
                    && opp.owner != demo
                    && Some(opp.owner) != org.people[demo as usize].manager
                    && !applied.contains(&(o, demo))
            })
            .collect()
    } else {
        for_demo
    };
    let mut candidates: Vec<(u32, u32)> = Vec::new();
    if !for_demo.is_empty() {
        candidates.push((g.choose(&for_demo), demo));
    }
    for _ in 0..org.active / 100 {
        let opp = g.choose(open);
        let family = family_of(opp);
        let person = (0..20)
            .map(|_| g.below(org.active as usize) as u32)
            .find(|&c| t.family_of(org.people[c as usize].profile) == family);
        if let Some(person) = person {
            candidates.push((opp, person));
        }
    }
    let mut invited: HashSet<(u32, u32)> = HashSet::new();
    for (opp, person) in candidates {
        let o = &market.opportunities[opp as usize];
        if !matches!(o.kind, OppKind::Role | OppKind::Project)
            || o.owner == person
            || person == org.ceo
            || org.people[person as usize].manager == Some(o.owner)
            || applied.contains(&(opp, person))
            || !invited.insert((opp, person))
        {
            continue;
        }
        let published = o.published.unwrap_or(Stamp(-86_400));
        let created = if person == demo {
            Stamp(-86_400 + 15 * 3600).max(published.plus(60))
        } else {
            g.spread(published, Stamp(-60), 1)[0]
        };
        let message = g.choose(&INVITATION_MESSAGES);
        s.invitations.push(Invitation {
            id: g.id(),
            opportunity: opp,
            person,
            invited_by: o.owner,
            message,
            created,
        });
    }
}

fn conversations(t: &Taxonomy, org: &Org, profiles: &Profiles, g: &mut Gen, s: &mut Social) {
    let demo = org.demo;
    let demo_reports = &org.reports[demo.manager as usize];
    for p in org.active_people() {
        let person = &org.people[p as usize];
        let Some(manager) = person.manager else {
            continue;
        };
        let forced = manager == demo.manager
            && (p == demo.employee || demo_reports.iter().take(3).any(|&r| r == p));
        let since_hire = -person.hire.0 - 14;
        if since_hire < 2 || !(forced || g.chance(0.6)) {
            continue;
        }
        let max_ago = since_hire.min(365);
        let held = if p == demo.employee {
            Day(-40)
        } else {
            // Spread evenly over the last year: every month has its conversations.
            Day(-g.i32(1..=max_ago))
        };
        let target = profiles
            .targets_of(p)
            .next()
            .map(|tp| t.profiles[tp as usize].title.as_str())
            .unwrap_or("a broader role");
        let heard = g.pick(&ASPIRATIONS_HEARD).replace("{target}", target);
        let conversation = s.conversations.len() as u32;
        s.conversations.push(Conversation {
            id: g.id(),
            person: p,
            manager,
            held,
            heard,
            notes: g.choose(&CONVERSATION_NOTES),
            created: g.during(held),
        });
        let n = g.int(1..=3) as usize;
        for description in g.sample(&CONVERSATION_ACTIONS, n) {
            let due = held.plus(g.i32(14..=90));
            let (first, last) = (held.0 + 1, due.0.min(-1));
            let done = (first <= last && g.chance(0.6)).then(|| g.ago(-last..=-first));
            let owner = if g.chance(0.7) { p } else { manager };
            s.actions.push(ConversationAction {
                id: g.id(),
                conversation,
                description,
                owner,
                due,
                done,
            });
        }
    }
}

fn mentorship(t: &Taxonomy, org: &Org, profiles: &Profiles, g: &mut Gen, s: &mut Social) {
    let offers: Vec<(u32, u32, u8)> = profiles
        .person_skills
        .iter()
        .filter(|ps| ps.mentoring)
        .map(|ps| (ps.person, ps.skill, ps.level))
        .collect();
    if offers.is_empty() {
        return;
    }
    let demo = org.demo.employee;
    // The demo employee's mentor helps with a skill of their first target role.
    let wanted: Vec<u32> = profiles
        .targets_of(demo)
        .take(1)
        .flat_map(|target| t.skills_of(target).iter().map(|r| r.skill))
        .collect();
    let for_demo: Vec<(u32, u32, u8)> = offers
        .iter()
        .copied()
        .filter(|o| wanted.contains(&o.1) && o.0 != demo)
        .collect();
    let mut pairs: HashSet<(u32, u32)> = HashSet::new();
    for i in 0..org.active / 25 + 1 {
        let (mentor, skill, _) = if i == 0 && !for_demo.is_empty() {
            g.choose(&for_demo)
        } else {
            g.choose(&offers)
        };
        let mentee = if i == 0 {
            demo
        } else {
            g.below(org.active as usize) as u32
        };
        if mentee == mentor || profiles.level(mentee, skill) >= 4 || !pairs.insert((mentor, mentee))
        {
            continue;
        }
        let status = if i == 0 {
            RequestStatus::Accepted
        } else {
            [
                RequestStatus::Requested,
                RequestStatus::Accepted,
                RequestStatus::Declined,
                RequestStatus::Ended,
            ][g.weighted(&[30, 40, 10, 20])]
        };
        let created = g.ago(3..=365);
        let responded =
            (status != RequestStatus::Requested).then(|| created.plus_days(g.i32(1..=2)));
        s.mentorship_requests.push(MentorshipRequest {
            id: g.id(),
            mentor,
            mentee,
            skill,
            message: g.choose(&MENTORSHIP_MESSAGES),
            status,
            responded,
            created,
        });
    }
}
