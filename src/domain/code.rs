//! Access codes: cryptographically random, easy to read aloud and to type at a captive portal.

use rand::rngs::OsRng;
use rand::seq::SliceRandom;
use rand::Rng;

/// Letters and digits a person cannot mistake for one another: no 0/O, 1/I/L.
pub const UNAMBIGUOUS: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

const DIGITS: &[u8] = b"0123456789";

/// How codes look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeStyle {
    /// Letters and digits from [`UNAMBIGUOUS`], shown in groups of `group` for reading aloud.
    Letters {
        /// Characters in the code.
        length: usize,
        /// Characters per group when shown; 0 for no grouping.
        group: usize,
    },
    /// Digits only, as Nexudus's visitor codes (5 digits).
    Digits {
        /// Digits in the code.
        length: usize,
    },
}

impl Default for CodeStyle {
    fn default() -> Self {
        Self::Letters {
            length: 8,
            group: 4,
        }
    }
}

impl CodeStyle {
    /// Nexudus's visitor style: five digits.
    pub const VISITOR: Self = Self::Digits { length: 5 };

    fn alphabet(self) -> &'static [u8] {
        match self {
            Self::Letters { .. } => UNAMBIGUOUS,
            Self::Digits { .. } => DIGITS,
        }
    }

    fn length(self) -> usize {
        match self {
            Self::Letters { length, .. } | Self::Digits { length } => length.clamp(4, 32),
        }
    }

    /// Characters per group when the code is shown.
    pub fn group(self) -> usize {
        match self {
            Self::Letters { group, .. } => group,
            // A 5-digit code is read whole; a longer one (typed, or a longer style) in fours.
            Self::Digits { .. } => 4,
        }
    }

    /// How many different codes this style can make.
    pub fn combinations(self) -> f64 {
        (self.alphabet().len() as f64).powi(self.length() as i32)
    }
}

/// A new code from the system's (in a browser: `crypto.getRandomValues`) randomness.
pub fn generate(style: CodeStyle) -> String {
    generate_with(style, &mut OsRng)
}

/// A new code from the given randomness; each character drawn uniformly from the style's alphabet.
pub fn generate_with(style: CodeStyle, rng: &mut impl Rng) -> String {
    let alphabet = style.alphabet();
    (0..style.length())
        .map(|_| *alphabet.choose(rng).unwrap_or(&b'X') as char)
        .collect()
}

/// A code as typed by a person: spaces and dashes dropped, letters upper-cased. Codes are ASCII
/// (see [`problem`]), so only ASCII letters change: a letter outside it is left for `problem` to
/// refuse, not turned into one inside it (`ı` is not taken for `I`).
pub fn normalize(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Why a typed code cannot be used, or `None` when it can.
pub fn problem(code: &str) -> Option<&'static str> {
    if code.is_empty() {
        Some("Enter a code, or generate one.")
    } else if code.chars().count() > 50 {
        Some("A code may be at most 50 characters long.")
    } else if !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        Some("Use letters and digits only: visitors type the code at the WiFi login page.")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use rand::rngs::StdRng;
    use rand::SeedableRng;

    use super::*;

    #[test]
    fn the_alphabet_has_no_look_alikes() {
        for c in [b'0', b'O', b'1', b'I', b'L', b'l'] {
            assert!(!UNAMBIGUOUS.contains(&c), "{}", c as char);
        }
        assert_eq!(UNAMBIGUOUS.len(), 31);
        assert_eq!(
            UNAMBIGUOUS.iter().collect::<HashSet<_>>().len(),
            31,
            "no repeats"
        );
    }

    #[test]
    fn length_and_style() {
        let code = generate(CodeStyle::default());
        assert_eq!(code.len(), 8);
        assert!(code.bytes().all(|b| UNAMBIGUOUS.contains(&b)), "{code}");
        let visitor = generate(CodeStyle::VISITOR);
        assert_eq!(visitor.len(), 5);
        assert!(visitor.bytes().all(|b| b.is_ascii_digit()), "{visitor}");
        let long = generate(CodeStyle::Letters {
            length: 12,
            group: 3,
        });
        assert_eq!(long.len(), 12);
        assert_eq!(
            generate(CodeStyle::Letters {
                length: 1,
                group: 0
            })
            .len(),
            4,
            "at least 4"
        );
        assert_eq!(
            generate(CodeStyle::Digits { length: 99 }).len(),
            32,
            "at most 32"
        );
    }

    #[test]
    fn randomness_smoke_test() {
        // 2,000 codes of 8 from 31^8 ≈ 8.5e11: a repeat would mean broken randomness.
        let codes: HashSet<String> = (0..2000).map(|_| generate(CodeStyle::default())).collect();
        assert_eq!(codes.len(), 2000);
        // Every character of the alphabet turns up, none much more often than the others.
        let mut seen: HashMap<char, usize> = HashMap::new();
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..3100 {
            for c in generate_with(CodeStyle::default(), &mut rng).chars() {
                *seen.entry(c).or_default() += 1;
            }
        }
        assert_eq!(seen.len(), 31);
        // 24,800 draws, 800 expected each; a fair draw stays well inside ±25%.
        assert!(seen.values().all(|n| (600..=1000).contains(n)), "{seen:?}");
    }

    #[test]
    fn every_style_groups_a_long_code_for_reading() {
        use crate::domain::reading::grouped;
        let visitor = CodeStyle::VISITOR.group();
        assert_eq!(grouped("42137", visitor), "42137");
        assert_eq!(grouped("CONFERENCE2025", visitor), "CONF EREN CE2 025");
        assert_eq!(grouped("123456789012", visitor), "1234 5678 9012");
        assert_eq!(
            grouped("K7QM3XPD", CodeStyle::default().group()),
            "K7QM 3XPD"
        );
    }

    #[test]
    fn combinations() {
        assert_eq!(CodeStyle::VISITOR.combinations(), 100_000.0);
        assert_eq!(CodeStyle::default().combinations(), 31f64.powi(8));
    }

    #[test]
    fn typed_codes_are_normalized_and_checked() {
        assert_eq!(normalize(" k7qm-3xpd "), "K7QM3XPD");
        assert_eq!(normalize("k7qm 3xpd"), "K7QM3XPD");
        // A letter outside ASCII is refused as typed, not upper-cased into an ASCII one.
        assert_eq!(normalize("kıd"), "KıD");
        assert!(problem(&normalize("kıd")).is_some());
        assert_eq!(problem(""), Some("Enter a code, or generate one."));
        assert!(problem("K7QM3XPD").is_none());
        assert!(problem("K7QM/3XPD").unwrap().contains("letters and digits"));
        assert!(problem(&"A".repeat(51)).unwrap().contains("50"));
    }
}
