//! The oracle: what each role may change, judged from the exports and the
//! roots before and after an update, independently of the gate's own rules.

use super::world::{Roots, Snapshot, ACTION_KEYS};
use plan::access::{same_agency, Role, PARTNER_ACTION_FIELDS};
use plan::{Action, PlanExport};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use yrs::Any;

/// Whether every difference between `before` and `after` is one `role`
/// (of `agency`) may make, from the exports and from every root as JSON.
pub(crate) fn allowed(role: Role, agency: &str, before: &Snapshot, after: &Snapshot) -> Result<(), String> {
    // The model, whoever writes: an action keeps its shared-type fields
    // while it exists (the model never writes them again: a new shared type
    // in a field is refused, so a field lost is lost for good).
    for (id, fields) in &before.structure {
        if let Some(now) = after.structure.get(id) {
            let lost: Vec<_> = fields.difference(now).collect();
            ensure!(lost.is_empty(), "action {id} lost its {lost:?}");
        }
    }
    match role {
        Role::Lro | Role::PlanOwner | Role::Sio => Ok(()),
        Role::Viewer => {
            ensure!(before.export == after.export, "a viewer changed the export");
            ensure!(before.roots == after.roots, "a viewer changed the document");
            Ok(())
        }
        Role::Partner => {
            partner_export(agency, &before.export, &after.export)?;
            partner_roots(agency, &before.roots, &after.roots)
        }
    }
}

/// The names of the fields in which two reads of an action differ.
fn action_diff(a: &Action, b: &Action) -> Vec<&'static str> {
    let mut out = Vec::new();
    let mut field = |name, differs: bool| {
        if differs {
            out.push(name);
        }
    };
    field("ps", a.ps != b.ps);
    field("date", a.date != b.date);
    field("target_date", a.target_date != b.target_date);
    field("text", a.text != b.text);
    field("owner_name", a.owner_name != b.owner_name);
    field("owner_agency", a.owner_agency != b.owner_agency);
    field("update", a.update != b.update);
    field("status", a.status != b.status);
    field("disruption", a.disruption != b.disruption);
    field("submitted", a.submitted != b.submitted);
    out
}

fn partner_export(agency: &str, before: &PlanExport, after: &PlanExport) -> Result<(), String> {
    let strip = |e: &PlanExport| PlanExport {
        actions: Vec::new(),
        ..e.clone()
    };
    ensure!(
        strip(before) == strip(after),
        "a partner changed the plan outside the actions: {:?} -> {:?}",
        strip(before),
        strip(after)
    );
    let old: BTreeMap<&str, &Action> = before.actions.iter().map(|a| (a.id.as_str(), a)).collect();
    let new: BTreeMap<&str, &Action> = after.actions.iter().map(|a| (a.id.as_str(), a)).collect();
    for (id, a) in &old {
        let Some(b) = new.get(id) else {
            return Err(format!(
                "a partner of {agency} deleted action {id} ({})",
                a.owner_agency
            ));
        };
        let changed = action_diff(a, b);
        if changed.is_empty() {
            continue;
        }
        ensure!(
            same_agency(&a.owner_agency, agency),
            "a partner of {agency} changed {changed:?} of action {id}, owned by {:?}",
            a.owner_agency
        );
        for field in changed {
            ensure!(
                PARTNER_ACTION_FIELDS.contains(&field),
                "a partner of {agency} changed the {field} of its action {id}: {a:?} -> {b:?}"
            );
        }
    }
    for (id, b) in &new {
        if !old.contains_key(id) {
            ensure!(
                same_agency(&b.owner_agency, agency),
                "a partner of {agency} added action {id} owned by {:?}",
                b.owner_agency
            );
        }
    }
    Ok(())
}

fn as_map(any: Option<&Any>) -> Option<&HashMap<String, Any>> {
    match any {
        Some(Any::Map(map)) => Some(map),
        _ => None,
    }
}

fn partner_roots(agency: &str, before: &Roots, after: &Roots) -> Result<(), String> {
    let names: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for name in names {
        if name != "actions" {
            ensure!(
                before.get(name) == after.get(name),
                "a partner changed the root {name:?}: {:?} -> {:?}",
                before.get(name),
                after.get(name)
            );
        }
    }
    let empty = HashMap::new();
    let old = as_map(before.get("actions")).unwrap_or(&empty);
    let new = as_map(after.get("actions")).unwrap_or(&empty);
    let owned = |entry: &Any| matches!(as_map(Some(entry)).and_then(|m| m.get("owner_agency")), Some(Any::String(s)) if same_agency(s, agency));
    for (id, a) in old {
        let Some(b) = new.get(id) else {
            return Err(format!("a partner of {agency} deleted the entry of action {id}"));
        };
        if a == b {
            continue;
        }
        ensure!(
            owned(a),
            "a partner of {agency} changed action {id} of another agency: {a:?} -> {b:?}"
        );
        let (Some(fa), Some(fb)) = (as_map(Some(a)), as_map(Some(b))) else {
            return Err(format!("action {id} is no longer a map: {a:?} -> {b:?}"));
        };
        let keys: BTreeSet<&String> = fa.keys().chain(fb.keys()).collect();
        for key in keys {
            if fa.get(key) != fb.get(key) {
                ensure!(
                    PARTNER_ACTION_FIELDS.contains(&key.as_str()),
                    "a partner of {agency} changed the {key:?} of action {id}: {:?} -> {:?}",
                    fa.get(key),
                    fb.get(key)
                );
            }
        }
    }
    for (id, b) in new {
        if old.contains_key(id) {
            continue;
        }
        ensure!(
            owned(b),
            "a partner of {agency} added action {id} not its agency's: {b:?}"
        );
        let fields = as_map(Some(b)).expect("owned entries are maps");
        for key in fields.keys() {
            ensure!(
                ACTION_KEYS.contains(&key.as_str()),
                "a partner of {agency} added action {id} with a field {key:?} outside the model"
            );
        }
    }
    Ok(())
}
