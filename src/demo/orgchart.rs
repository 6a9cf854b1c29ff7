//! Building the organisation: departments in order of size, the people tree from the CEO
//! down (heads, directors, senior directors, teams of 5-9 under an M1/M2 manager), team
//! names, and the three demo sign-ins picked at the end (`Org::build`).

use std::collections::{HashMap, HashSet};

use super::data::StaticData;
use super::org::{ic_level_under, DemoAccounts, Department, Location, Org, Team};
use super::people::{new_person, pick_demo_accounts};
use super::random::{Gen, Stream};
use super::shape::family_counts;
use super::shape::{DEPARTMENT_OFFICES, FAMILY_SHARES, HEADQUARTERS, TEAM_AREAS, TEAM_SUFFIXES};
use super::taxonomy::{Taxonomy, IC4, IC5, IC6, M1, M2, M3, M4, M5};
use super::texts::for_family;

struct Builder<'a> {
    t: &'a Taxonomy,
    data: &'static StaticData,
    g: Gen,
    org: Org,
    taken_names: HashSet<String>,
    next_area: HashMap<u32, usize>,
}

impl Org {
    /// Build the organisation with `employees` active people (and no leavers yet).
    pub fn build(t: &Taxonomy, data: &'static StaticData, employees: u32, seed: u64) -> Org {
        let mut g = Gen::new(seed, Stream::Org);
        let locations: Vec<Location> = data
            .locations
            .iter()
            .map(|def| Location { id: g.id(), def })
            .collect();
        let mut b = Builder {
            t,
            data,
            g,
            org: Org {
                locations,
                departments: Vec::new(),
                teams: Vec::new(),
                people: Vec::new(),
                active: 0,
                ceo: 0,
                demo: DemoAccounts {
                    employee: 0,
                    manager: 0,
                    hr: 0,
                },
                reports: Vec::new(),
            },
            taken_names: HashSet::new(),
            next_area: HashMap::new(),
        };
        b.build(employees);
        b.org
    }
}

impl Builder<'_> {
    fn build(&mut self, employees: u32) {
        let t = self.t;
        let counts = family_counts(t, employees.saturating_sub(1));
        // Top-level departments in order of size.
        let mut dept_of_family = vec![0u32; t.families.len()];
        for (name, _) in FAMILY_SHARES {
            let f = t
                .family_named(name)
                .expect("FAMILY_SHARES names a family of families.csv");
            let dept_name = t.families[f as usize].department;
            let d = match self
                .org
                .departments
                .iter()
                .position(|d| d.name == dept_name)
            {
                Some(d) => d as u32,
                None => {
                    let offices = for_family(&DEPARTMENT_OFFICES, dept_name)
                        .iter()
                        .filter_map(|city| self.org.location_named(city))
                        .collect();
                    self.new_department(dept_name.to_string(), None, offices)
                }
            };
            dept_of_family[f as usize] = d;
        }
        let ops = t
            .family_named("Operations")
            .expect("the Operations family exists");
        let hq = self.org.location_named(HEADQUARTERS).unwrap_or(0);
        let ceo = self.add_person(
            t.profile(ops, M5),
            dept_of_family[ops as usize],
            None,
            hq,
            None,
        );
        self.org.ceo = ceo;

        for d in 0..self.org.departments.len() as u32 {
            let families: Vec<u32> = FAMILY_SHARES
                .iter()
                .filter_map(|(name, _)| t.family_named(name))
                .filter(|&f| dept_of_family[f as usize] == d)
                .collect();
            let total: u32 = families.iter().map(|&f| counts[f as usize]).sum();
            if total == 0 {
                continue;
            }
            let main = families[0];
            // A department of one (in a very small company) is led by a senior individual
            // contributor reporting to the CEO.
            let head_level = match total {
                1 => IC4,
                t if main == ops || t < 150 => M4,
                _ => M5,
            };
            let office = self.org.departments[d as usize]
                .offices
                .first()
                .copied()
                .unwrap_or(hq);
            let head = self.add_person(t.profile(main, head_level), d, Some(ceo), office, None);
            self.org.departments[d as usize].head = Some(head);
            for &f in &families {
                let n = counts[f as usize] - u32::from(f == main);
                self.build_family(f, n, d, head, f == main);
            }
        }
        self.org.active = self.org.people.len() as u32;
        pick_demo_accounts(&mut self.org, self.t, &mut self.g);
        self.org.index_reports();
    }

    /// The people of family `f` in department `d` below its head: teams of 5-9 led by an M1/M2
    /// manager, directors (M3) and senior directors (M4) above them when there are many teams.
    fn build_family(&mut self, f: u32, n: u32, d: u32, head: u32, head_family: bool) {
        let t = self.t;
        if n == 0 {
            return;
        }
        let offices = self.org.departments[d as usize].offices.clone();
        let head_rank = t.rank_of(self.org.people[head as usize].profile);
        if (head_family && n <= 9) || n <= 3 {
            for _ in 0..n {
                let level = ic_level_under(&mut self.g, head_rank);
                let office = self.g.choose(&offices);
                self.add_person(t.profile(f, level), d, Some(head), office, None);
            }
            return;
        }
        let mut teams = n.div_ceil(8).max(1);
        let layers = loop {
            let mut layers = vec![teams];
            while *layers.last().unwrap_or(&0) > 8 {
                let above = layers.last().copied().unwrap_or(0).div_ceil(6);
                layers.push(above);
            }
            let overhead: u32 = layers.iter().sum();
            if teams == 1 || n >= overhead + 4 * teams {
                break layers;
            }
            teams -= 1;
        };
        let overhead: u32 = layers.iter().sum();
        let mut ics = n.saturating_sub(overhead);
        // Principal and distinguished individual contributors report to the leaders above
        // the teams (about 3% of the individual contributors), not to a team manager.
        let seniors = if teams >= 3 && head_rank >= 6 {
            (f64::from(ics) * 0.03).round() as u32
        } else {
            0
        };
        ics -= seniors.min(ics.saturating_sub(4 * teams));

        // Leaders from the top layer down, each layer split evenly among the one above.
        let mut parents = vec![head];
        for (j, &size) in layers.iter().enumerate().skip(1).rev() {
            let level = if j == 1 { M3 } else { M4 };
            let mut layer = Vec::with_capacity(size as usize);
            for i in 0..size {
                let parent = parents[(i as usize * parents.len()) / size as usize];
                layer.push(self.add_person(t.profile(f, level), d, Some(parent), offices[0], None));
            }
            parents = layer;
        }
        let mut sizes = vec![ics / teams; teams as usize];
        for s in sizes.iter_mut().take((ics % teams) as usize) {
            *s += 1;
        }
        if sizes.len() > 1 {
            for i in 0..sizes.len() {
                let j = self.g.below(sizes.len());
                let k = self.g.int(0..=2) as u32;
                if i != j && sizes[i] >= 5 + k && sizes[j] + k <= 9 {
                    sizes[i] -= k;
                    sizes[j] += k;
                }
            }
        }
        for (i, &size) in sizes.iter().enumerate() {
            let parent = parents[(i * parents.len()) / sizes.len()];
            let location = if self.g.chance(0.4) {
                offices[0]
            } else {
                self.g.choose(&offices)
            };
            let name = self.team_name(f, d);
            let team_dept = self.new_department(name, Some(d), vec![location]);
            // A senior manager leads the larger teams (and some others); a manager the rest.
            let level = if size >= 8 || self.g.chance(0.15) {
                M2
            } else {
                M1
            };
            let rank = t.levels[level as usize].rank;
            let manager =
                self.add_person(t.profile(f, level), team_dept, Some(parent), location, None);
            self.org.departments[team_dept as usize].head = Some(manager);
            let team = self.org.teams.len() as u32;
            self.org.teams.push(Team {
                department: team_dept,
                family: f,
                manager,
                location,
                members: Vec::new(),
            });
            for _ in 0..size {
                let level = ic_level_under(&mut self.g, rank);
                let office = if self.g.chance(0.8) {
                    location
                } else {
                    self.g.choose(&offices)
                };
                let p = self.add_person(
                    t.profile(f, level),
                    team_dept,
                    Some(manager),
                    office,
                    Some(team),
                );
                self.org.teams[team as usize].members.push(p);
            }
        }
        let seniors = n.saturating_sub(overhead).saturating_sub(ics);
        for i in 0..seniors {
            let parent = parents[(i as usize * parents.len()) / seniors.max(1) as usize];
            let level = if self.g.chance(0.3) { IC6 } else { IC5 };
            let office = self.g.choose(&offices);
            self.add_person(t.profile(f, level), d, Some(parent), office, None);
        }
    }

    fn new_department(&mut self, name: String, parent: Option<u32>, offices: Vec<u32>) -> u32 {
        self.taken_names.insert(name.clone());
        let id = self.g.id();
        self.org.departments.push(Department {
            id,
            name,
            parent,
            head: None,
            offices,
        });
        self.org.departments.len() as u32 - 1
    }

    /// A unique team name: "Engineering · Payments", then "Engineering · Payments Core",
    /// and for very large companies "Engineering · Payments Core 2".
    fn team_name(&mut self, family: u32, department: u32) -> String {
        let family_name = self.t.families[family as usize].name;
        let (areas, suffixes) = (
            for_family(&TEAM_AREAS, family_name),
            for_family(&TEAM_SUFFIXES, family_name),
        );
        let dept = self.org.departments[department as usize].name.clone();
        loop {
            let k = self.next_area.entry(family).or_insert(0);
            let (area, round) = (areas[*k % areas.len()], *k / areas.len());
            *k += 1;
            // No "Platform Platform": a suffix with a word the area already has is skipped.
            let suffix = round.checked_sub(1).map(|r| suffixes[r % suffixes.len()]);
            if suffix.is_some_and(|x| x.split(' ').any(|w| area.split(' ').any(|a| a == w))) {
                continue;
            }
            let name = match round {
                0 => format!("{dept} · {area}"),
                r if r <= suffixes.len() => format!("{dept} · {area} {}", suffixes[r - 1]),
                r => format!(
                    "{dept} · {area} {} {}",
                    suffixes[(r - 1) % suffixes.len()],
                    (r - 1) / suffixes.len() + 1
                ),
            };
            if !self.taken_names.contains(&name) {
                return name;
            }
        }
    }

    fn add_person(
        &mut self,
        profile: u32,
        department: u32,
        manager: Option<u32>,
        location: u32,
        team: Option<u32>,
    ) -> u32 {
        let person = new_person(
            &mut self.g,
            self.data,
            profile,
            department,
            manager,
            location,
            team,
        );
        self.org.people.push(person);
        self.org.people.len() as u32 - 1
    }
}
