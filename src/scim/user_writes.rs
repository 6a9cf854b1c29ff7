//! Writing SCIM Users: uniqueness and references are checked first (the answer names the
//! clashing value, and says so when it belongs to a deleted person), then one insert or
//! update. Also rehires (a create that brings a deleted person back) and deprovisioning.
//!
//! The rehire rule: a create is a rehire when a person deleted through SCIM has its
//! externalId, else its employeeNumber, else (when the create sends no employeeNumber) its
//! userName. That person comes back with the same id and all their history, active, with
//! the create's attributes; their hire date stays the first one.

use sqlx::PgConnection;
use uuid::Uuid;

use super::user_input::UserInput;
use crate::http::scim_error::ScimError;

/// The employee number of a person the identity provider sends none for.
pub fn generated_number() -> String {
    format!("SCIM-{}", &Uuid::new_v4().simple().to_string()[..10])
}

/// The userName to store: null when it is the work email.
fn stored_user_name(input: &UserInput) -> Option<&str> {
    (!input.user_name.eq_ignore_ascii_case(&input.email)).then_some(input.user_name.as_str())
}

/// Whether someone other than `id` holds `value`; `Some(true)` when that person is deleted.
async fn holder(
    conn: &mut PgConnection,
    condition: &'static str,
    value: &str,
    id: Option<Uuid>,
) -> Result<Option<bool>, ScimError> {
    // Runtime SQL: `condition` is one of the fixed expressions in `prepare`, never input.
    let sql = format!(
        "select deprovisioned_at is not null from people
         where {condition} and id is distinct from $2 limit 1"
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(value)
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

fn clash(what: &str, value: &str, deleted: bool) -> ScimError {
    ScimError::uniqueness(if deleted {
        format!(
            "{what} '{value}' belongs to a person deleted from SCIM whose externalId and \
             employeeNumber are not this user's: send their externalId or employeeNumber to \
             rehire them, or ask HR to change that person in Trellis."
        )
    } else {
        format!("{what} '{value}' is already taken.")
    })
}

/// Check uniqueness and references before writing; returns the department's id.
async fn prepare(
    conn: &mut PgConnection,
    input: &UserInput,
    id: Option<Uuid>,
) -> Result<Option<Uuid>, ScimError> {
    let mut unique = vec![
        (
            "userName",
            "lower(coalesce(user_name, email)) = lower($1)",
            Some(&input.user_name),
        ),
        (
            "The work email",
            "lower(email) = lower($1)",
            Some(&input.email),
        ),
        ("externalId", "external_id = $1", input.external_id.as_ref()),
        (
            "employeeNumber",
            "employee_number = $1",
            input.employee_number.as_ref(),
        ),
    ];
    for (what, condition, value) in unique.drain(..) {
        let Some(value) = value else { continue };
        if let Some(deleted) = holder(conn, condition, value, id).await? {
            return Err(clash(what, value, deleted));
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

/// Insert a person (active unless the create says `active: false`); returns the new id.
pub async fn insert(conn: &mut PgConnection, input: &UserInput) -> Result<Uuid, ScimError> {
    let department = prepare(conn, input, None).await?;
    let number = input
        .employee_number
        .clone()
        .unwrap_or_else(generated_number);
    Ok(sqlx::query_scalar(
        "insert into people (employee_number, email, user_name, given_name, family_name,
             display_name, department_id, manager_id, hire_date, role_started_on,
             employment_status, terminated_on, external_id, title, scim_emails, phone_numbers,
             addresses)
         values ($1, $2, $3, $4, $5, $6, $7, $8, current_date, current_date,
                 case when $9 then 'active' else 'terminated' end,
                 case when $9 then null else current_date end, $10, $11, $12, $13, $14)
         returning id",
    )
    .bind(number)
    .bind(&input.email)
    .bind(stored_user_name(input))
    .bind(&input.given_name)
    .bind(&input.family_name)
    .bind(&input.display_name)
    .bind(department)
    .bind(input.manager_id)
    .bind(input.active.unwrap_or(true))
    .bind(&input.external_id)
    .bind(&input.title)
    .bind(&input.emails)
    .bind(&input.phone_numbers)
    .bind(&input.addresses)
    .fetch_one(conn)
    .await?)
}

/// Replace a person's SCIM-managed fields. Only an explicit `active` changes the employment
/// status (`None` leaves it); deactivation ends their sessions. A missing employeeNumber
/// keeps the one they have.
pub async fn update(conn: &mut PgConnection, id: Uuid, input: &UserInput) -> Result<(), ScimError> {
    let department = prepare(conn, input, Some(id)).await?;
    sqlx::query(
        "update people set email = $2, user_name = $3, given_name = $4, family_name = $5,
             display_name = $6, department_id = $7, manager_id = $8, external_id = $9,
             employee_number = coalesce($10, employee_number),
             employment_status = case when $11::boolean is null then employment_status
                                      when not $11 then 'terminated'
                                      when employment_status = 'terminated' then 'active'
                                      else employment_status end,
             terminated_on = case when $11::boolean is null then terminated_on
                                  when not $11 then coalesce(terminated_on, current_date)
                                  else null end,
             title = $12, scim_emails = $13, phone_numbers = $14, addresses = $15
         where id = $1",
    )
    .bind(id)
    .bind(&input.email)
    .bind(stored_user_name(input))
    .bind(&input.given_name)
    .bind(&input.family_name)
    .bind(&input.display_name)
    .bind(department)
    .bind(input.manager_id)
    .bind(&input.external_id)
    .bind(&input.employee_number)
    .bind(input.active)
    .bind(&input.title)
    .bind(&input.emails)
    .bind(&input.phone_numbers)
    .bind(&input.addresses)
    .execute(&mut *conn)
    .await?;
    if input.active == Some(false) {
        sqlx::query("delete from sessions where person_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The deleted person a create brings back, by the rehire rule (module docs).
pub async fn deleted_match(
    conn: &mut PgConnection,
    input: &UserInput,
) -> Result<Option<Uuid>, ScimError> {
    let by = |condition: &'static str| {
        format!("select id from people where deprovisioned_at is not null and {condition} limit 1")
    };
    // Runtime SQL: the conditions are the fixed strings below.
    let mut keys = vec![];
    if let Some(x) = &input.external_id {
        keys.push(("external_id = $1", x));
    }
    match &input.employee_number {
        Some(n) => keys.push(("employee_number = $1", n)),
        None => keys.push((
            "lower(coalesce(user_name, email)) = lower($1)",
            &input.user_name,
        )),
    }
    for (condition, value) in keys {
        let found: Option<Uuid> = sqlx::query_scalar(&by(condition))
            .bind(value)
            .fetch_optional(&mut *conn)
            .await?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

/// Bring a deleted person back with the create's attributes (active unless it says not).
pub async fn rehire(conn: &mut PgConnection, id: Uuid, input: &UserInput) -> Result<(), ScimError> {
    sqlx::query("update people set deprovisioned_at = null where id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let input = UserInput {
        active: Some(input.active.unwrap_or(true)),
        ..input.clone()
    };
    update(conn, id, &input).await
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
