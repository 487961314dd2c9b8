//! Honest edits: whatever the LRO may do, and what a partner may do.

use super::super::generate::{add_action, add_custom_objective, any_change, new_action, partner_change};
use super::replica::edit;
use super::{World, AGENCIES};
use plan::access::same_agency;
use plan::strategy::ControlStrategy;
use plan::{
    Action, ActionChange, HeaderText, PlanDoc, Section, SecurityMarking, SubjectKind, Tier, P, STANDARD_OBJECTIVES,
};

impl World {
    /// Whatever the LRO may do.
    pub(super) fn lro_edit(&mut self, replica: &PlanDoc, diff: bool) -> (&'static str, Option<(Vec<u8>, bool)>) {
        let kind = self.rng.below(14);
        self.lro_edit_kind(replica, diff, kind)
    }

    /// Edit `kind`: 0..=6 outside the actions, 7.. on actions.
    pub(super) fn lro_edit_kind(
        &mut self,
        replica: &PlanDoc,
        diff: bool,
        kind: usize,
    ) -> (&'static str, Option<(Vec<u8>, bool)>) {
        let rng = &mut self.rng;
        let existing: Vec<String> = {
            let txn = replica.transact();
            self.actions
                .iter()
                .filter(|id| replica.action(&txn, id).is_ok())
                .cloned()
                .collect()
        };
        let customs: Vec<String> = {
            let txn = replica.transact();
            self.customs
                .iter()
                .filter(|id| replica.custom_objective_ref(&txn, id).is_ok())
                .cloned()
                .collect()
        };
        let (what, result): (&'static str, _) = match kind {
            0 | 1 => {
                let section = *rng.pick(&Section::ALL);
                let value = rng.text(0, 12);
                (
                    "section text",
                    edit(replica, diff, |p, t| {
                        p.set_section_text(t, section, &value);
                        None
                    }),
                )
            }
            2 => {
                let field = *rng.pick(&HeaderText::ALL);
                let value = rng.text(0, 10);
                (
                    "header text",
                    edit(replica, diff, |p, t| {
                        p.set_header_text(t, field, &value);
                        None
                    }),
                )
            }
            3 => {
                let which = rng.below(4);
                let tier = *rng.pick(&Tier::ALL);
                let marking = *rng.pick(SecurityMarking::ALL);
                let kind = *rng.pick(SubjectKind::ALL);
                let review = rng
                    .chance(50)
                    .then(|| chrono::NaiveDate::from_ymd_opt(2026, 1 + rng.range(0, 11), 1).unwrap());
                (
                    "header value",
                    edit(replica, diff, |p, t| {
                        match which {
                            0 => p.set_tier(t, tier),
                            1 => p.set_marking(t, marking),
                            2 => p.set_subject_kind(t, kind),
                            _ => p.set_last_review(t, review),
                        }
                        None
                    }),
                )
            }
            4 => {
                let id = rng.pick(&STANDARD_OBJECTIVES).id;
                let on = rng.chance(60);
                (
                    "objective",
                    edit(replica, diff, |p, t| {
                        p.select_objective(t, id, on).unwrap();
                        None
                    }),
                )
            }
            5 => {
                // Every threat of the seed is active (see `World::new`).
                let key = rng.pick(&ControlStrategy::seed().threats).key.clone();
                let on = rng.chance(60);
                (
                    "threat",
                    edit(replica, diff, |p, t| {
                        p.tag_threat(t, &key, on);
                        None
                    }),
                )
            }
            6 => {
                let p_ = *rng.pick(&P::ALL);
                let text = rng.text(1, 8);
                let choice = if customs.is_empty() { 0 } else { rng.below(3) };
                let new_id = rng.id();
                let target = (!customs.is_empty()).then(|| rng.pick(&customs).clone());
                let selected = rng.chance(50);
                let r = edit(replica, diff, |p, t| match (choice, target) {
                    (1, Some(id)) => {
                        p.set_custom_objective(t, &id, Some(&text), Some(selected)).unwrap();
                        None
                    }
                    (2, Some(id)) => {
                        p.remove_custom_objective(t, &id).unwrap();
                        None
                    }
                    _ => Some(add_custom_objective(t, &new_id, p_, &text)),
                });
                if let Some(id) = &r.1 {
                    self.customs.push(id.clone());
                }
                ("custom objective", (r.0, None))
            }
            7 | 8 if !existing.is_empty() => {
                let id = rng.pick(&existing).clone();
                let change = any_change(rng);
                (
                    "action field",
                    edit(replica, diff, |p, t| {
                        let _ = p.change_action(t, &id, &change);
                        None
                    }),
                )
            }
            9 if !existing.is_empty() => {
                let id = rng.pick(&existing).clone();
                (
                    "delete action",
                    edit(replica, diff, |p, t| {
                        p.delete_action(t, &id).unwrap();
                        None
                    }),
                )
            }
            10 if !existing.is_empty() => {
                let id = rng.pick(&existing).clone();
                let agency = rng.pick(&AGENCIES).to_string();
                (
                    "reassign action",
                    edit(replica, diff, |p, t| {
                        p.change_action(t, &id, &ActionChange::OwnerAgency(agency)).unwrap();
                        None
                    }),
                )
            }
            _ => {
                let agency = rng.pick(&AGENCIES).to_string();
                let action = new_action(rng, agency);
                let id = rng.id();
                (
                    "add action",
                    edit(replica, diff, |_, t| Some(add_action(t, &id, &action))),
                )
            }
        };
        let (local, created) = result;
        if let Some(id) = created {
            if what == "add action" {
                self.actions.push(id);
            }
        }
        (what, local)
    }

    /// What a partner may do: edit its own agency's actions' fields, add
    /// actions its agency owns.
    pub(super) fn partner_edit(
        &mut self,
        m: usize,
        replica: &PlanDoc,
        diff: bool,
    ) -> (&'static str, Option<(Vec<u8>, bool)>) {
        let agency = self.members[m].agency.clone();
        let own = self.actions_where(replica, |a| same_agency(&a.owner_agency, &agency));
        let rng = &mut self.rng;
        if own.is_empty() || rng.chance(15) {
            let variant = match rng.below(3) {
                0 => agency.clone(),
                1 => agency.to_uppercase(),
                _ => format!("  {agency} "),
            };
            let action = new_action(rng, variant);
            let id = rng.id();
            let (local, created) = edit(replica, diff, |_, t| Some(add_action(t, &id, &action)));
            self.actions.extend(created);
            return ("add own action", local);
        }
        let id = rng.pick(&own).clone();
        let change = partner_change(rng);
        let (local, _) = edit(replica, diff, |p, t| {
            p.change_action(t, &id, &change).unwrap();
            None
        });
        ("own action field", local)
    }

    pub(super) fn actions_where(&self, replica: &PlanDoc, keep: impl Fn(&Action) -> bool) -> Vec<String> {
        let txn = replica.transact();
        self.actions
            .iter()
            .filter(|id| replica.action(&txn, id).is_ok_and(|a| keep(&a)))
            .cloned()
            .collect()
    }
}
