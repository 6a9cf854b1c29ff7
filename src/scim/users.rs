//! SCIM Users mapped onto `people`: userName is the work email; the enterprise extension
//! carries employeeNumber, department (by name; created when new) and manager.value (a
//! person's id). `active` false is employment status `terminated` (terminated today).
//! DELETE deprovisions: the person is terminated, their sessions end, they leave SCIM (404),
//! and everything they did stays in Trellis.

use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use uuid::Uuid;

use super::filter::{get_ci, Filter};
use super::sql::{push_filter, push_order, Resource};
use super::{etag, ENTERPRISE_USER, USER_SCHEMA};
use crate::http::scim_error::ScimError;

/// One person as SCIM sees them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub external_id: Option<String>,
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub display_name: String,
    pub employment_status: String,
    pub employee_number: String,
    pub department: Option<String>,
    pub manager_id: Option<Uuid>,
    pub manager_name: Option<String>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

const SELECT: &str =
    "select p.id, p.external_id, p.email, p.given_name, p.family_name, p.display_name, \
    p.employment_status, p.employee_number, d.name as department, p.manager_id, \
    m.display_name as manager_name, p.created_at, p.updated_at \
    from people p left join departments d on d.id = p.department_id \
    left join people m on m.id = p.manager_id where p.deprovisioned_at is null";

/// The people SCIM sees (`p`), with the tables a filter may refer to (`d`, `m`); ends in a
/// `where`, so conditions follow with `and`.
pub const FROM: &str = "from people p left join departments d on d.id = p.department_id \
    left join people m on m.id = p.manager_id where p.deprovisioned_at is null";

fn ts(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

impl UserRow {
    /// The SCIM representation; `base` is the service's `/scim/v2` URL.
    pub fn to_json(&self, base: &str) -> Value {
        let mut ext = json!({ "employeeNumber": self.employee_number });
        if let Some(d) = &self.department {
            ext["department"] = json!(d);
        }
        if let Some(m) = self.manager_id {
            ext["manager"] = json!({ "value": m.to_string(), "$ref": format!("{base}/Users/{m}"),
                "displayName": self.manager_name });
        }
        let mut user = json!({
            "schemas": [USER_SCHEMA, ENTERPRISE_USER],
            "id": self.id.to_string(),
            "userName": self.email,
            "name": { "givenName": self.given_name, "familyName": self.family_name,
                      "formatted": format!("{} {}", self.given_name, self.family_name) },
            "displayName": self.display_name,
            "active": self.employment_status != "terminated",
            "emails": [{ "value": self.email, "type": "work", "primary": true }],
            ENTERPRISE_USER: ext,
            "meta": { "resourceType": "User", "created": ts(self.created_at),
                      "lastModified": ts(self.updated_at),
                      "location": format!("{base}/Users/{}", self.id), "version": etag(self.updated_at) },
        });
        if let Some(x) = &self.external_id {
            user["externalId"] = json!(x);
        }
        user
    }
}

/// One user, or `None` when unknown or deprovisioned. `lock` takes a row lock.
pub async fn find(
    conn: &mut PgConnection,
    id: Uuid,
    lock: bool,
) -> Result<Option<UserRow>, ScimError> {
    let mut qb = QueryBuilder::<Postgres>::new(SELECT);
    qb.push(" and p.id = ").push_bind(id);
    if lock {
        qb.push(" for update of p");
    }
    Ok(qb.build_query_as::<UserRow>().fetch_optional(conn).await?)
}

/// The users with these ids, in no particular order.
pub async fn by_ids(conn: &mut PgConnection, ids: &[Uuid]) -> Result<Vec<UserRow>, ScimError> {
    let mut qb = QueryBuilder::<Postgres>::new(SELECT);
    qb.push(" and p.id = any(").push_bind(ids).push(")");
    Ok(qb.build_query_as::<UserRow>().fetch_all(conn).await?)
}

/// A page of users matching `filter`, and the total.
pub async fn list(
    db: &PgPool,
    filter: Option<&Filter>,
    sort_by: Option<&str>,
    descending: bool,
    offset: i64,
    limit: i64,
) -> Result<(Vec<UserRow>, i64), ScimError> {
    let mut count = QueryBuilder::<Postgres>::new(format!("select count(*) from ({SELECT}"));
    let mut page = QueryBuilder::<Postgres>::new(SELECT);
    for qb in [&mut count, &mut page] {
        if let Some(f) = filter {
            qb.push(" and ");
            push_filter(qb, Resource::User, f)?;
        }
    }
    count.push(") as matching");
    let total: i64 = count.build_query_scalar().fetch_one(db).await?;
    push_order(&mut page, Resource::User, sort_by, descending)?;
    page.push(" offset ")
        .push_bind(offset)
        .push(" limit ")
        .push_bind(limit);
    let rows = page.build_query_as::<UserRow>().fetch_all(db).await?;
    Ok((rows, total))
}

/// What a create or replace writes.
#[derive(Debug, Clone)]
pub struct UserInput {
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub display_name: String,
    pub active: bool,
    pub external_id: Option<String>,
    pub employee_number: Option<String>,
    pub department: Option<String>,
    pub manager_id: Option<Uuid>,
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Read a User resource. `previous_email` lets a PATCH of `emails[...].value` move userName.
pub fn input(body: &Value, previous_email: Option<&str>) -> Result<UserInput, ScimError> {
    let required = |what: &str| ScimError::invalid_value(format!("{what} is required."));
    let mut email = text(get_ci(body, "userName")).ok_or_else(|| required("userName"))?;
    let work_email = get_ci(body, "emails")
        .and_then(Value::as_array)
        .and_then(|a| {
            a.iter()
                .find(|e| get_ci(e, "primary") == Some(&json!(true)))
                .or_else(|| a.first())
        });
    if let (Some(prev), Some(new)) = (
        previous_email,
        text(work_email.and_then(|e| get_ci(e, "value"))),
    ) {
        if email.eq_ignore_ascii_case(prev) && !new.eq_ignore_ascii_case(prev) {
            email = new;
        }
    }
    let at = email.find('@');
    if email.len() > 254
        || email.contains(char::is_whitespace)
        || at.is_none_or(|i| i == 0 || i == email.len() - 1)
    {
        return Err(ScimError::invalid_value(
            "userName is the person's work email address.",
        ));
    }
    let name = get_ci(body, "name");
    let given_name = text(name.and_then(|n| get_ci(n, "givenName")))
        .ok_or_else(|| required("name.givenName"))?;
    let family_name = text(name.and_then(|n| get_ci(n, "familyName")))
        .ok_or_else(|| required("name.familyName"))?;
    let display_name =
        text(get_ci(body, "displayName")).unwrap_or_else(|| format!("{given_name} {family_name}"));
    let active = match get_ci(body, "active") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        // some clients send "True"/"False" as strings
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => true,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => false,
        Some(_) => return Err(ScimError::invalid_value("active is true or false.")),
    };
    let ext = get_ci(body, ENTERPRISE_USER);
    let manager = ext.and_then(|e| get_ci(e, "manager"));
    let manager_id = match manager.and_then(|m| {
        if m.is_string() {
            Some(m)
        } else {
            get_ci(m, "value")
        }
    }) {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_str().map(str::trim) {
            Some("") => None,
            Some(s) => Some(
                Uuid::parse_str(s)
                    .map_err(|_| ScimError::invalid_value("manager.value is the id of a User."))?,
            ),
            None => {
                return Err(ScimError::invalid_value(
                    "manager.value is the id of a User.",
                ))
            }
        },
    };
    Ok(UserInput {
        email,
        given_name,
        family_name,
        display_name,
        active,
        external_id: text(get_ci(body, "externalId")),
        employee_number: text(ext.and_then(|e| get_ci(e, "employeeNumber"))),
        department: text(ext.and_then(|e| get_ci(e, "department"))),
        manager_id,
    })
}

/// Check uniqueness and references before writing; returns the department's id.
async fn prepare(
    conn: &mut PgConnection,
    input: &UserInput,
    id: Option<Uuid>,
) -> Result<Option<Uuid>, ScimError> {
    let taken: bool = sqlx::query_scalar(
        "select exists(select 1 from people where lower(email) = lower($1) and id is distinct from $2)")
        .bind(&input.email).bind(id).fetch_one(&mut *conn).await?;
    if taken {
        return Err(ScimError::uniqueness(format!(
            "userName '{}' is already taken.",
            input.email
        )));
    }
    if let Some(x) = &input.external_id {
        let taken: bool = sqlx::query_scalar(
            "select exists(select 1 from people where external_id = $1 and id is distinct from $2)",
        )
        .bind(x)
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
        if taken {
            return Err(ScimError::uniqueness(format!(
                "externalId '{x}' is already taken."
            )));
        }
    }
    if let Some(n) = &input.employee_number {
        let taken: bool = sqlx::query_scalar(
            "select exists(select 1 from people where employee_number = $1 and id is distinct from $2)")
            .bind(n).bind(id).fetch_one(&mut *conn).await?;
        if taken {
            return Err(ScimError::uniqueness(format!(
                "employeeNumber '{n}' is already taken."
            )));
        }
    }
    if let Some(m) = input.manager_id {
        if Some(m) == id {
            return Err(ScimError::invalid_value(
                "A person cannot be their own manager.",
            ));
        }
        let known: bool = sqlx::query_scalar("select exists(select 1 from people where id = $1)")
            .bind(m)
            .fetch_one(&mut *conn)
            .await?;
        if !known {
            return Err(ScimError::invalid_value(
                "manager.value is not the id of a User.",
            ));
        }
    }
    let Some(name) = &input.department else {
        return Ok(None);
    };
    let existing: Option<Uuid> =
        sqlx::query_scalar("select id from departments where lower(name) = lower($1)")
            .bind(name)
            .fetch_optional(&mut *conn)
            .await?;
    match existing {
        Some(d) => Ok(Some(d)),
        None => Ok(Some(
            sqlx::query_scalar("insert into departments (name) values ($1) returning id")
                .bind(name)
                .fetch_one(&mut *conn)
                .await?,
        )),
    }
}

/// Insert a person; returns the new id.
pub async fn insert(conn: &mut PgConnection, input: &UserInput) -> Result<Uuid, ScimError> {
    let department = prepare(conn, input, None).await?;
    let number = input
        .employee_number
        .clone()
        .unwrap_or_else(|| format!("SCIM-{}", &Uuid::new_v4().simple().to_string()[..10]));
    Ok(sqlx::query_scalar(
        "insert into people (employee_number, email, given_name, family_name, display_name, department_id,
             manager_id, hire_date, role_started_on, employment_status, terminated_on, external_id)
         values ($1, $2, $3, $4, $5, $6, $7, current_date, current_date,
                 case when $8 then 'active' else 'terminated' end,
                 case when $8 then null else current_date end, $9)
         returning id")
        .bind(number).bind(&input.email).bind(&input.given_name).bind(&input.family_name)
        .bind(&input.display_name).bind(department).bind(input.manager_id).bind(input.active)
        .bind(&input.external_id)
        .fetch_one(conn).await?)
}

/// Replace a person's SCIM-managed fields. Deactivation ends their sessions.
pub async fn update(conn: &mut PgConnection, id: Uuid, input: &UserInput) -> Result<(), ScimError> {
    let department = prepare(conn, input, Some(id)).await?;
    sqlx::query(
        "update people set email = $2, given_name = $3, family_name = $4, display_name = $5,
             department_id = $6, manager_id = $7, external_id = $8,
             employee_number = coalesce($9, employee_number),
             employment_status = case when not $10 then 'terminated'
                                      when employment_status = 'terminated' then 'active'
                                      else employment_status end,
             terminated_on = case when not $10 then coalesce(terminated_on, current_date) else null end
         where id = $1")
        .bind(id).bind(&input.email).bind(&input.given_name).bind(&input.family_name)
        .bind(&input.display_name).bind(department).bind(input.manager_id).bind(&input.external_id)
        .bind(&input.employee_number).bind(input.active)
        .execute(&mut *conn).await?;
    if !input.active {
        sqlx::query("delete from sessions where person_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Deprovision: terminate today (unless already), end sessions, hide from SCIM.
pub async fn deprovision(conn: &mut PgConnection, id: Uuid) -> Result<(), ScimError> {
    sqlx::query(
        "update people set employment_status = 'terminated',
             terminated_on = coalesce(terminated_on, current_date), deprovisioned_at = now()
         where id = $1",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sqlx::query("delete from sessions where person_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
