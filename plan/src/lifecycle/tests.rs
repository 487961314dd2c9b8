use super::*;

#[test]
fn a_closing_names_the_field_at_fault() {
    let ok = Closing::parse("dismantled", " Charged and remanded ", "").unwrap();
    assert_eq!(
        (ok.outcome, ok.summary.as_str()),
        (Outcome::Dismantled, "Charged and remanded")
    );
    assert!(Closing::parse("won", "x", "").unwrap_err().starts_with("outcome:"));
    assert_eq!(Closing::parse("merged", "  ", "").unwrap_err(), "summary: say why");
    let long = "x".repeat(MAX_TEXT + 1);
    assert!(Closing::parse("other", "x", &long)
        .unwrap_err()
        .starts_with("disruptions:"));
}

#[test]
fn a_decision_keeps_with_a_later_review_or_disposes_and_always_says_why() {
    let today = NaiveDate::from_ymd_opt(2032, 12, 7).unwrap();
    let keep = Decision::parse("retain", "Linked to a live inquiry", Some("2034-12-07"), today).unwrap();
    assert!(matches!(keep, Decision::Retain { next_review, .. } if next_review.to_string() == "2034-12-07"));
    assert!(Decision::parse("retain", "x", Some("2032-12-07"), today)
        .unwrap_err()
        .contains("after today"));
    assert!(Decision::parse("retain", "x", None, today)
        .unwrap_err()
        .starts_with("next_review"));
    assert_eq!(
        Decision::parse("dispose", " ", None, today).unwrap_err(),
        "reason: say why"
    );
    assert!(matches!(
        Decision::parse("dispose", "No policing purpose left", None, today),
        Ok(Decision::Dispose { .. })
    ));
    assert!(Decision::parse("archive", "x", None, today)
        .unwrap_err()
        .starts_with("decision"));
}

#[test]
fn retention_is_six_years_unless_a_marking_says_otherwise() {
    let closed = NaiveDate::from_ymd_opt(2026, 12, 7).unwrap();
    let default = Retention::default();
    assert_eq!(
        default.review_on(SecurityMarking::Official, closed).to_string(),
        "2032-12-07"
    );
    let set = Retention::parse("OFFICIAL-SENSITIVE-OPERATIONAL=10, OFFICIAL=2").unwrap();
    let operational = SecurityMarking::OfficialSensitiveOperational;
    assert_eq!(set.review_on(operational, closed).to_string(), "2036-12-07");
    assert_eq!(
        set.review_on(SecurityMarking::Official, closed).to_string(),
        "2028-12-07"
    );
    assert_eq!(
        set.review_on(SecurityMarking::OfficialSensitive, closed).to_string(),
        "2032-12-07"
    );
    assert_eq!(
        Retention::parse("7")
            .unwrap()
            .review_on(operational, closed)
            .to_string(),
        "2033-12-07"
    );
    assert!(Retention::parse("OFFICIAL:10").is_err());
    assert!(Retention::parse("SECRET=10").is_err());
}
