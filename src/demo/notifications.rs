//! Notifications of the last year: application updates for applicants and owners, managers
//! told about interviews and asked for approvals, invitations and mentorship requests.
//! Recent ones are mostly unread.

use uuid::Uuid;

use super::market::{AppStatus, Approval, Market};
use super::org::Org;
use super::random::{Gen, Stamp, Stream, DAY_SECS};
use super::social::{RequestStatus, Social};
use super::taxonomy::Taxonomy;

/// How far back notifications go.
const KEEP_DAYS: i64 = 365;

/// A notification.
#[derive(Debug, Clone)]
pub struct Notification {
    pub id: Uuid,
    pub person: u32,
    pub kind: &'static str,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub opportunity: Option<u32>,
    pub application: Option<u32>,
    pub read: Option<Stamp>,
    pub created: Stamp,
}

struct Out<'a> {
    g: Gen,
    org: &'a Org,
    list: Vec<Notification>,
}

impl Out<'_> {
    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        person: u32,
        kind: &'static str,
        title: String,
        body: &str,
        link: Option<String>,
        opportunity: Option<u32>,
        application: Option<u32>,
        created: Stamp,
    ) {
        if person >= self.org.active || created.0 < -KEEP_DAYS * DAY_SECS {
            return;
        }
        let recent = created.0 > -7 * DAY_SECS;
        let read = if recent && (self.g.chance(0.7) || person == self.org.demo.employee) {
            None
        } else {
            Some(
                created
                    .plus(self.g.int(600..=2 * DAY_SECS))
                    .min(Stamp(-60))
                    .max(created),
            )
        };
        let id = self.g.id();
        self.list.push(Notification {
            id,
            person,
            kind,
            title,
            body: body.to_string(),
            link,
            opportunity,
            application,
            read,
            created,
        });
    }
}

/// Build the notifications.
pub fn build(
    t: &Taxonomy,
    org: &Org,
    market: &Market,
    social: &Social,
    seed: u64,
) -> Vec<Notification> {
    let mut out = Out {
        g: Gen::new(seed, Stream::Notifications),
        org,
        list: Vec::new(),
    };
    for e in &market.events {
        let a = &market.applications[e.application as usize];
        let o = &market.opportunities[a.opportunity as usize];
        let title = &o.title;
        let who = org.name(a.applicant);
        let link = Some(format!("/applications/{}", a.id));
        let (opp, app) = (Some(a.opportunity), Some(e.application));
        let to_applicant = match e.to {
            AppStatus::InReview => Some(format!("Your application for {title} is in review")),
            AppStatus::Interviewing => Some(format!("You are invited to interview for {title}")),
            AppStatus::Offered => Some(format!("You have an offer for {title}")),
            AppStatus::Rejected => Some(format!("Your application for {title} was not successful")),
            _ => None,
        };
        if let Some(text) = to_applicant {
            out.push(
                a.applicant,
                "application_status",
                text,
                e.reason,
                link.clone(),
                opp,
                app,
                e.at,
            );
        }
        let to_owner = match e.to {
            AppStatus::Submitted => Some(("new_applicant", format!("{who} applied for {title}"))),
            AppStatus::Accepted => Some((
                "application_status",
                format!("{who} accepted your offer for {title}"),
            )),
            AppStatus::Declined => Some((
                "application_status",
                format!("{who} declined your offer for {title}"),
            )),
            AppStatus::Withdrawn => {
                Some(("application_status", format!("{who} withdrew from {title}")))
            }
            _ => None,
        };
        if let Some((kind, text)) = to_owner {
            out.push(
                o.owner,
                kind,
                text,
                e.reason,
                link.clone(),
                opp,
                app,
                e.at.plus(1),
            );
        }
        let manager = org.people[a.applicant as usize].manager;
        if let (AppStatus::Interviewing, Some(m)) = (e.to, manager) {
            let text = format!("{who} is interviewing for {title}");
            out.push(
                m,
                "manager_informed",
                text,
                "",
                link.clone(),
                opp,
                app,
                e.at.plus(2),
            );
        }
        if let (AppStatus::Submitted, Some(m), Approval::Pending | Approval::Approved) =
            (e.to, manager, a.approval)
        {
            let text = format!("{who} asks for time to join the project {title}");
            out.push(
                m,
                "approval_request",
                text,
                "",
                link,
                opp,
                app,
                e.at.plus(3),
            );
        }
    }
    for i in &social.invitations {
        let o = &market.opportunities[i.opportunity as usize];
        let text = format!(
            "{} invited you to apply for {}",
            org.name(i.invited_by),
            o.title
        );
        let link = Some(format!("/opportunities/{}", o.id));
        out.push(
            i.person,
            "invitation",
            text,
            i.message,
            link,
            Some(i.opportunity),
            None,
            i.created,
        );
    }
    for r in &social.mentorship_requests {
        let skill = t.topic(r.skill);
        let text = format!("{} asked you for mentoring in {skill}", org.name(r.mentee));
        out.push(
            r.mentor,
            "mentorship_request",
            text,
            r.message,
            None,
            None,
            None,
            r.created,
        );
        if let Some(at) = r.responded {
            let verb = match r.status {
                RequestStatus::Declined => "declined",
                _ => "accepted",
            };
            let text = format!(
                "{} {verb} your mentoring request for {skill}",
                org.name(r.mentor)
            );
            out.push(
                r.mentee,
                "mentorship_request",
                text,
                "",
                None,
                None,
                None,
                at,
            );
        }
    }
    out.list
}
