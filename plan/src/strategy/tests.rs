//! The strategy's rules and its seed.

use super::*;
use chrono::NaiveDate;

#[test]
fn the_seed_is_valid_and_keeps_the_keys_plans_already_carry() {
    let seed = ControlStrategy::seed();
    assert_eq!(seed.clone().validate().unwrap(), seed);
    let keys: Vec<&str> = seed.threats.iter().map(|t| t.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "soc-consistency",
            "prison-soc",
            "county-lines",
            "drug-supply",
            "csae",
            "msht",
            "oic",
            "cyber-crime",
            "fraud"
        ]
    );
}

#[test]
fn keys_are_checked_and_made_from_names_without_clashing() {
    assert!(ThreatKey::parse("county-lines").is_ok());
    for bad in ["", "County", "-x", "a b", &"x".repeat(49)] {
        assert!(ThreatKey::parse(bad).is_err(), "{bad:?}");
    }
    let seed = ControlStrategy::seed();
    let taken: Vec<&ThreatKey> = seed.threats.iter().map(|t| &t.key).collect();
    assert_eq!(
        ThreatKey::from_name("Prison-related SOC", taken.clone()).as_str(),
        "prison-related-soc"
    );
    assert_eq!(ThreatKey::from_name("Fraud", taken.clone()).as_str(), "fraud-2");
    assert_eq!(ThreatKey::from_name("!!!", taken).as_str(), "threat");
}

#[test]
fn a_successor_keeps_every_threat_and_does_not_go_back_in_time() {
    let old = ControlStrategy::seed();
    let mut next = old.clone();
    next.threats[1].retired = true;
    next.threats[0].name = "SOC consistency and enablers".into();
    assert!(old.check_successor(&next).is_ok());
    next.threats.remove(2);
    assert!(old.check_successor(&next).unwrap_err().0.contains("retire it instead"));
    let mut earlier = old.clone();
    earlier.effective_from = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
    assert!(old.check_successor(&earlier).is_err());
}

#[test]
fn validation_names_what_is_wrong() {
    let mut s = ControlStrategy::seed();
    s.threats[3].area = "Nowhere".into();
    assert!(s.validate().unwrap_err().0.contains("Nowhere"));
    let mut s = ControlStrategy::seed();
    s.threats[3].name = "county lines".into();
    assert!(s.validate().unwrap_err().0.contains("named twice"));
    let mut s = ControlStrategy::seed();
    s.title = "  ".into();
    assert_eq!(s.validate().unwrap_err().0, "Title: must not be empty");
}
