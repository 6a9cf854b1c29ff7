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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let phc = hash("trellis-demo").unwrap();
        assert!(verify(&phc, "trellis-demo"));
        assert!(!verify(&phc, "trellis-demo "));
        assert!(!verify("not a hash", "trellis-demo"));
    }
}
