//! One entry to write: who, when, which plan, what, why and from where.

use app::session::ssr::Requester;
use chrono::{DateTime, Utc};
use plan::access_log::{AccessKind, Basis};
use uuid::Uuid;

/// Longest user agent kept: enough to tell browsers apart, never a
/// megabyte of header in the log.
const MAX_USER_AGENT: usize = 300;
/// Longest recipients text kept, as typed into "for whom?".
pub const MAX_RECIPIENTS: usize = 500;

/// An entry as the queue carries it to the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub at: DateTime<Utc>,
    pub user: Uuid,
    pub user_name: String,
    pub agency: String,
    pub session: String,
    pub plan: Option<Uuid>,
    pub kind: AccessKind,
    pub detail: String,
    pub recipients: String,
    pub basis: Basis,
    pub address: Option<String>,
    pub user_agent: Option<String>,
}

impl Access {
    /// `who` did `kind` now, on `basis`; about no plan until [`Access::on`].
    pub fn by(who: &Requester, kind: AccessKind, basis: Basis) -> Access {
        Access {
            at: Utc::now(),
            user: who.viewer.id,
            user_name: who.viewer.name.clone(),
            agency: who.viewer.agency.clone(),
            session: who.session.clone(),
            plan: None,
            kind,
            detail: String::new(),
            recipients: String::new(),
            basis,
            address: who.address.map(|a| a.to_string()),
            user_agent: who.user_agent.as_deref().map(|ua| clip(ua, MAX_USER_AGENT)),
        }
    }

    pub fn on(mut self, plan: Uuid) -> Access {
        self.plan = Some(plan);
        self
    }

    /// Which version, comparison or export.
    pub fn detail(mut self, detail: impl Into<String>) -> Access {
        self.detail = detail.into();
        self
    }

    /// For whom a disclosure was made, as the user named them.
    pub fn for_whom(mut self, recipients: &str) -> Access {
        self.recipients = clip(recipients.trim(), MAX_RECIPIENTS);
        self
    }
}

/// At most `max` bytes of `text`, cut at a character boundary.
fn clip(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requester() -> Requester {
        Requester {
            viewer: app::session::Viewer {
                id: Uuid::nil(),
                name: "Dee Lro".into(),
                email: "dee@example.org".into(),
                agency: "Northshire Police".into(),
                is_admin: false,
                strategic_lead: false,
                may_lead_plans: true,
                auditor: false,
                vetting_officer: false,
                vetting_notice: None,
            },
            session: "0a1b2c3d4e5f6071".into(),
            address: Some("10.0.0.7".parse().unwrap()),
            user_agent: Some("é".repeat(400)),
        }
    }

    #[test]
    fn an_entry_names_the_reader_their_session_and_where_from() {
        let plan = Uuid::new_v4();
        let e = Access::by(
            &requester(),
            AccessKind::HistoryExported,
            Basis::Member(plan::access::Role::Lro),
        )
        .on(plan)
        .detail("csv")
        .for_whom("  Northshire Council legal team ");
        assert_eq!(e.user_name, "Dee Lro");
        assert_eq!(e.agency, "Northshire Police");
        assert_eq!(e.plan, Some(plan));
        assert_eq!(e.address.as_deref(), Some("10.0.0.7"));
        assert_eq!(e.recipients, "Northshire Council legal team");
    }

    #[test]
    fn long_headers_are_clipped_at_a_character() {
        let e = Access::by(&requester(), AccessKind::Opened, Basis::NotMember);
        let ua = e.user_agent.unwrap();
        assert!(ua.len() <= MAX_USER_AGENT && ua.chars().all(|c| c == 'é'));
        let long = "x".repeat(MAX_RECIPIENTS + 10);
        assert_eq!(
            Access::by(&requester(), AccessKind::Printed, Basis::NotMember)
                .for_whom(&long)
                .recipients
                .len(),
            MAX_RECIPIENTS
        );
    }
}
