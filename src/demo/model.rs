//! The whole demo company in memory, built stage by stage from the seed.

use uuid::Uuid;

use super::data::DATA;
use super::enrolments;
use super::learning::{self, EnrolmentStatus, Learning};
use super::market::{Market, OppStatus};
use super::notifications::{self, Notification};
use super::opportunities;
use super::org::Org;
use super::people::assign_emails;
use super::plans::{self, Plans};
use super::progress::Progress;
use super::skills::{self, Profiles};
use super::social::{self, Social};
use super::summary::DemoSummary;
use super::taxonomy::Taxonomy;
use super::timeline::{self, Move};

/// Everything the generator makes, before it is written. Depends only on the size and the
/// seed: dates are relative to the day it is written.
pub struct Model {
    pub taxonomy: Taxonomy,
    pub org: Org,
    pub profiles: Profiles,
    pub learning: Learning,
    pub moves: Vec<Move>,
    pub market: Market,
    pub plans: Plans,
    pub social: Social,
    pub notifications: Vec<Notification>,
}

impl Model {
    /// Build the company with `employees` active people from `seed`.
    pub fn build(employees: u32, seed: u64, progress: &Progress) -> Model {
        let data = &*DATA;
        progress.stage("taxonomy and job architecture");
        let taxonomy = Taxonomy::build(data, seed);
        progress.stage("organisation");
        let mut org = Org::build(&taxonomy, data, employees, seed);
        let mut moves = timeline::build(&taxonomy, data, &mut org, seed);
        assign_emails(&mut org.people);
        progress.stage("skills and aspirations");
        let profiles = skills::build(&taxonomy, &org, seed);
        progress.stage("courses and enrolments");
        let mut learning = learning::catalogue(&taxonomy, seed);
        learning::assign_authors(&mut learning, &profiles, seed);
        enrolments::enrol(&taxonomy, &org, &profiles, &mut learning, seed);
        progress.stage("opportunities and applications");
        let market = opportunities::build(&taxonomy, &org, &profiles, &mut moves, seed);
        progress.stage("plans, conversations and notifications");
        let plans = plans::build(&taxonomy, &org, &profiles, &learning, &market, seed);
        let social = social::build(&taxonomy, &org, &profiles, &market, seed);
        let notifications = notifications::build(&taxonomy, &org, &market, &social, seed);
        Model {
            taxonomy,
            org,
            profiles,
            learning,
            moves,
            market,
            plans,
            social,
            notifications,
        }
    }

    /// The id of a person.
    pub fn person(&self, i: u32) -> Uuid {
        self.org.people[i as usize].id
    }

    /// The id of a department.
    pub fn department(&self, i: u32) -> Uuid {
        self.org.departments[i as usize].id
    }

    /// The id of a skill.
    pub fn skill(&self, i: u32) -> Uuid {
        self.taxonomy.skills[i as usize].id
    }

    /// The id of a job profile.
    pub fn profile(&self, i: u32) -> Uuid {
        self.taxonomy.profiles[i as usize].id
    }

    /// The id of a course.
    pub fn course(&self, i: u32) -> Uuid {
        self.learning.courses[i as usize].id
    }

    /// The id of an opportunity.
    pub fn opportunity(&self, i: u32) -> Uuid {
        self.market.opportunities[i as usize].id
    }

    /// The id of an application.
    pub fn application(&self, i: u32) -> Uuid {
        self.market.applications[i as usize].id
    }

    /// Counts of what the model holds.
    pub fn summary(&self) -> DemoSummary {
        let n = |len: usize| len as u64;
        let org = &self.org;
        DemoSummary {
            people: u64::from(org.active),
            leavers: n(org.people.len()) - u64::from(org.active),
            departments: n(org
                .departments
                .iter()
                .filter(|d| d.parent.is_none())
                .count()),
            teams: n(org
                .departments
                .iter()
                .filter(|d| d.parent.is_some())
                .count()),
            locations: n(org.locations.len()),
            skills: n(self.taxonomy.skills.len()),
            skill_aliases: n(self.taxonomy.aliases.len()),
            skill_relations: n(self.taxonomy.relations.len()),
            job_families: n(self.taxonomy.families.len()),
            job_profiles: n(self.taxonomy.profiles.len()),
            career_paths: n(self.taxonomy.career_paths.len()),
            person_skills: n(self.profiles.person_skills.len()),
            aspirations: n(self.profiles.aspirations.len()),
            open_opportunities: self.market.count(OppStatus::Open),
            draft_opportunities: self.market.count(OppStatus::Draft),
            filled_opportunities: self.market.count(OppStatus::Filled),
            closed_opportunities: self.market.count(OppStatus::Closed),
            applications: n(self.market.applications.len()),
            application_events: n(self.market.events.len()),
            moves: n(self.moves.len()),
            courses: n(self.learning.courses.len()),
            enrolments: n(self.learning.enrolments.len()),
            completed_enrolments: n(self
                .learning
                .enrolments
                .iter()
                .filter(|e| e.status == EnrolmentStatus::Completed)
                .count()),
            development_plans: n(self.plans.plans.len()),
            career_conversations: n(self.social.conversations.len()),
            mentorship_requests: n(self.social.mentorship_requests.len()),
            notifications: n(self.notifications.len()),
        }
    }
}
