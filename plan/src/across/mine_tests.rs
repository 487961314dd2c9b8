use super::*;
use crate::access::Role;
use crate::portfolio::ActionFacts;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
}

fn row(
    plan: u128,
    plan_name: &str,
    role: Role,
    id: &str,
    agency: &str,
    owner: &str,
    target: u32,
    status: RagStatus,
) -> ActionRow {
    ActionRow {
        plan_id: Uuid::from_u128(plan),
        plan_name: plan_name.into(),
        marking: SecurityMarking::OfficialSensitive,
        role,
        action: ActionFacts {
            id: id.into(),
            status: Some(status),
            date: None,
            target_date: Some(day(target)),
            disruption: None,
            owner_agency: agency.into(),
            ps: [P::Prevent].into(),
            submitted: false,
            text: id.into(),
            owner_name: owner.into(),
            update: String::new(),
        },
    }
}

fn ids(groups: &[PlanGroup]) -> Vec<Vec<&str>> {
    groups
        .iter()
        .map(|g| g.actions.iter().map(|a| a.action.id.as_str()).collect())
        .collect()
}

#[test]
fn grouped_by_plan_overdue_first_in_sections_by_agency_and_by_name() {
    let rows = vec![
        row(
            1,
            "Alder",
            Role::Partner,
            "later",
            "Northshire Council",
            "",
            20,
            RagStatus::Red,
        ),
        row(
            1,
            "Alder",
            Role::Partner,
            "late",
            " northshire council ",
            "",
            2,
            RagStatus::Amber,
        ),
        row(
            1,
            "Alder",
            Role::Partner,
            "police",
            "Northshire Police",
            "",
            2,
            RagStatus::Red,
        ),
        row(
            2,
            "Birch",
            Role::Partner,
            "done",
            "Northshire Council",
            "",
            2,
            RagStatus::Green,
        ),
        row(
            3,
            "Aspen",
            Role::Viewer,
            "mine",
            "Northshire Police",
            "Pat Partner",
            2,
            RagStatus::Red,
        ),
        row(
            4,
            "Cedar",
            Role::Lro,
            "both",
            "Northshire Council",
            "pat partner",
            25,
            RagStatus::Red,
        ),
    ];
    let view = my_actions(
        rows,
        "Northshire Council",
        "Pat Partner",
        &MyActionsFilter::default(),
        day(10),
    );
    assert_eq!(
        ids(&view.by_agency),
        [vec!["late", "later"], vec!["done"], vec!["both"]]
    );
    assert_eq!(ids(&view.by_name), [vec!["mine"], vec!["both"]]);
    assert_eq!(view.overdue, 2, "late and mine; done is complete");
    let editable: Vec<bool> = view
        .by_name
        .iter()
        .flat_map(|g| g.actions.iter().map(|a| a.editable))
        .collect();
    assert_eq!(editable, [false, true], "a viewer edits nothing; the LRO everything");
    assert!(view.by_agency[0].actions.iter().all(|a| a.editable));
}

#[test]
fn filters_keep_the_overdue_count_whole() {
    let rows = vec![
        row(1, "Alder", Role::Partner, "late", "Council", "", 2, RagStatus::Amber),
        row(1, "Alder", Role::Partner, "later", "Council", "", 20, RagStatus::Red),
    ];
    let only = |q: MyActionsQuery| my_actions(rows.clone(), "Council", "Pat", &q.parse().unwrap(), day(10));
    let overdue = only(MyActionsQuery {
        overdue: Some("on".into()),
        ..Default::default()
    });
    assert_eq!((ids(&overdue.by_agency), overdue.overdue), (vec![vec!["late"]], 1));
    assert_eq!(
        ids(&only(MyActionsQuery {
            status: Some("red".into()),
            ..Default::default()
        })
        .by_agency),
        [vec!["later"]]
    );
    assert!(only(MyActionsQuery {
        p: Some("PURSUE".into()),
        ..Default::default()
    })
    .by_agency
    .is_empty());
    assert!(MyActionsQuery {
        status: Some("BLUE".into()),
        ..Default::default()
    }
    .parse()
    .unwrap_err()
    .contains("status"));
    assert!(MyActionsQuery {
        overdue: Some("maybe".into()),
        ..Default::default()
    }
    .parse()
    .unwrap_err()
    .contains("overdue"));
}

#[test]
fn an_edit_changes_only_what_differs() {
    use crate::{Action, ActionChange, Disruption};
    let current = Action {
        id: "a".into(),
        ps: [P::Prevent].into(),
        date: None,
        target_date: None,
        text: "Mentoring".into(),
        owner_name: String::new(),
        owner_agency: "Council".into(),
        update: "Started".into(),
        status: Some(RagStatus::Amber),
        disruption: Some(Disruption::Minor),
        submitted: false,
    };
    let edit = |update: &str, status: &str, disruption: &str| MyActionEdit {
        plan: Uuid::nil(),
        action: "a".into(),
        update: Some(update.into()),
        status: Some(status.into()),
        disruption: Some(disruption.into()),
    };
    assert_eq!(edit("Started", "AMBER", "MINOR").changes(&current), Ok(vec![]));
    assert_eq!(
        edit("Done", "green", "").changes(&current),
        Ok(vec![
            ActionChange::Update("Done".into()),
            ActionChange::Status(RagStatus::Green),
            ActionChange::Disruption(None)
        ])
    );
    assert!(edit("Started", "BLUE", "")
        .changes(&current)
        .unwrap_err()
        .to_string()
        .contains("status"));
    assert!(edit("Started", "AMBER", "HUGE")
        .changes(&current)
        .unwrap_err()
        .to_string()
        .contains("disruption"));
}
