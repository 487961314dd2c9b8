//! The vetting model's rules, tested directly.

use super::*;

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

#[test]
fn levels_are_configured_lowest_first_and_matched_without_regard_to_case() {
    let levels = VettingLevels::default();
    assert_eq!(levels.lowest(), "none");
    assert_eq!(levels.rank("nppv2"), Some(2));
    assert_eq!(levels.canonical(" nppv3 "), Ok("NPPV3"));
    assert!(levels
        .canonical("SC")
        .unwrap_err()
        .contains("none, NPPV1, NPPV2, NPPV3"));
    assert_eq!(levels.from("NPPV2"), ["NPPV2".to_string(), "NPPV3".to_string()]);
    let national = VettingLevels::parse("none, CTC, SC, DV").unwrap();
    assert_eq!(national.rank("SC"), Some(2));
    for bad in ["", "none", "none,,NPPV1", "none,NPPV1,nppv1", "none,A=B"] {
        assert!(VettingLevels::parse(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn markings_imply_configured_levels_and_unlisted_ones_need_none() {
    let levels = VettingLevels::default();
    let map = VettingByMarking::parse("OFFICIAL-SENSITIVE-OPERATIONAL=nppv2", &levels).unwrap();
    assert_eq!(
        map.implied(SecurityMarking::OfficialSensitiveOperational),
        Some("NPPV2")
    );
    assert_eq!(map.implied(SecurityMarking::Official), None);
    assert_eq!(
        VettingByMarking::parse("", &levels).unwrap(),
        VettingByMarking::default()
    );
    assert!(VettingByMarking::parse("SECRET=NPPV3", &levels).is_err());
    assert!(VettingByMarking::parse("OFFICIAL=SC", &levels).is_err());
    assert!(VettingByMarking::parse("OFFICIAL", &levels).is_err());
}

#[test]
fn a_level_above_none_needs_an_expiry_and_none_has_none() {
    let levels = VettingLevels::default();
    assert_eq!(
        levels.check_setting("nppv2", Some("2027-03-31")),
        Ok(("NPPV2".into(), Some(at("2027-03-31T00:00:00Z"))))
    );
    assert_eq!(
        levels.check_setting("NPPV2", Some("2027-03-31T12:30:00+01:00")),
        Ok(("NPPV2".into(), Some(at("2027-03-31T11:30:00Z"))))
    );
    assert_eq!(levels.check_setting("none", None), Ok(("none".into(), None)));
    assert!(levels.check_setting("NPPV2", None).unwrap_err().contains("expires"));
    assert!(levels.check_setting("NPPV2", Some("31/03/2027")).is_err());
    assert_eq!(
        levels.check_setting("none", Some("2027-03-31")),
        Ok(("none".into(), None))
    );
}

#[test]
fn a_person_is_told_from_thirty_days_before_expiry_urgently_from_seven() {
    let now = at("2027-01-01T09:00:00Z");
    let held = |level: Option<&str>, expires: Option<&str>| HeldVetting {
        level: level.map(str::to_string),
        expires_at: expires.map(at),
    };
    let due = |level: &str, expires: &str| VettingNotice::due(&held(Some(level), Some(expires)), now);
    assert_eq!(due("NPPV2", "2027-03-01T00:00:00Z"), None, "two months away");
    let month = due("NPPV2", "2027-01-31T00:00:00Z").expect("told at 30 days");
    assert_eq!((month.days_left, month.urgent(), month.expired()), (30, false, false));
    assert_eq!(month.expires_on, NaiveDate::from_ymd_opt(2027, 1, 31).unwrap());
    let week = due("NPPV2", "2027-01-08T00:00:00Z").expect("told at 7 days");
    assert!(week.urgent() && !week.expired());
    assert!(due("NPPV2", "2026-12-31T00:00:00Z").unwrap().expired());
    let none = VettingNotice::due(&held(None, Some("2027-01-08T00:00:00Z")), now);
    assert_eq!(none, None, "no vetting, no notice");
    assert_eq!(VettingNotice::due(&held(Some("NPPV2"), None), now), None);
    assert!(held(Some("NPPV2"), Some("2026-12-31T00:00:00Z")).expired(now));
}
