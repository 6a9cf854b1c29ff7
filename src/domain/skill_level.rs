//! The proficiency scale, 1 (Novice) to 5 (Expert).

use std::fmt;

/// A proficiency level, always within 1..=5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SkillLevel(u8);

impl SkillLevel {
    /// The level as a number 1..=5.
    pub fn get(self) -> u8 {
        self.0
    }

    /// The level's name and what it means (shown as help next to the scale).
    pub fn describe(self) -> (&'static str, &'static str) {
        match self.0 {
            1 => ("Novice", "learning, needs guidance"),
            2 => ("Advanced beginner", "routine tasks with help"),
            3 => ("Competent", "independent on standard work"),
            4 => ("Proficient", "complex work, guides others"),
            _ => ("Expert", "sets direction, recognised authority"),
        }
    }
}

impl TryFrom<i64> for SkillLevel {
    type Error = String;

    fn try_from(value: i64) -> Result<Self, Self::Error> {
        match u8::try_from(value) {
            Ok(v @ 1..=5) => Ok(SkillLevel(v)),
            _ => Err(format!("must be a whole number from 1 to 5, not {value}")),
        }
    }
}

impl fmt::Display for SkillLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.0, self.describe().0)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::SkillLevel;

    proptest! {
        #[test]
        fn only_one_to_five_are_levels(n in any::<i64>()) {
            let parsed = SkillLevel::try_from(n);
            prop_assert_eq!(parsed.is_ok(), (1..=5).contains(&n));
            if let Ok(level) = parsed {
                prop_assert_eq!(i64::from(level.get()), n);
            }
        }
    }
}
