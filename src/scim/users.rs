//! SCIM Users mapped onto `people`: userName is any unique text (the work email when
//! `user_name` is null), the work email is `email`, `emails`/`phoneNumbers`/`addresses`
//! are kept as sent (`user_input`), `title` is stored as text. The enterprise extension
//! carries employeeNumber, department (by name; created when new) and manager.value (a
//! person's id). `active` false is employment status `terminated` (terminated today).
//! DELETE deprovisions: the person is terminated, their sessions end, they leave SCIM (404),
//! and everything they did stays in Trellis; a later create may bring them back (`rehire`).

use serde_json::{json, Value};
use sqlx::{PgConnection, PgPool, Postgres, QueryBuilder};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use uuid::Uuid;

use super::filter::Filter;
use super::sql::{push_filter, push_order, Resource};
use super::user_input::work_index;
use super::{etag, ENTERPRISE_USER, USER_SCHEMA};
use crate::http::scim_error::ScimError;

/// One person as SCIM sees them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub external_id: Option<String>,
    pub user_name: String,
    pub email: String,
    pub given_name: String,
    pub family_name: String,
    pub display_name: String,
    pub employment_status: String,
    pub employee_number: String,
    pub department: Option<String>,
    pub manager_id: Option<Uuid>,
    pub manager_name: Option<String>,
    pub title: Option<String>,
    pub scim_emails: Option<Value>,
    pub phone_numbers: Option<Value>,
    pub addresses: Option<Value>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

const SELECT: &str =
    "select p.id, p.external_id, coalesce(p.user_name, p.email) as user_name, p.email, \
    p.given_name, p.family_name, p.display_name, p.employment_status, p.employee_number, \
    d.name as department, p.manager_id, m.display_name as manager_name, p.title, \
    p.scim_emails, p.phone_numbers, p.addresses, p.created_at, p.updated_at \
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
    /// `emails` as kept, with the work email's value what Trellis has now (HR may have
    /// changed it); the work email alone when none were kept.
    fn emails(&self) -> Value {
        match self.scim_emails.as_ref().and_then(Value::as_array) {
            Some(list) if !list.is_empty() => {
                let mut list = list.clone();
                let i = work_index(&list);
                list[i]["value"] = json!(self.email);
                Value::Array(list)
            }
            _ => json!([{ "value": self.email, "type": "work", "primary": true }]),
        }
    }

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
            "userName": self.user_name,
            "name": { "givenName": self.given_name, "familyName": self.family_name,
                      "formatted": format!("{} {}", self.given_name, self.family_name) },
            "displayName": self.display_name,
            "active": self.employment_status != "terminated",
            "emails": self.emails(),
            ENTERPRISE_USER: ext,
            "meta": { "resourceType": "User", "created": ts(self.created_at),
                      "lastModified": ts(self.updated_at),
                      "location": format!("{base}/Users/{}", self.id), "version": etag(self.updated_at) },
        });
        if let Some(x) = &self.external_id {
            user["externalId"] = json!(x);
        }
        if let Some(t) = &self.title {
            user["title"] = json!(t);
        }
        for (key, v) in [
            ("phoneNumbers", &self.phone_numbers),
            ("addresses", &self.addresses),
        ] {
            if let Some(v) = v {
                user[key] = v.clone();
            }
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
