//! Every route of the router against every kind of caller: who may use it, who is refused,
//! and that a refusal shows none of the data it protects.
//!
//! The routes come from the router itself (`support::routes::list`), the expectations from
//! `access_matrix.txt`: a route the router has and the table lacks fails the test, and so does
//! a row for a route that no longer exists. Each kind of caller gets a database of its own,
//! so one caller's writes (an empty form posted to every action) cannot change what the next
//! one sees.
//!
//! `ACCESS_MATRIX_DUMP=FILE` writes what each caller actually got, a row per route, for
//! reviewing a new table entry.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use reqwest::Method;
use serde_json::json;
use sqlx::PgPool;
use uuid::Uuid;

use crate::support::routes;
use crate::support::TestApp;
use crate::tokens::token;

const TABLE: &str = include_str!("access_matrix.txt");

/// A marker written into the employee's private records (an application's motivation, a
/// career conversation): no refused answer may contain it.
const SECRET_MARK: &str = "Confidential-7Q2X";
/// The demo employee's family name: no one else's refused answer may name them.
const EMPLOYEE_FAMILY_NAME: &str = "Lindqvist";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Caller {
    Anonymous,
    Employee,
    OtherEmployee,
    Manager,
    OtherManager,
    Hr,
    ReadToken,
    WriteToken,
    MetricsToken,
    ScimToken,
}

const CALLERS: [Caller; 10] = [
    Caller::Anonymous,
    Caller::Employee,
    Caller::OtherEmployee,
    Caller::Manager,
    Caller::OtherManager,
    Caller::Hr,
    Caller::ReadToken,
    Caller::WriteToken,
    Caller::MetricsToken,
    Caller::ScimToken,
];

impl Caller {
    fn name(self) -> &'static str {
        match self {
            Caller::Anonymous => "anonymous",
            Caller::Employee => "employee",
            Caller::OtherEmployee => "other-employee",
            Caller::Manager => "manager",
            Caller::OtherManager => "other-manager",
            Caller::Hr => "hr",
            Caller::ReadToken => "read",
            Caller::WriteToken => "write",
            Caller::MetricsToken => "metrics",
            Caller::ScimToken => "scim",
        }
    }

    fn scope(self) -> Option<&'static str> {
        match self {
            Caller::ReadToken => Some("read"),
            Caller::WriteToken => Some("write"),
            Caller::MetricsToken => Some("metrics"),
            Caller::ScimToken => Some("scim"),
            _ => None,
        }
    }

    /// The callers a word of the table stands for.
    fn expand(word: &str) -> Vec<Caller> {
        use Caller::*;
        match word {
            "public" => vec![
                Anonymous,
                Employee,
                OtherEmployee,
                Manager,
                OtherManager,
                Hr,
            ],
            "person" => vec![Employee, OtherEmployee, Manager, OtherManager, Hr],
            "own" | "employee" => vec![Employee],
            "other-employee" => vec![OtherEmployee],
            "team" | "owner" | "manager-of" => vec![Manager],
            "managers" => vec![Manager, OtherManager],
            "other-manager" => vec![OtherManager],
            "hr" => vec![Hr],
            "tokens" => vec![ReadToken, WriteToken, MetricsToken, ScimToken],
            other => CALLERS
                .into_iter()
                .find(|c| c.name() == other)
                .map(|c| vec![c])
                .unwrap_or_else(|| panic!("access_matrix.txt: unknown caller word {other:?}")),
        }
    }
}

/// One row of the table: who may make this request, and what an allowed GET answers.
struct Row {
    allowed: BTreeSet<Caller>,
    /// The statuses an allowed request may answer, when a GET is not a plain 200.
    statuses: Vec<u16>,
}

fn table() -> BTreeMap<(String, String), Row> {
    let mut rows = BTreeMap::new();
    for (n, line) in TABLE.lines().enumerate() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let mut words = line.split_whitespace();
        let method = words.next().unwrap().to_string();
        let path = words
            .next()
            .unwrap_or_else(|| panic!("access_matrix.txt line {}: no path", n + 1))
            .to_string();
        let mut allowed = BTreeSet::new();
        let mut statuses = Vec::new();
        for word in words {
            if let Some(code) = word.strip_prefix('=') {
                statuses = code
                    .split(',')
                    .map(|c| c.parse().expect("statuses after ="))
                    .collect();
            } else if word != "nobody" {
                allowed.extend(Caller::expand(word));
            }
        }
        let key = (method, path);
        assert!(
            !rows.contains_key(&key),
            "access_matrix.txt line {}: {key:?} twice",
            n + 1
        );
        rows.insert(key, Row { allowed, statuses });
    }
    rows
}

/// The ids the paths are filled in with, all about the demo's employee, their manager and
/// the manager's posting, so "another employee" and "another manager" test ownership.
struct Fixture {
    values: BTreeMap<&'static str, String>,
}

async fn scalar(db: &PgPool, sql: &str) -> String {
    let value: Option<String> = sqlx::query_scalar(sql)
        .fetch_optional(db)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    value.unwrap_or_else(|| panic!("the demo has no row for: {sql}"))
}

impl Fixture {
    async fn load(app: &TestApp) -> Fixture {
        let db = &app.db;
        let employee = scalar(
            db,
            "select id::text from people where email = 'employee@example.com'",
        )
        .await;
        let manager = scalar(
            db,
            "select id::text from people where email = 'manager@example.com'",
        )
        .await;
        // Another employee: no reports, not HR, not in the manager's team; another manager:
        // has reports, is neither the employee's manager nor HR. Both get the demo password.
        let other_employee = scalar(
            db,
            "select p.id::text from people p
             where p.employment_status = 'active' and not p.is_hr_admin
               and p.manager_id <> (select id from people where email = 'manager@example.com')
               and not exists (select 1 from people r where r.manager_id = p.id)
               and p.email not in ('employee@example.com', 'manager@example.com', 'hr@example.com')
             order by p.email limit 1",
        )
        .await;
        let other_manager = scalar(
            db,
            "select p.id::text from people p
             where p.employment_status = 'active' and not p.is_hr_admin
               and exists (select 1 from people r where r.manager_id = p.id)
               and p.email not in ('employee@example.com', 'manager@example.com', 'hr@example.com')
               and p.id <> (select manager_id from people where email = 'employee@example.com')
             order by p.email limit 1",
        )
        .await;
        sqlx::query(
            "update people set email = case when id = $1::uuid then 'other.employee@example.com'
                                            else 'other.manager@example.com' end,
                               password_hash = (select password_hash from people
                                                where email = 'employee@example.com')
             where id in ($1::uuid, $2::uuid)",
        )
        .bind(&other_employee)
        .bind(&other_manager)
        .execute(db)
        .await
        .unwrap();

        let posting = scalar(
            db,
            "select o.id::text from opportunities o
             where o.owner_id = (select id from people where email = 'manager@example.com')
               and o.status = 'open'
             order by (select count(*) from applications a where a.opportunity_id = o.id) desc,
                      o.id
             limit 1",
        )
        .await;
        let application_on_posting = scalar(
            db,
            &format!(
                "select a.id::text from applications a
                 where a.opportunity_id = '{posting}' order by a.id limit 1"
            ),
        )
        .await;
        let own_application = scalar(
            db,
            &format!(
                "select id::text from applications where applicant_id = '{employee}'
                 order by (status in ('submitted', 'in_review', 'interviewing', 'offered')) desc, id
                 limit 1"
            ),
        )
        .await;
        sqlx::query("update applications set motivation = $2 where id = $1::uuid")
            .bind(&own_application)
            .bind(format!("I am leaving. {SECRET_MARK}"))
            .execute(db)
            .await
            .unwrap();
        sqlx::query(
            "update career_conversations set notes = notes || $2 where person_id = $1::uuid",
        )
        .bind(&employee)
        .bind(format!(" {SECRET_MARK}"))
        .execute(db)
        .await
        .unwrap();
        // Two skills the employee holds and none of the other callers do (one for the page,
        // one for the API, so removing one does not turn the other's row into a 404).
        let own_skills = format!(
            "select skill_id::text from person_skills where person_id = '{employee}'
               and skill_id not in (select skill_id from person_skills
                                    where person_id in ('{other_employee}', '{other_manager}',
                                        '{manager}', (select id from people
                                                      where email = 'hr@example.com')))
             order by skill_id"
        );
        let skill = scalar(db, &format!("{own_skills} limit 1")).await;
        let page_skill = scalar(db, &format!("{own_skills} offset 1 limit 1")).await;
        let skill_alias = scalar(
            db,
            &format!(
                "select alias from skill_aliases
                 order by (skill_id = '{skill}') desc, alias limit 1"
            ),
        )
        .await;
        let alias_skill = scalar(
            db,
            &format!(
                "select skill_id::text from skill_aliases where alias = '{}' limit 1",
                skill_alias.replace('\'', "''")
            ),
        )
        .await;
        let related = scalar(
            db,
            "select skill_id::text || ' ' || related_skill_id::text from skill_relations order by 1 limit 1",
        )
        .await;
        let (related_skill, related_id) = related.split_once(' ').unwrap();
        let course = scalar(
            db,
            &format!(
                "select course_id::text from enrolments where person_id = '{employee}' limit 1"
            ),
        )
        .await;
        let enrolment = scalar(
            db,
            &format!("select id::text from enrolments where person_id = '{employee}' limit 1"),
        )
        .await;
        let plan = scalar(
            db,
            &format!(
                "select id::text from development_plans where person_id = '{employee}' limit 1"
            ),
        )
        .await;
        let step = scalar(
            db,
            &format!(
                "select id::text from development_plan_steps where plan_id = '{plan}' limit 1"
            ),
        )
        .await;
        let notification = scalar(
            db,
            &format!("select id::text from notifications where person_id = '{employee}' limit 1"),
        )
        .await;
        let mentorship = scalar(
            db,
            &format!(
                "insert into mentorship_requests (mentor_id, mentee_id, message)
                 values ('{employee}', '{other_employee}', 'Would you mentor me?')
                 returning id::text"
            ),
        )
        .await;
        let page_saved_search = scalar(
            db,
            &format!(
                "insert into saved_searches (person_id, name, query)
                 values ('{employee}', 'Design roles', '{{\"q\": \"design\"}}') returning id::text"
            ),
        )
        .await;
        let saved_search = scalar(
            db,
            &format!(
                "insert into saved_searches (person_id, name, query)
                 values ('{employee}', 'Data roles', '{{\"q\": \"data\"}}') returning id::text"
            ),
        )
        .await;
        let profile = scalar(db, "select id::text from job_profiles order by id limit 1").await;
        let family = scalar(db, "select id::text from job_families order by id limit 1").await;
        let level = scalar(db, "select id::text from job_levels order by id limit 1").await;
        let import_job = scalar(
            db,
            "insert into import_jobs (kind, status, phase, error, finished_at)
             values ('people', 'failed', 'Done', 'stopped', now())
             returning id::text",
        )
        .await;
        // Two secondments of the employee that ended yesterday: their returns are due, for
        // the employee's manager and HR to record (one for the API row, one for the page's).
        let due_return = format!(
            "insert into moves (person_id, kind, source, effective_on, planned_end_on)
             values ('{employee}', 'secondment_start', 'marketplace',
                     current_date - 60, current_date - 1)
             returning id::text"
        );
        let secondment = scalar(db, &due_return).await;
        let page_secondment = scalar(db, &due_return).await;
        let department = scalar(
            db,
            &format!("select department_id::text from people where id = '{employee}'"),
        )
        .await;

        // Two critical roles of the manager's team with the employee as successor (one for
        // the pages, one for the API, so unmarking one leaves the other).
        let critical_role = format!(
            "with r as (insert into critical_roles (job_profile_id, manager_id, reason)
                 select job_profile_id, id, 'leadership' from people where id = '{manager}'
                 returning id),
             c as (insert into succession_candidates (critical_role_id, person_id, fit_score,
                 computed_band) select id, '{employee}', 50, 'one_to_two_years' from r)
             select id::text from r"
        );
        let api_critical_role = scalar(db, &critical_role).await;
        sqlx::query("update critical_roles set incumbent_id = $1::uuid where id = $2::uuid")
            .bind(&manager)
            .bind(&api_critical_role)
            .execute(db)
            .await
            .unwrap();
        let page_critical_role = scalar(db, &critical_role).await;

        // Two talent pools with the employee in them (pages and API).
        let pool = |name: &str| {
            format!(
                "with p as (insert into talent_pools (name) values ('{name}') returning id),
                 m as (insert into talent_pool_members (pool_id, person_id)
                       select id, '{employee}' from p)
                 select id::text from p"
            )
        };
        let api_pool = scalar(db, &pool("Access pool A")).await;
        let page_pool = scalar(db, &pool("Access pool B")).await;

        let mut values = BTreeMap::new();
        values.insert("pool", api_pool);
        values.insert("page_pool", page_pool);
        values.insert("critical_role", api_critical_role);
        values.insert("page_critical_role", page_critical_role);
        let proposal = scalar(
            db,
            &format!(
                "insert into skill_proposals (name, proposed_by_id, source, level)
                 values ('Access matrix skill', '{employee}', 'profile', 3) returning id::text"
            ),
        )
        .await;
        values.insert("proposal", proposal);
        values.insert("employee", employee);
        values.insert("manager", manager);
        values.insert("posting", posting);
        values.insert("application_on_posting", application_on_posting);
        values.insert("own_application", own_application);
        values.insert("skill", skill);
        values.insert("page_skill", page_skill);
        values.insert("page_saved_search", page_saved_search);
        values.insert("alias", skill_alias);
        values.insert("alias_skill", alias_skill);
        values.insert("related_skill", related_skill.to_string());
        values.insert("related_id", related_id.to_string());
        values.insert("course", course);
        values.insert("enrolment", enrolment);
        values.insert("plan", plan);
        values.insert("step", step);
        values.insert("notification", notification);
        values.insert("mentorship", mentorship);
        values.insert("saved_search", saved_search);
        values.insert("profile", profile);
        values.insert("family", family);
        values.insert("level", level);
        values.insert("import_job", import_job);
        values.insert("move", secondment);
        values.insert("page_move", page_secondment);
        values.insert("department", department);
        Fixture { values }
    }

    fn get(&self, key: &str) -> &str {
        &self.values[key]
    }

    /// The path with its `{parameters}` filled in.
    fn fill(&self, path: &str) -> String {
        let mut out = String::new();
        let segments: Vec<&str> = path.split('/').collect();
        for (i, segment) in segments.iter().enumerate() {
            if i > 0 {
                out.push('/');
            }
            let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
                out.push_str(segment);
                continue;
            };
            let before = segments[..i].join("/");
            out.push_str(&self.value_for(&before, name, path));
        }
        out
    }

    fn value_for(&self, before: &str, name: &str, path: &str) -> String {
        let v = |k: &str| self.get(k).to_string();
        let ends = |s: &str| before.ends_with(s);
        match name {
            "application_id" => v("application_on_posting"),
            "person_id" => v("employee"),
            "step_id" => v("step"),
            "skill_id" if path.starts_with("/api/") => v("skill"),
            "skill_id" => v("page_skill"),
            "alias" => v("alias"),
            "related_id" => v("related_id"),
            "profile_id" => v("profile"),
            "*rest" => "anything".to_string(),
            "token" => "no-such-token".to_string(),
            "name" if before.ends_with("/ResourceTypes") => "User".to_string(),
            "name" => "trellis.css".to_string(),
            "file" if before.contains("dashboard") => "headcount.csv".to_string(),
            "file" => "applications.csv".to_string(),
            "kind" if before.contains("import") => "people".to_string(),
            "kind" => "families".to_string(),
            "key" => "internal-fill-rate".to_string(),
            "app" => v("own_application"),
            "id" => {
                if ends("/postings") || ends("/opportunities") || ends("/saved-opportunities") {
                    v("posting")
                } else if ends("/applications") || ends("/me/applications") {
                    v("own_application")
                } else if ends("/team") || ends("/team/reports") || ends("/people") {
                    // `/people/{id}` and `/hr/people/{id}` alike
                    v("employee")
                } else if ends("/team/approvals") {
                    v("application_on_posting")
                } else if ends("/courses") {
                    v("course")
                } else if ends("/enrolments") {
                    v("enrolment")
                } else if ends("/plans") {
                    v("plan")
                } else if ends("/notifications") {
                    v("notification")
                } else if ends("/requests") || ends("/mentorship-requests") {
                    v("mentorship")
                } else if ends("/alerts") {
                    v("page_saved_search")
                } else if ends("/saved-searches") {
                    v("saved_search")
                } else if ends("/skill-proposals") || ends("/skills/proposals") {
                    v("proposal")
                } else if ends("/hr/skills") && path.contains("/aliases/") {
                    v("alias_skill")
                } else if ends("/hr/skills") && path.contains("/related/") {
                    v("related_skill")
                } else if ends("/hr/skills") {
                    v("skill")
                } else if ends("/architecture/{kind}") {
                    v("family")
                } else if ends("/profiles") {
                    v("profile")
                } else if ends("/families") {
                    v("family")
                } else if ends("/levels") {
                    v("level")
                } else if ends("/import/jobs") {
                    v("import_job")
                } else if ends("/moves") && path.starts_with("/api/") {
                    v("move")
                } else if ends("/moves") {
                    v("page_move")
                } else if ends("/talent-pools") && path.starts_with("/api/") {
                    v("pool")
                } else if ends("/talent-pools") {
                    v("page_pool")
                } else if ends("/succession") && path.starts_with("/api/") {
                    v("critical_role")
                } else if ends("/succession") {
                    v("page_critical_role")
                } else if ends("/hr/tokens") {
                    Uuid::nil().to_string()
                } else if ends("/Users") {
                    v("employee")
                } else if ends("/Groups") {
                    v("department")
                } else if ends("/Schemas") {
                    "urn:ietf:params:scim:schemas:core:2.0:User".to_string()
                } else if ends("/ResourceTypes") {
                    "User".to_string()
                } else {
                    panic!("access matrix: no value for {{id}} in {path}")
                }
            }
            other => panic!("access matrix: no value for {{{other}}} in {path}"),
        }
    }
}

/// What a caller got for one request.
struct Answer {
    status: u16,
    location: String,
    body: String,
}

enum Door {
    Page,
    Api,
    Scim,
    /// The operators' `/metrics`: bearer tokens only, like SCIM.
    Metrics,
}

fn door(path: &str) -> Door {
    if path.starts_with("/api/") {
        Door::Api
    } else if path.starts_with("/scim/") {
        Door::Scim
    } else if path == "/metrics" {
        Door::Metrics
    } else {
        Door::Page
    }
}

/// One caller's way of making requests: a browser-like session, a bearer token, or nothing.
struct Agent {
    http: reqwest::Client,
    base: String,
    bearer: Option<String>,
    csrf: Option<String>,
}

impl Agent {
    async fn new(app: &TestApp, caller: Caller) -> Agent {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let base = app.url("");
        let email = match caller {
            Caller::Employee => Some("employee@example.com"),
            Caller::OtherEmployee => Some("other.employee@example.com"),
            Caller::Manager => Some("manager@example.com"),
            Caller::OtherManager => Some("other.manager@example.com"),
            Caller::Hr => Some("hr@example.com"),
            _ => None,
        };
        let mut agent = Agent {
            http,
            base,
            bearer: None,
            csrf: None,
        };
        if let Some(email) = email {
            // Sign in through the real form with this agent's own cookie jar.
            let html = agent.get_text("/login").await;
            let csrf = crate::support::client::csrf_in(&html).expect("sign-in form token");
            let signed = agent
                .http
                .post(app.url("/login"))
                .form(&[
                    ("csrf_token", csrf.as_str()),
                    ("email", email),
                    ("password", trellis::demo::DEMO_PASSWORD),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(signed.status(), 303, "{email} signs in");
            let home = agent.get_text("/").await;
            agent.csrf = crate::support::client::csrf_in(&home);
        }
        if caller == Caller::Anonymous {
            let html = agent.get_text("/login").await;
            agent.csrf = crate::support::client::csrf_in(&html);
        }
        if let Some(scope) = caller.scope() {
            agent.bearer = Some(token(app, &[scope]).await.1);
        }
        agent
    }

    async fn get_text(&self, path: &str) -> String {
        self.http
            .get(format!("{}{}", self.base, path))
            .header("accept", "text/html")
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    async fn call(&self, method: &str, path: &str) -> Answer {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let url = format!("{}{}", self.base, path);
        let mut request = self.http.request(method.clone(), url);
        let write = !matches!(method, Method::GET | Method::HEAD);
        request = match door(path) {
            Door::Page => request.header("accept", "text/html"),
            Door::Api | Door::Metrics => request.header("accept", "application/json"),
            Door::Scim => request.header("accept", "application/scim+json"),
        };
        if let Some(secret) = &self.bearer {
            request = request.header("authorization", format!("Bearer {secret}"));
        }
        if write {
            let csrf = self.csrf.clone().unwrap_or_default();
            request = match door(path) {
                Door::Page => request.form(&[("csrf_token", csrf.as_str())]),
                Door::Api | Door::Metrics => request.header("x-csrf-token", csrf).json(&json!({})),
                Door::Scim => request
                    .header("content-type", "application/scim+json")
                    .body("{}"),
            };
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let body = response.text().await.unwrap_or_default();
        Answer {
            status,
            location,
            body,
        }
    }
}

/// Why an answer is wrong for a request the caller may make, if it is.
fn wrong_when_allowed(method: &str, row: &Row, answer: &Answer) -> Option<String> {
    if row.statuses.contains(&answer.status) {
        return None;
    }
    if answer.status >= 500 {
        return Some("a server error".into());
    }
    if is_refusal(answer) {
        return Some("refused".into());
    }
    if method == "GET" && answer.status != 200 {
        return Some(format!("expected 200 {:?}", row.statuses));
    }
    None
}

fn is_refusal(answer: &Answer) -> bool {
    matches!(answer.status, 401 | 403 | 404)
        || (answer.status == 303 && answer.location.starts_with("/login"))
}

/// Why an answer is wrong for a request the caller may not make, if it is.
fn wrong_when_refused(caller: Caller, path: &str, answer: &Answer) -> Option<String> {
    let expected: &[u16] = match (caller, door(path)) {
        (Caller::Anonymous, Door::Page) => &[303, 403],
        // A write from no session fails its CSRF check (403) or asks for sign-in (401).
        (Caller::Anonymous, _) => &[401, 403],
        (c, _) if c.scope().is_some() => &[401, 403],
        // SCIM and /metrics take only bearer tokens: a session is not a credential there.
        (_, Door::Scim | Door::Metrics) => &[401, 403],
        _ => &[403, 404],
    };
    if !expected.contains(&answer.status) {
        return Some(format!("expected a refusal ({expected:?})"));
    }
    if caller == Caller::Anonymous && answer.status == 303 && !answer.location.starts_with("/login")
    {
        return Some(format!(
            "redirected to {} instead of sign-in",
            answer.location
        ));
    }
    let private = answer.body.contains(SECRET_MARK)
        || (caller != Caller::Employee && answer.body.contains(EMPLOYEE_FAMILY_NAME));
    if private {
        return Some("the refusal shows the employee's private data".into());
    }
    None
}

#[tokio::test]
async fn every_route_answers_every_kind_of_caller_as_the_table_says() {
    let mut rows = table();
    let dumping = std::env::var("ACCESS_MATRIX_DUMP").ok();
    let probe = TestApp::empty().await;
    let listed = routes::list(&trellis::app(probe.state.clone()));
    drop(probe);

    let router_keys: BTreeSet<(String, String)> = listed.into_iter().collect();
    let table_keys: BTreeSet<(String, String)> = rows.keys().cloned().collect();
    let missing: Vec<_> = router_keys.difference(&table_keys).collect();
    let stale: Vec<_> = table_keys.difference(&router_keys).collect();
    if dumping.is_some() {
        for key in &missing {
            let row = Row {
                allowed: BTreeSet::new(),
                statuses: Vec::new(),
            };
            rows.insert((*key).clone(), row);
        }
    }
    assert!(
        dumping.is_some() || missing.is_empty() && stale.is_empty(),
        "access_matrix.txt is out of date.\nroutes with no row (say who may use them):\n{}\nrows for routes that do not exist:\n{}",
        missing
            .iter()
            .map(|(m, p)| format!("  {m} {p}"))
            .collect::<Vec<_>>()
            .join("\n"),
        stale
            .iter()
            .map(|(m, p)| format!("  {m} {p}"))
            .collect::<Vec<_>>()
            .join("\n"),
    );

    // Reads first, then writes, sign-out last: an action a caller may take (closing a
    // posting, say) must not turn a later row into a 404.
    let mut order: Vec<&(String, String)> = rows.keys().collect();
    order.sort_by_key(|(m, p)| {
        (
            p == "/logout",
            m != "GET",
            p.contains("delete") || m == "DELETE",
        )
    });

    let mut failures = Vec::new();
    let mut dump = String::new();
    for caller in CALLERS {
        let app = TestApp::with_demo().await;
        let fixture = Fixture::load(&app).await;
        let agent = Agent::new(&app, caller).await;
        for key in &order {
            let (method, pattern) = key;
            let row = &rows[*key];
            let path = fixture.fill(pattern);
            let method = if method == "ANY" {
                "GET"
            } else {
                method.as_str()
            };
            let answer = agent.call(method, &path).await;
            let allowed = row.allowed.contains(&caller);
            let wrong = if allowed {
                wrong_when_allowed(method, row, &answer)
            } else {
                wrong_when_refused(caller, &path, &answer)
            };
            writeln!(
                dump,
                "{method} {pattern} {} {}",
                caller.name(),
                answer.status
            )
            .unwrap();
            if let Some(why) = wrong {
                failures.push(format!(
                    "{} {method} {path} ({pattern}): {} {why}; {}",
                    caller.name(),
                    answer.status,
                    answer.body.chars().take(160).collect::<String>()
                ));
            }
        }
    }
    if let Some(file) = dumping {
        std::fs::write(file, &dump).unwrap();
    }
    assert!(
        failures.is_empty(),
        "{} answers are not what access_matrix.txt says:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
