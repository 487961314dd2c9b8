//! A whole plan as bytes (a Yjs v1 update from the empty state), for handing
//! a page its plan with the HTML: the browser starts its replica from these
//! bytes, so its first sync only fetches what changed since.

use crate::doc::{new_doc, PlanDoc};
use yrs::updates::decoder::Decode;
use yrs::{ReadTxn, StateVector, Transact, Update};

/// Bytes that are not a plan's state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a plan's state: {0}")]
pub struct BadState(String);

impl PlanDoc {
    /// Everything in the document, as one update.
    pub fn encode_state(&self) -> Vec<u8> {
        self.transact().encode_state_as_update_v1(&StateVector::default())
    }

    /// A new replica holding `state` (from [`PlanDoc::encode_state`]).
    pub fn from_state(state: &[u8]) -> Result<PlanDoc, BadState> {
        let update = Update::decode_v1(state).map_err(|e| BadState(e.to_string()))?;
        let doc = new_doc();
        doc.transact_mut()
            .apply_update(update)
            .map_err(|e| BadState(e.to_string()))?;
        Ok(PlanDoc::new(doc))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{NewPlan, Section, SubjectKind, Tier};

    #[test]
    fn a_plan_survives_the_round_trip_and_junk_is_refused() {
        let new = NewPlan {
            subject_kind: SubjectKind::Pi,
            subject_name: "J. Doe".into(),
            subject_ref: "PI/7".into(),
            tier: Tier::new(2).unwrap(),
            lro: "DCI Shah".into(),
        };
        let plan = PlanDoc::create(&new, "2026-05-01".parse().unwrap());
        plan.set_section_text(&mut plan.transact_mut(), Section::Aim, "Reduce harm £ 😀");
        let copy = PlanDoc::from_state(&plan.encode_state()).unwrap();
        assert_eq!(copy.section_text(&copy.transact(), Section::Aim), "Reduce harm £ 😀");
        assert_eq!(copy.header(&copy.transact()), plan.header(&plan.transact()));
        assert!(PlanDoc::from_state(&[0xff, 0x01, 0x02]).is_err());
    }
}
