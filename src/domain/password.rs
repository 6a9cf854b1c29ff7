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

/// What a common password is told.
pub const COMMON: &str = "This is one of the most common passwords (perhaps with a few digits or \
                          symbols added), so it is among the first an attacker tries. A few \
                          unrelated words make a long password easy to remember.";
/// What a predictable pattern is told.
pub const PATTERN: &str = "This password is a predictable pattern: repeated characters, a \
                           keyboard row, or an alphabet or number sequence. A few unrelated \
                           words are much harder to guess.";
/// What a password made from the person's name or email is told.
pub const PERSONAL: &str = "This password is made from your name or email address, which others \
                            know. Choose something else; a few unrelated words work well.";

/// The common passwords a new one may not be (one per line, lower case): the list Django's
/// `CommonPasswordValidator` ships, made by Royce Williams from breached-password corpora,
/// without the entries shorter than 4 characters. See `data/common-passwords.txt`.
static COMMON_PASSWORDS: std::sync::LazyLock<std::collections::HashSet<&'static str>> =
    std::sync::LazyLock::new(|| {
        include_str!("../../data/common-passwords.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect()
    });

/// Fewest unpredictable characters a password needs (see [`unpredictable`]).
const MIN_UNPREDICTABLE: usize = 6;

/// What is wrong with a new password and its confirmation, checked without hashing: length,
/// not the email, not common (or a common one with digits and symbols around it), not a
/// predictable pattern, not made from the person's `email` or `name`, and the confirmation
/// matches. (Whether it is the current password needs the current hash; see [`is_current`].)
/// Empty when the password may be used.
pub fn new_password_problems(
    new: &str,
    confirmation: &str,
    email: &str,
    name: &str,
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
    } else if let Some(why) = weakness(new, email, name) {
        problems.push((PasswordField::New, why));
    }
    if confirmation != new {
        problems.push((
            PasswordField::Confirmation,
            "The two new passwords are not the same. Type the new password again.",
        ));
    }
    problems
}

/// Why a password of acceptable length is still easy to guess, if it is.
fn weakness(password: &str, email: &str, name: &str) -> Option<&'static str> {
    let lower = password.to_lowercase();
    if is_common(&lower) {
        return Some(COMMON);
    }
    if unpredictable(&lower) < MIN_UNPREDICTABLE {
        return Some(PATTERN);
    }
    let mut rest = lower.clone();
    for word in personal_words(email, name) {
        rest = rest.replace(&word, "");
    }
    if rest != lower && unpredictable(&rest) < MIN_UNPREDICTABLE {
        return Some(PERSONAL);
    }
    None
}

/// The password (lower case) is on the list, or is an entry of it with digits, symbols or
/// spaces before or after it, or with the usual look-alike substitutions (`p@ssw0rd`).
fn is_common(lower: &str) -> bool {
    let core = lower.trim_matches(|c: char| !c.is_alphabetic());
    let letters: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
    let folded = unleet(core);
    let folded_core = folded.trim_matches(|c: char| !c.is_alphabetic());
    [lower, core, letters.as_str(), folded.as_str(), folded_core]
        .iter()
        .any(|candidate| candidate.chars().count() >= 4 && COMMON_PASSWORDS.contains(candidate))
}

/// Undo the usual look-alike substitutions.
fn unleet(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '@' | '4' => 'a',
            '0' => 'o',
            '1' | '!' | '|' => 'i',
            '3' => 'e',
            '$' | '5' => 's',
            '7' | '+' => 't',
            '8' => 'b',
            other => other,
        })
        .collect()
}

/// Keyboard rows, for walks like `qwerty` and `asdf`.
const KEYBOARD_ROWS: [&str; 4] = [
    "`1234567890-=",
    "qwertyuiop[]\\",
    "asdfghjkl;'",
    "zxcvbnm,./",
];

/// How many characters of `s` cannot be guessed from the one before: a character is
/// predictable when it repeats the one before, is its neighbour in the alphabet or digits
/// (`abc`, `321`), its neighbour on a keyboard row (`qwe`, `lkj`), or continues a pair of
/// characters seen earlier in the password (`abcabc`).
fn unpredictable(s: &str) -> usize {
    let chars: Vec<char> = s.chars().collect();
    let mut seen = std::collections::HashSet::new();
    let mut count = 0;
    for (i, &c) in chars.iter().enumerate() {
        let predictable = i > 0 && {
            let prev = chars[i - 1];
            prev == c
                || (prev as i64 - c as i64).abs() == 1
                || keyboard_neighbours(prev, c)
                || seen.contains(&(prev, c))
        };
        if i > 0 {
            seen.insert((chars[i - 1], c));
        }
        if !predictable {
            count += 1;
        }
    }
    count
}

fn keyboard_neighbours(a: char, b: char) -> bool {
    KEYBOARD_ROWS.iter().any(|row| {
        let (Some(i), Some(j)) = (row.find(a), row.find(b)) else {
            return false;
        };
        i.abs_diff(j) == 1
    })
}

/// The parts of an email address and a name someone might build a password from (lower case,
/// at least three characters, longest first): `ada.lovelace@example.com` gives
/// `ada.lovelace`, `lovelace`, `example`, `ada`.
fn personal_words(email: &str, name: &str) -> Vec<String> {
    let email = email.trim().to_lowercase();
    let (local, domain) = email.split_once('@').unwrap_or((email.as_str(), ""));
    let mut words: Vec<String> = vec![local.to_string()];
    words.extend(local.split(['.', '_', '-', '+']).map(str::to_string));
    words.extend(domain.split('.').next().map(str::to_string));
    let name = name.to_lowercase();
    words.push(name.split_whitespace().collect::<String>());
    words.extend(
        name.split(|c: char| c.is_whitespace() || c == '-' || c == '\'')
            .map(str::to_string),
    );
    words.retain(|w| w.chars().count() >= 3);
    words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    words.dedup();
    words
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
            let fields: Vec<_> = new_password_problems(new, confirmation, email, "Ada Lovelace")
                .into_iter()
                .map(|(f, _)| f)
                .collect();
            assert_eq!(fields, expected, "{new:?} / {confirmation:?}");
        }
        assert!(
            new_password_problems(&"x".repeat(257), &"x".repeat(257), email, "")
                .iter()
                .any(|(_, m)| m.contains("at most 256"))
        );
        // Twelve characters, not bytes: an accented password of 12 letters is long enough.
        assert!(new_password_problems("éèêëēėęàâäæã", "éèêëēėęàâäæã", email, "").is_empty());
    }

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let phc = hash("trellis-demo").unwrap();
        assert!(verify(&phc, "trellis-demo"));
        assert!(!verify(&phc, "trellis-demo "));
        assert!(!verify("not a hash", "trellis-demo"));
    }

    #[test]
    fn common_patterned_and_personal_passwords_are_refused_with_the_reason() {
        let email = "ada.lovelace@example.com";
        let name = "Ada Lovelace";
        let refused = |p: &str| {
            new_password_problems(p, p, email, name)
                .first()
                .map(|(_, m)| *m)
        };
        for p in [
            "password1234",
            "P@ssw0rd2024!",
            "1234password",
            "iloveyou!!!!",
            "Qwertyuiop12",
        ] {
            assert_eq!(refused(p), Some(COMMON), "{p}");
        }
        for p in [
            "aaaaaaaaaaaa",
            "abcabcabcabc",
            "123456789012",
            "asdfghjkl;'z",
            "=-0987654321",
            "abababababab",
            "qazqazqazqaz",
            "9876543210ab",
        ] {
            assert_eq!(refused(p), Some(PATTERN), "{p}");
        }
        for p in [
            "ada.lovelace1",
            "Lovelace2024!!",
            "AdaLovelace!1",
            "example-2024",
            "lovelace-ada!",
        ] {
            assert_eq!(refused(p), Some(PERSONAL), "{p}");
        }
        for p in [
            "correct horse battery staple",
            "a much longer password",
            "trellis-demo",
            "Tr0ub4dor&3xq",
            "another long password",
            "my lovelace novel draft",
        ] {
            assert_eq!(refused(p), None, "{p}");
        }
    }
}
