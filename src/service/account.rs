//! Changing one's own password, for the page and the API alike. People without a password
//! sign in by single sign-on only and are told so. A change ends every other session of the
//! person, is audited, and tells them through a notification, so they learn of it if it was
//! not them. Guessing the current password counts like failed sign-ins (`db::throttle`).

use serde::Deserialize;
use serde_json::json;

use crate::app::state::AppState;
use crate::db::audit::{self, Actor};
use crate::db::notifications::{notify, NewNotification};
use crate::db::throttle::{self, Attempt};
use crate::domain::password::{self, PasswordField};
use crate::domain::user::CurrentUser;
use crate::error::{AppError, FieldError, Result};

/// What a person without a password is told.
pub const NO_PASSWORD: &str = "You sign in with single sign-on, so you have no Trellis password \
                               to change. Your company's identity provider manages how you sign in.";
/// What everyone is told when password sign-in is turned off.
pub const PASSWORDS_OFF: &str = "Signing in with a password is turned off here, so there is no \
                                 Trellis password to change. You sign in with single sign-on.";

/// What someone who guessed the current password too often is told (the sign-in pause from
/// the same address applies too: the guesses count alike).
pub const TOO_MANY_GUESSES: &str = "Too many wrong passwords. Changing the password (and signing \
                                    in with it) from here is paused for a while. Try again later.";

/// The change-password form, and the JSON body of `PUT /api/v1/me/password`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PasswordChange {
    #[serde(default)]
    pub current_password: String,
    /// At least 12 characters, not your email, not your current password.
    #[serde(default)]
    pub new_password: String,
    /// The new password again.
    #[serde(default)]
    pub confirm_password: String,
}

/// The field name of a password rule's input.
pub fn field_name(field: PasswordField) -> &'static str {
    match field {
        PasswordField::New => "new_password",
        PasswordField::Confirmation => "confirm_password",
    }
}

/// Change the signed-in person's password. Errors name the form fields; nothing is stored
/// unless everything is right. Every session but `keep` (the SHA-256 of the session cookie
/// the change came with) ends, in the same transaction as the new hash, its audit entry and
/// the notification. `address` is the client's (`http::address`): guesses at the current
/// password are throttled like sign-ins from there.
pub async fn change_password(
    state: &AppState,
    user: &CurrentUser,
    keep: Option<Vec<u8>>,
    address: &str,
    input: PasswordChange,
) -> Result<()> {
    if !state.config.password_login {
        return Err(AppError::NotFound);
    }
    let current = sqlx::query_scalar!("select password_hash from people where id = $1", user.id)
        .fetch_one(&state.db)
        .await?
        .ok_or_else(|| AppError::Conflict(NO_PASSWORD.into()))?;
    // Guessing the current password from a signed-in browser counts like failed sign-ins.
    let keys = throttle::keys_for(&state.db, address, &user.email).await?;
    let paused_if_wrong = match throttle::attempt(&state.db, &keys).await? {
        Attempt::Paused { .. } => {
            return Err(AppError::field("current_password", TOO_MANY_GUESSES))
        }
        Attempt::Allowed { paused_if_wrong } => paused_if_wrong,
    };
    let mut errors: Vec<FieldError> = password::new_password_problems(
        &input.new_password,
        &input.confirm_password,
        &user.email,
        &user.display_name,
    )
    .into_iter()
    .map(|(f, m)| FieldError::new(field_name(f), m))
    .collect();
    let (right, same, hash) = check(state, current.clone(), input, &errors).await?;
    if right {
        throttle::succeeded(&state.db, address, &user.email).await?;
    } else if paused_if_wrong.is_some() {
        paused(state, user, address).await?;
        return Err(AppError::field("current_password", TOO_MANY_GUESSES));
    } else {
        errors.insert(
            0,
            FieldError::new("current_password", "That is not your current password."),
        );
    }
    if same {
        errors.push(FieldError::new(
            "new_password",
            "The new password is your current one. Choose a different one.",
        ));
    }
    match hash {
        Some(hash) if errors.is_empty() => store(state, user, &current, &hash?, keep).await,
        _ => Err(AppError::Validation(errors)),
    }
}

/// Argon2 work, in one of the server's hashing slots: is the current password right, is the
/// new one the same, and (only when it will be stored) the new hash.
async fn check(
    state: &AppState,
    phc: String,
    input: PasswordChange,
    errors: &[FieldError],
) -> Result<(bool, bool, Option<anyhow::Result<String>>)> {
    let new_is_fine = !errors.iter().any(|e| e.field == "new_password");
    // Hash only a password that will be stored: argon2 is slow on purpose.
    let all_fine = errors.is_empty();
    state
        .password_work(move || {
            let right = password::verify(&phc, &input.current_password);
            let same = new_is_fine && password::verify(&phc, &input.new_password);
            let hash = (right && all_fine && !same).then(|| password::hash(&input.new_password));
            (right, same, hash)
        })
        .await
}

/// A wrong guess past the free ones: audited like a paused sign-in.
async fn paused(state: &AppState, user: &CurrentUser, address: &str) -> Result<()> {
    let details = json!({ "email": user.email, "address": address, "via": "change_password" });
    let id = Some(user.id.to_string());
    audit::record(
        &state.db,
        Actor::Person(user.id),
        "auth.sign_in_paused",
        "person",
        id,
        details,
    )
    .await?;
    Ok(())
}

async fn store(
    state: &AppState,
    user: &CurrentUser,
    old: &str,
    new: &str,
    keep: Option<Vec<u8>>,
) -> Result<()> {
    let mut tx = state.db.begin().await?;
    // Only over the hash the current password was checked against (no lost update).
    let changed = sqlx::query!(
        "update people set password_hash = $2 where id = $1 and password_hash = $3",
        user.id,
        new,
        old
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(AppError::Conflict(
            "Your password was changed in the meantime. Reload the page and try again.".into(),
        ));
    }
    let ended = sqlx::query!(
        "delete from sessions where person_id = $1 and ($2::bytea is null or token_hash <> $2)",
        user.id,
        keep
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    audit::record(
        &mut *tx,
        Actor::Person(user.id),
        "auth.password_changed",
        "person",
        Some(user.id.to_string()),
        json!({ "other_sessions_ended": ended }),
    )
    .await?;
    notify(
        &mut *tx,
        &NewNotification {
            person_id: user.id,
            kind: "password_changed",
            title: "Your password was changed",
            body: "Your Trellis password was just changed, and every other session was signed \
                   out. If this was not you, choose a new password with \"Forgot your \
                   password?\" on the sign-in page and tell your IT team.",
            link: Some("/account/password"),
            ..Default::default()
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Why the person has no password to change (passwords are off, or they sign in by single
/// sign-on only), or None when they can change it.
pub async fn why_no_password(state: &AppState, user: &CurrentUser) -> Result<Option<&'static str>> {
    if !state.config.password_login {
        return Ok(Some(PASSWORDS_OFF));
    }
    let has_password = sqlx::query_scalar!(
        r#"select password_hash is not null as "has!" from people where id = $1"#,
        user.id
    )
    .fetch_one(&state.db)
    .await?;
    Ok((!has_password).then_some(NO_PASSWORD))
}
