//! Who may read which part of a plan's past. The plan's history (earlier
//! versions, comparisons, the list of moments) is for the roles that edit
//! everything: LRO, plan owner and SIO. Partners and viewers see the plan
//! as it is now and the reviews recorded while they were members.

use crate::access::Role;
use chrono::{DateTime, Utc};

/// A stretch of time during which someone was a member of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: DateTime<Utc>,
    /// `None` while still a member.
    pub until: Option<DateTime<Utc>>,
}

impl Span {
    pub fn holds(&self, at: DateTime<Utc>) -> bool {
        self.from <= at && self.until.is_none_or(|until| at < until)
    }
}

/// What a member may read of a plan's past.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    /// Every version, comparison and moment.
    History,
    /// Only the reviews recorded within these spans of membership.
    ReviewsWhileMember(Vec<Span>),
}

impl Reach {
    /// `spans` matter only to roles that do not see the history.
    pub fn of(role: Role, spans: Vec<Span>) -> Reach {
        if sees_history(role) {
            Reach::History
        } else {
            Reach::ReviewsWhileMember(spans)
        }
    }

    pub fn is_history(&self) -> bool {
        matches!(self, Reach::History)
    }

    /// Whether a review recorded at `at` may be read.
    pub fn sees_review(&self, at: DateTime<Utc>) -> bool {
        match self {
            Reach::History => true,
            Reach::ReviewsWhileMember(spans) => spans.iter().any(|s| s.holds(at)),
        }
    }
}

/// The rule of the plan's history: LRO, plan owner and SIO.
pub fn sees_history(role: Role) -> bool {
    role.edits_everything()
}

/// One's spans of membership from the membership changes naming them
/// (oldest first: when, and whether they were a member afterwards), and,
/// for a current member whose joining was not recorded (plans made before
/// membership changes were kept), when their membership row was added.
pub fn spans(changes: &[(DateTime<Utc>, bool)], member_since: Option<DateTime<Utc>>) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut open: Option<DateTime<Utc>> = None;
    for &(at, member_after) in changes {
        match (open, member_after) {
            (None, true) => open = Some(at),
            (Some(from), false) => {
                spans.push(Span { from, until: Some(at) });
                open = None;
            }
            // A change of role keeps the span going; leaving twice is a no-op.
            _ => {}
        }
    }
    match (open, member_since) {
        (Some(from), _) => spans.push(Span { from, until: None }),
        (None, Some(since)) => spans.push(Span {
            from: since,
            until: None,
        }),
        (None, None) => {}
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(minute: u32) -> DateTime<Utc> {
        format!("2026-12-07T10:{minute:02}:00Z").parse().unwrap()
    }

    #[test]
    fn only_the_roles_that_edit_everything_see_the_history() {
        let who: Vec<Role> = Role::ALL.into_iter().filter(|r| sees_history(*r)).collect();
        assert_eq!(who, [Role::Lro, Role::PlanOwner, Role::Sio]);
        assert!(Reach::of(Role::Sio, Vec::new()).sees_review(t(0)));
        assert!(!Reach::of(Role::Partner, Vec::new()).is_history());
    }

    #[test]
    fn a_partner_sees_the_reviews_recorded_while_a_member_only() {
        // Joined at :10, re-roled at :20, left at :30, back at :40.
        let changes = [(t(10), true), (t(20), true), (t(30), false), (t(40), true)];
        let reach = Reach::of(Role::Partner, spans(&changes, Some(t(40))));
        let seen: Vec<u32> = [5, 10, 25, 30, 35, 40, 59]
            .into_iter()
            .filter(|m| reach.sees_review(t(*m)))
            .collect();
        assert_eq!(seen, [10, 25, 40, 59]);
    }

    #[test]
    fn an_unrecorded_joining_counts_from_the_membership_row() {
        let reach = Reach::of(Role::Viewer, spans(&[], Some(t(15))));
        assert!(!reach.sees_review(t(14)));
        assert!(reach.sees_review(t(15)));
        assert_eq!(spans(&[], None), Vec::new());
    }
}
