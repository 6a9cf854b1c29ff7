//! Single sign-on in the database: the sign-ins waiting for the identity provider, and which
//! person an identity-provider account is.

use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use crate::db::audit::{self, Actor};
use crate::sso::VerifiedAccount;

/// Minutes a person has to finish signing in at the identity provider.
const ATTEMPT_MINUTES: i32 = 10;

/// What was kept of a sign-in while the browser was at the provider.
pub struct Attempt {
    pub nonce: String,
    pub pkce_verifier: String,
    pub next_path: String,
}

/// Keep a sign-in for the provider's answer (and forget the ones nobody finished).
pub async fn save_attempt(
    db: &PgPool,
    state_hash: &[u8],
    nonce: &str,
    pkce_verifier: &str,
    next_path: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = db.begin().await?;
    sqlx::query!("delete from oidc_login_attempts where expires_at < now()")
        .execute(&mut *tx)
        .await?;
    sqlx::query!(
        "insert into oidc_login_attempts (state_hash, nonce, pkce_verifier, next_path, expires_at)
         values ($1, $2, $3, $4, now() + make_interval(mins => $5))",
        state_hash,
        nonce,
        pkce_verifier,
        next_path,
        ATTEMPT_MINUTES
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await
}

/// Take a sign-in back, once: a second callback with the same state finds nothing.
pub async fn take_attempt(db: &PgPool, state_hash: &[u8]) -> Result<Option<Attempt>, sqlx::Error> {
    sqlx::query_as!(
        Attempt,
        "delete from oidc_login_attempts where state_hash = $1 and expires_at > now()
         returning nonce, pkce_verifier, next_path",
        state_hash
    )
    .fetch_optional(db)
    .await
}

/// Why a verified account cannot sign in to Trellis.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("Your Trellis account is no longer active. Ask HR if you think this is wrong.")]
    Inactive,
    #[error("Your identity provider says the email {0} is not verified, so Trellis cannot use it to find your account.")]
    UnverifiedEmail(String),
    #[error(
        "No one in Trellis has the email {0}. Ask HR to add you (people come from the HR system)."
    )]
    Unknown(String),
    #[error("The Trellis account for {0} is already linked to another account at this identity provider. Ask HR to check.")]
    LinkedElsewhere(String),
}

impl Refusal {
    /// A short name for the audit trail.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Inactive => "inactive",
            Refusal::UnverifiedEmail(_) => "unverified_email",
            Refusal::Unknown(_) => "unknown_email",
            Refusal::LinkedElsewhere(_) => "linked_elsewhere",
        }
    }
}

/// The person an account is, and whether they were created just now.
pub struct Resolved {
    pub person_id: Uuid,
    pub created: bool,
}

/// Find (or, when allowed, create) the person a verified account belongs to: by the account
/// itself once linked, else by email on the first sign-in, which links it.
pub async fn resolve(
    conn: &mut PgConnection,
    account: &VerifiedAccount,
    create_users: bool,
) -> Result<Result<Resolved, Refusal>, sqlx::Error> {
    let linked = sqlx::query!(
        "select p.id, p.employment_status from person_identities i
         join people p on p.id = i.person_id
         where i.issuer = $1 and i.subject = $2",
        account.issuer,
        account.subject
    )
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(person) = linked {
        if person.employment_status == "terminated" {
            return Ok(Err(Refusal::Inactive));
        }
        sqlx::query!(
            "update person_identities set last_used_at = now() where issuer = $1 and subject = $2",
            account.issuer,
            account.subject
        )
        .execute(&mut *conn)
        .await?;
        return Ok(Ok(Resolved {
            person_id: person.id,
            created: false,
        }));
    }

    let email = account.email.clone().unwrap_or_default();
    if account.email_verified == Some(false) {
        return Ok(Err(Refusal::UnverifiedEmail(email)));
    }
    let person = sqlx::query!(
        "select id, employment_status,
                exists(select 1 from person_identities i
                       where i.person_id = people.id and i.issuer = $2) as \"linked!\"
         from people where lower(email) = lower($1) for update",
        email,
        account.issuer
    )
    .fetch_optional(&mut *conn)
    .await?;
    let (person_id, created) = match person {
        Some(p) if p.employment_status == "terminated" => return Ok(Err(Refusal::Inactive)),
        Some(p) if p.linked => return Ok(Err(Refusal::LinkedElsewhere(email))),
        Some(p) => (p.id, false),
        None if !create_users => return Ok(Err(Refusal::Unknown(email))),
        None => (create_person(conn, account, &email).await?, true),
    };
    sqlx::query!(
        "insert into person_identities (issuer, subject, person_id, linked_email)
         values ($1, $2, $3, $4)",
        account.issuer,
        account.subject,
        person_id,
        email
    )
    .execute(&mut *conn)
    .await?;
    audit::record(
        &mut *conn,
        Actor::Person(person_id),
        "auth.identity_linked",
        "person",
        Some(person_id.to_string()),
        json!({ "issuer": account.issuer, "subject": account.subject, "email": email }),
    )
    .await?;
    Ok(Ok(Resolved { person_id, created }))
}

/// Undo a link (HR, when an account was linked to the wrong person or the person changes
/// accounts): their next single sign-on finds them by email again. Returns false when there
/// was no such link.
pub async fn unlink(
    db: &PgPool,
    hr: Uuid,
    person_id: Uuid,
    issuer: &str,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let removed = sqlx::query!(
        "delete from person_identities where person_id = $1 and issuer = $2
         returning subject, linked_email",
        person_id,
        issuer
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(removed) = removed else {
        return Ok(false);
    };
    audit::record(
        &mut *tx,
        Actor::Person(hr),
        "auth.identity_unlinked",
        "person",
        Some(person_id.to_string()),
        json!({ "issuer": issuer, "subject": removed.subject, "email": removed.linked_email }),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// A new person from the provider's claims: no department, manager or job profile yet (HR's
/// import or SCIM fills those in), hired today as far as Trellis knows.
async fn create_person(
    conn: &mut PgConnection,
    account: &VerifiedAccount,
    email: &str,
) -> Result<Uuid, sqlx::Error> {
    let (given, family, display) = names(account, email);
    let number = format!("SSO-{}", &Uuid::new_v4().simple().to_string()[..10]);
    let id = sqlx::query_scalar!(
        "insert into people (employee_number, email, given_name, family_name, display_name,
                             hire_date, role_started_on)
         values ($1, $2, $3, $4, $5, current_date, current_date)
         returning id",
        number,
        email,
        given,
        family,
        display
    )
    .fetch_one(&mut *conn)
    .await?;
    audit::record(
        &mut *conn,
        Actor::System,
        "person.create",
        "person",
        Some(id.to_string()),
        json!({ "source": "oidc", "issuer": account.issuer, "email": email,
                "display_name": display, "employee_number": number }),
    )
    .await?;
    Ok(id)
}

/// Given, family and display names from the claims, falling back to the email's local part.
fn names(account: &VerifiedAccount, email: &str) -> (String, String, String) {
    let full = account.name.clone();
    let mut words = full.as_deref().unwrap_or("").split_whitespace();
    let first_word = words.next().map(str::to_string);
    let rest = words.collect::<Vec<_>>().join(" ");
    let local = email.split('@').next().unwrap_or(email).to_string();
    let given = account
        .given_name
        .clone()
        .or(first_word)
        .unwrap_or_else(|| local.clone());
    let family = account
        .family_name
        .clone()
        .unwrap_or(rest)
        .trim()
        .to_string();
    let display = full.unwrap_or_else(|| format!("{given} {family}").trim().to_string());
    (given, family, display)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(name: Option<&str>, given: Option<&str>, family: Option<&str>) -> VerifiedAccount {
        VerifiedAccount {
            issuer: "https://idp".into(),
            subject: "s".into(),
            email: Some("ada.lovelace@example.com".into()),
            email_verified: Some(true),
            name: name.map(Into::into),
            given_name: given.map(Into::into),
            family_name: family.map(Into::into),
        }
    }

    #[test]
    fn a_new_persons_names_come_from_the_claims_the_provider_gave() {
        let email = "ada.lovelace@example.com";
        assert_eq!(
            names(
                &account(Some("Ada King"), Some("Ada"), Some("Lovelace")),
                email
            ),
            ("Ada".into(), "Lovelace".into(), "Ada King".into())
        );
        assert_eq!(
            names(&account(Some("Ada Byron King"), None, None), email),
            ("Ada".into(), "Byron King".into(), "Ada Byron King".into())
        );
        assert_eq!(
            names(&account(None, Some("Ada"), Some("Lovelace")), email),
            ("Ada".into(), "Lovelace".into(), "Ada Lovelace".into())
        );
        assert_eq!(
            names(&account(None, None, None), email),
            ("ada.lovelace".into(), String::new(), "ada.lovelace".into())
        );
    }
}
