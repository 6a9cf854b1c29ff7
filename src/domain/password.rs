//! Password hashing with argon2id (the crate's recommended parameters).

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// A PHC string for `password`.
pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

/// True when `password` matches `phc`. A malformed hash never matches.
pub fn verify(phc: &str, password: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash of no real password, verified when the email is unknown so that a failed sign-in
/// takes as long whether or not the account exists.
pub static DECOY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash("no such account").unwrap_or_default());

/// Fewest characters a new password may have.
pub const MIN_LENGTH: usize = 12;
/// Most characters a new password may have (hashing longer input is only a way to waste CPU).
pub const MAX_LENGTH: usize = 256;

/// Which input a rule about a new password is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordField {
    New,
    Confirmation,
}

/// What is wrong with a new password and its confirmation, checked without hashing: length,
/// not the email, the confirmation matches. (Whether it is the current password needs the
/// current hash; see [`is_current`].) Empty when the password may be used.
pub fn new_password_problems(
    new: &str,
    confirmation: &str,
    email: &str,
) -> Vec<(PasswordField, &'static str)> {
    let mut problems = Vec::new();
    let length = new.chars().count();
    if length < MIN_LENGTH {
        problems.push((
            PasswordField::New,
            "Use at least 12 characters. A few unrelated words make a long password easy to remember.",
        ));
    } else if length > MAX_LENGTH {
        problems.push((PasswordField::New, "Use at most 256 characters."));
    } else if new.trim().eq_ignore_ascii_case(email.trim()) {
        problems.push((
            PasswordField::New,
            "Your email address cannot be your password.",
        ));
    }
    if confirmation != new {
        problems.push((
            PasswordField::Confirmation,
            "The two new passwords are not the same. Type the new password again.",
        ));
    }
    problems
}

/// True when `new` is the password `current_phc` was made from (a person with no password
/// has no current one).
pub fn is_current(current_phc: Option<&str>, new: &str) -> bool {
    current_phc.is_some_and(|phc| verify(phc, new))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_password_needs_twelve_characters_not_the_email_and_the_same_confirmation() {
        use PasswordField::*;
        let email = "Ada@Example.com";
        let cases: [(&str, &str, Vec<PasswordField>); 6] = [
            ("correct horse battery", "correct horse battery", vec![]),
            ("short", "short", vec![New]),
            ("elevenchars", "elevenchars", vec![New]),
            ("ada@example.com", "ada@example.com", vec![New]),
            ("correct horse battery", "correct horse", vec![Confirmation]),
            ("short", "other", vec![New, Confirmation]),
        ];
        for (new, confirmation, expected) in cases {
            let fields: Vec<_> = new_password_problems(new, confirmation, email)
                .into_iter()
                .map(|(f, _)| f)
                .collect();
            assert_eq!(fields, expected, "{new:?} / {confirmation:?}");
        }
        assert!(
            new_password_problems(&"x".repeat(257), &"x".repeat(257), email)
                .iter()
                .any(|(_, m)| m.contains("at most 256"))
        );
        // Twelve characters, not bytes: an accented password of 12 letters is long enough.
        assert!(new_password_problems("éééééééééééé", "éééééééééééé", email).is_empty());
    }

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let phc = hash("trellis-demo").unwrap();
        assert!(verify(&phc, "trellis-demo"));
        assert!(!verify(&phc, "trellis-demo "));
        assert!(!verify("not a hash", "trellis-demo"));
    }
}
