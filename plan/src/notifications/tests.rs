use super::*;
use crate::vocabulary::P;
use crate::NewAction;

fn action(id: &str, agency: &str, name: &str) -> Action {
    let new = NewAction {
        owner_agency: agency.into(),
        owner_name: name.into(),
        ..NewAction::new([P::Pursue], "Warrant at Elm Street")
    };
    Action {
        id: id.into(),
        ps: new.ps,
        date: None,
        target_date: None,
        text: new.text,
        owner_name: new.owner_name,
        owner_agency: new.owner_agency,
        update: String::new(),
        status: None,
        disruption: None,
        submitted: false,
    }
}

fn changed(field: &str) -> Change {
    Change {
        field: field.into(),
        old: None,
        new: None,
    }
}

#[test]
fn kinds_and_deliveries_round_trip_and_bad_values_are_named() {
    for kind in Kind::ALL {
        assert_eq!(Kind::parse(kind.key()), Some(kind));
    }
    for delivery in Delivery::ALL {
        assert_eq!(Delivery::parse(delivery.key()), Ok(delivery));
    }
    let refused = Delivery::parse("weekly").unwrap_err();
    assert!(
        refused.contains("weekly") && refused.contains("at_once, digest or off"),
        "{refused}"
    );
    assert_eq!(Kind::parse("nonsense"), None);
}

#[test]
fn an_email_line_is_the_kind_and_a_count() {
    assert_eq!(
        Kind::ActionAssignedAgency.email_line(3),
        "An action assigned to your agency: 3"
    );
}

#[test]
fn a_new_action_with_owners_assigns_it_and_an_owner_change_assigns_the_new_owner() {
    let a = action("a1", "Council", " Alice Smith ");
    let read = |id: &str| (id == "a1").then(|| a.clone());
    assert_eq!(
        assignments(&[changed("action:a1")], read),
        vec![
            Assignment {
                action: "a1".into(),
                to: Assignee::Agency("Council".into())
            },
            Assignment {
                action: "a1".into(),
                to: Assignee::Name("Alice Smith".into())
            },
        ]
    );
    assert_eq!(
        assignments(&[changed("action:a1:owner_agency"), changed("action:a1:status")], read),
        vec![Assignment {
            action: "a1".into(),
            to: Assignee::Agency("Council".into())
        }]
    );
    assert_eq!(
        assignments(
            &[changed("action:a1:owner_name"), changed("action:a1:owner_name")],
            read
        ),
        vec![Assignment {
            action: "a1".into(),
            to: Assignee::Name("Alice Smith".into())
        }]
    );
    // Deleted, emptied or unrelated: nothing.
    assert!(assignments(&[changed("action:gone")], read).is_empty());
    assert!(assignments(&[changed("action:a1:text"), changed("aim")], read).is_empty());
    let empty = action("a2", "", "");
    assert!(assignments(&[changed("action:a2:owner_agency")], |_| Some(empty.clone())).is_empty());
}
