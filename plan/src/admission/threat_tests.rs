//! Threat tags against the current strategy: a tag is set only for an
//! active threat; any tag can be removed.

use super::tests::{council, edit, fields, lro, plan, replica, rule};
use super::*;
use crate::strategy::{ControlStrategy, ThreatKey};
use std::sync::Arc;
use yrs::Map;

fn key(k: &str) -> ThreatKey {
    ThreatKey::parse(k).unwrap()
}

/// The seed strategy with `prison-soc` retired.
fn catalogue() -> Arc<ThreatCatalogue> {
    let mut strategy = ControlStrategy::seed();
    strategy.threats[1].retired = true;
    Arc::new(ThreatCatalogue::of(&strategy))
}

#[test]
fn only_active_threats_of_the_current_strategy_can_be_tagged() {
    let (plan, mut gate, ..) = plan();
    // Each from a fresh replica: nothing builds on a refused update.
    let tag = |k: &str| edit(&replica(&plan), |p, t| p.tag_threat(t, &key(k), true));

    let county = tag("county-lines");
    let refused = rule(gate.admit(&plan, &lro(), &county).unwrap_err());
    assert!(
        refused.contains("threat:county-lines") && refused.contains("not retired"),
        "no catalogue yet: {refused}"
    );
    gate.set_threats(catalogue());
    let admitted = gate.admit(&plan, &lro(), &county).unwrap();
    assert_eq!(fields(&admitted), ["threats"]);
    assert_eq!(plan.threats(&plan.transact()), [key("county-lines")]);

    for k in ["prison-soc", "jaywalking"] {
        let refused = rule(gate.admit(&plan, &lro(), &tag(k)).unwrap_err());
        assert!(refused.contains(&format!("threat:{k}")), "{refused}");
    }
    // A value other than `true` under an unknown key is still a tag set.
    let raw = edit(&replica(&plan), |p, t| {
        p.threats.insert(t, "made-up", false);
    });
    assert!(gate.admit(&plan, &lro(), &raw).is_err());
    let ill_formed = edit(&replica(&plan), |p, t| {
        p.threats.insert(t, "Not A Key", true);
    });
    assert!(rule(gate.admit(&plan, &lro(), &ill_formed).unwrap_err()).contains("not a threat key"));
    assert_eq!(
        plan.threats(&plan.transact()),
        [key("county-lines")],
        "nothing refused landed"
    );
}

#[test]
fn a_retired_tag_stays_readable_and_can_be_removed_but_not_by_a_partner() {
    let (plan, mut gate, ..) = plan();
    let r = replica(&plan);
    gate.set_threats(Arc::new(ThreatCatalogue::of(&ControlStrategy::seed())));
    let tagged = edit(&r, |p, t| p.tag_threat(t, &key("prison-soc"), true));
    gate.admit(&plan, &lro(), &tagged).unwrap();
    // The strategy moves on: prison-soc is retired.
    gate.set_threats(catalogue());
    assert_eq!(plan.threats(&plan.transact()), [key("prison-soc")]);
    let untag = edit(&r, |p, t| p.tag_threat(t, &key("prison-soc"), false));
    let partner = rule(gate.admit(&plan, &council(), &untag).unwrap_err());
    assert!(partner.contains("partners cannot change this"), "{partner}");
    let admitted = gate.admit(&plan, &lro(), &untag).unwrap();
    assert_eq!(fields(&admitted), ["threats"]);
    assert!(plan.threats(&plan.transact()).is_empty());
}
