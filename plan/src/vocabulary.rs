//! The closed vocabularies of a 4P plan. Each parses at the boundary
//! (`FromStr`, serde) and refuses anything else with a message that names
//! the field and the values it accepts.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A value that is not one of a field's accepted values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {value:?} is not valid; expected one of {expected}")]
pub struct InvalidValue {
    pub field: &'static str,
    pub value: String,
    pub expected: &'static str,
}

/// Declares a string-valued enum with `as_str`, `Display`, `FromStr`
/// (case-insensitive) and serde as the canonical upper-case string.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident, $field:literal, { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in the template's order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            const EXPECTED: &'static str = concat!($($text, " "),+);

            /// The canonical text, as stored in documents and shown to users.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = InvalidValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let wanted = s.trim();
                $name::ALL
                    .iter()
                    .copied()
                    .find(|v| v.as_str().eq_ignore_ascii_case(wanted))
                    .ok_or_else(|| InvalidValue {
                        field: $field,
                        value: s.to_string(),
                        expected: $name::EXPECTED.trim_end(),
                    })
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

string_enum!(
    /// Whether the plan targets an Organised Crime Group or a Priority Individual.
    SubjectKind, "subject_kind", { Ocg => "OCG", Pi => "PI" }
);

string_enum!(
    /// One of the four Ps. The template's Part B orders them Prepare, Prevent,
    /// Protect, Pursue; `ALL` follows the objectives' order (Pursue first).
    P, "p", { Pursue => "PURSUE", Prevent => "PREVENT", Protect => "PROTECT", Prepare => "PREPARE" }
);

string_enum!(
    /// An action's RAG status.
    RagStatus, "status", { Red => "RED", Amber => "AMBER", Green => "GREEN" }
);

string_enum!(
    /// The assessed impact of an action on the OCG's threat and harm.
    Disruption, "disruption", {
        Negative => "NEGATIVE", None => "NONE", Minor => "MINOR", Moderate => "MODERATE", Major => "MAJOR"
    }
);

string_enum!(
    /// Government Security Classification marking shown on every page and export.
    SecurityMarking, "marking", {
        Official => "OFFICIAL",
        OfficialSensitive => "OFFICIAL-SENSITIVE",
        OfficialSensitiveOperational => "OFFICIAL-SENSITIVE-OPERATIONAL"
    }
);

impl Default for SecurityMarking {
    fn default() -> Self {
        SecurityMarking::OfficialSensitive
    }
}

impl P {
    /// The order of Part B's action tables in the template.
    pub const ACTION_LOG_ORDER: [P; 4] = [P::Prepare, P::Prevent, P::Protect, P::Pursue];

    /// Lower-case key used in document paths and element ids.
    pub fn key(self) -> &'static str {
        match self {
            P::Pursue => "pursue",
            P::Prevent => "prevent",
            P::Protect => "protect",
            P::Prepare => "prepare",
        }
    }

    /// The template's heading for this P's objectives.
    pub fn heading(self) -> &'static str {
        match self {
            P::Pursue => "PURSUE OFFENDERS THROUGH PROSECUTION AND DISRUPTION",
            P::Prevent => "PREVENT PEOPLE FROM ENGAGING IN SERIOUS AND ORGANISED CRIME",
            P::Protect => {
                "PROTECT INDIVIDUALS, ORGANISATIONS AND SYSTEMS FROM THE EFFECTS OF SERIOUS AND ORGANISED CRIME"
            }
            P::Prepare => "PREPARE FOR WHEN SERIOUS AND ORGANISED CRIME OCCURS AND MITIGATE IMPACT",
        }
    }
}

/// The OCG/PI's tier, 1 (highest threat) to 4. It sets the review interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(into = "i64")]
pub struct Tier(u8);

/// Accepts `2` or `"2"` (form values arrive as text); any other value is
/// refused with a message naming the field. Formats that do not describe
/// themselves (postcard, between server and pages) carry the number.
impl<'de> Deserialize<'de> for Tier {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TierVisitor;
        impl serde::de::Visitor<'_> for TierVisitor {
            type Value = Tier;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("tier: a number from 1 to 4")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Tier, E> {
                Tier::new(v).map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Tier, E> {
                Tier::new(i64::try_from(v).unwrap_or(i64::MAX)).map_err(E::custom)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Tier, E> {
                v.parse().map_err(E::custom)
            }
        }
        if d.is_human_readable() {
            d.deserialize_any(TierVisitor)
        } else {
            d.deserialize_i64(TierVisitor)
        }
    }
}

impl Tier {
    pub const ALL: [Tier; 4] = [Tier(1), Tier(2), Tier(3), Tier(4)];

    pub fn new(value: i64) -> Result<Self, InvalidValue> {
        match value {
            1..=4 => Ok(Tier(value as u8)),
            _ => Err(InvalidValue {
                field: "tier",
                value: value.to_string(),
                expected: "1 2 3 4",
            }),
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<i64> for Tier {
    type Error = InvalidValue;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Tier::new(value)
    }
}

impl From<Tier> for i64 {
    fn from(t: Tier) -> i64 {
        i64::from(t.0)
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for Tier {
    type Err = InvalidValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let t = t.strip_prefix("Tier ").or_else(|| t.strip_prefix("tier ")).unwrap_or(t);
        t.parse::<i64>()
            .map_err(|_| InvalidValue {
                field: "tier",
                value: s.to_string(),
                expected: "1 2 3 4",
            })
            .and_then(Tier::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_parse_case_insensitively_and_print_canonically() {
        assert_eq!("amber".parse::<RagStatus>().unwrap(), RagStatus::Amber);
        assert_eq!(" Pi ".parse::<SubjectKind>().unwrap(), SubjectKind::Pi);
        assert_eq!(Disruption::Moderate.to_string(), "MODERATE");
        assert_eq!(
            "official-sensitive".parse::<SecurityMarking>().unwrap(),
            SecurityMarking::OfficialSensitive
        );
    }

    #[test]
    fn invalid_values_are_refused_with_the_field_and_choices() {
        let err = "PURPLE".parse::<RagStatus>().unwrap_err();
        assert_eq!(err.field, "status");
        assert_eq!(
            err.to_string(),
            "status: \"PURPLE\" is not valid; expected one of RED AMBER GREEN"
        );
        assert!("SECRET".parse::<SecurityMarking>().is_err());
        assert!(serde_json::from_str::<Disruption>("\"HUGE\"").is_err());
    }

    #[test]
    fn tier_accepts_one_to_four_only() {
        assert_eq!(Tier::new(3).unwrap().get(), 3);
        assert!(Tier::new(0).is_err());
        assert!(Tier::new(5).is_err());
        assert_eq!("Tier 2".parse::<Tier>().unwrap(), Tier::new(2).unwrap());
        assert!("two".parse::<Tier>().is_err());
        assert!(serde_json::from_str::<Tier>("7").is_err());
        assert_eq!(serde_json::from_str::<Tier>("\"3\"").unwrap().get(), 3);
        let err = serde_json::from_str::<Tier>("true").unwrap_err().to_string();
        assert!(err.contains("tier"), "{err}");
        assert_eq!(serde_json::to_string(&Tier::new(4).unwrap()).unwrap(), "4");
    }
}
