//! People: names, emails, and the three demo sign-ins.

use std::collections::HashMap;

use super::data::StaticData;
use super::org::{DemoAccounts, Org, Person};
use super::random::{Day, Gen};
use super::taxonomy::{Taxonomy, IC3, IC4, M1};

/// The demo employee (an IC3 engineer), their M1 manager, and an HR admin in People.
pub fn pick_demo_accounts(org: &mut Org, t: &Taxonomy, g: &mut Gen) {
    let eng = t
        .family_named("Engineering")
        .expect("the Engineering family exists");
    let teams = &org.teams;
    let people = &org.people;
    let eng_teams: Vec<u32> = (0..teams.len() as u32)
        .filter(|&i| teams[i as usize].family == eng)
        .collect();
    let sized = |i: &&u32| (5..=9).contains(&teams[**i as usize].members.len());
    let team = eng_teams
        .iter()
        .filter(sized)
        .find(|&&i| t.level_of(people[teams[i as usize].manager as usize].profile) == M1)
        .or_else(|| eng_teams.iter().find(sized))
        .or_else(|| eng_teams.first())
        .copied()
        .expect("the demo company has an Engineering team");
    let team = &org.teams[team as usize];
    let manager = team.manager;
    let employee = team
        .members
        .iter()
        .copied()
        .find(|&p| t.level_of(org.people[p as usize].profile) == IC3)
        .unwrap_or(team.members[0]);
    org.people[manager as usize].profile = t.profile(eng, M1);
    // Nobody in the team ranks above their (now M1) manager.
    for &member in &team.members {
        if t.level_of(org.people[member as usize].profile) > IC4 {
            org.people[member as usize].profile = t.profile(eng, IC4);
        }
    }
    org.people[employee as usize].profile = t.profile(eng, IC3);

    let hr_family = t
        .family_named("People (HR)")
        .expect("the People (HR) family exists");
    let in_hr: Vec<u32> = (0..org.active)
        .filter(|&p| t.family_of(org.people[p as usize].profile) == hr_family)
        .collect();
    let hr = in_hr
        .iter()
        .copied()
        .find(|&p| t.level_of(org.people[p as usize].profile) == IC3)
        .or_else(|| {
            in_hr
                .iter()
                .copied()
                .find(|&p| org.people[p as usize].team.is_some())
        })
        .or_else(|| in_hr.last().copied())
        .expect("the demo company has someone in People (HR)");
    // A few more HR admins (who cannot sign in): about 2% of People (HR), at least three.
    let admins = (in_hr.len() / 50).max(3);
    for p in g.sample(&in_hr, admins) {
        org.people[p as usize].hr_admin = true;
    }
    let accounts = [
        (employee, "Maya", "Lindqvist", "employee@example.com"),
        (manager, "Daniel", "Okafor", "manager@example.com"),
        (hr, "Priya", "Raman", "hr@example.com"),
    ];
    for (p, given, family_name, email) in accounts {
        let person = &mut org.people[p as usize];
        person.given = given;
        person.family_name = family_name;
        person.email = email.to_string();
        person.can_sign_in = true;
        person.discoverable = true;
    }
    org.people[hr as usize].hr_admin = true;
    org.demo = DemoAccounts {
        employee,
        manager,
        hr,
    };
}

/// A person with a random name, not yet dated and without an email.
pub fn new_person(
    g: &mut Gen,
    data: &'static StaticData,
    profile: u32,
    department: u32,
    manager: Option<u32>,
    location: u32,
    team: Option<u32>,
) -> Person {
    Person {
        id: g.id(),
        given: g.choose(&data.first_names),
        family_name: g.choose(&data.last_names),
        email: String::new(),
        department,
        manager,
        location,
        profile,
        team,
        hire: Day(0),
        role_start: Day(0),
        terminated: None,
        hr_admin: false,
        discoverable: g.chance(0.95),
        can_sign_in: false,
    }
}

/// Give everyone without one an email `given.family@example.com`, numbered on collisions.
pub fn assign_emails(people: &mut [Person]) {
    let mut used: HashMap<String, u32> = HashMap::new();
    for p in people.iter().filter(|p| !p.email.is_empty()) {
        used.insert(p.email.clone(), 1);
    }
    for p in people.iter_mut().filter(|p| p.email.is_empty()) {
        let base = format!("{}.{}", email_part(p.given), email_part(p.family_name));
        let n = used.entry(base.clone()).or_insert(0);
        *n += 1;
        p.email = if *n == 1 {
            format!("{base}@example.com")
        } else {
            format!("{base}{n}@example.com")
        };
    }
}

/// Lower-case ASCII letters and digits of a name (accents and punctuation dropped).
fn email_part(name: &str) -> String {
    let part: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase();
    if part.is_empty() {
        "person".to_string()
    } else {
        part
    }
}
