//! The consultation and disclosure log, as the law asks of law-enforcement
//! processing (Data Protection Act 2018, Part 3, s.62): every reading of a
//! plan (a consultation) and every handing out of it (a disclosure), with
//! when, who, from where, what and why. Alterations are the audit trail's.
//!
//! Here: what an entry records ([`AccessKind`], [`Basis`]), an entry as
//! shown ([`AccessEntry`]) and the auditor's search, parsed at the boundary
//! ([`AccessQuery`], in [`query`]).

mod query;

pub use query::{AccessQuery, AccessSearch, PAGE_SIZE};

use crate::access::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What was done with the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessKind {
    /// The plan's page (first load or navigation).
    Opened,
    /// The plan's live connection joined (once per join).
    Joined,
    /// Read whole through the REST API.
    ReadByApi,
    /// A version ("as at review 3", "as at change 120").
    VersionViewed,
    /// Two versions compared.
    VersionsCompared,
    /// Its history of changes.
    HistoryRead,
    /// Its members.
    MembersRead,
    /// Its reviews and versions listed.
    ReviewsRead,
    /// Named in a portfolio drill-down.
    NamedInPortfolio,
    /// Who has looked at it (the LRO's list).
    AccessLogRead,
    /// Disclosure: its history as CSV.
    HistoryExported,
    /// Disclosure: the portfolio as CSV (names no plan).
    PortfolioExported,
    /// Disclosure: a disruption return (CSV) naming it.
    DisruptionsExported,
    /// Disclosure: printed (or saved as PDF) from its page.
    Printed,
    /// Disclosure: an auditor's export of the access log.
    AccessLogExported,
    /// Break-glass access granted (the reason is the detail).
    BrokeGlass,
    /// The plan disposed of: erased, its tombstone left (s.62 "erasure").
    Erased,
    /// The region's portfolio counts read (every plan, none named).
    PortfolioRead,
    /// Its comments read.
    CommentsRead,
}

impl AccessKind {
    pub const ALL: [AccessKind; 19] = [
        AccessKind::Opened,
        AccessKind::Joined,
        AccessKind::ReadByApi,
        AccessKind::VersionViewed,
        AccessKind::VersionsCompared,
        AccessKind::HistoryRead,
        AccessKind::MembersRead,
        AccessKind::ReviewsRead,
        AccessKind::NamedInPortfolio,
        AccessKind::AccessLogRead,
        AccessKind::HistoryExported,
        AccessKind::PortfolioExported,
        AccessKind::DisruptionsExported,
        AccessKind::Printed,
        AccessKind::AccessLogExported,
        AccessKind::BrokeGlass,
        AccessKind::Erased,
        AccessKind::PortfolioRead,
        AccessKind::CommentsRead,
    ];

    /// As stored.
    pub fn key(self) -> &'static str {
        match self {
            AccessKind::Opened => "opened",
            AccessKind::Joined => "joined",
            AccessKind::ReadByApi => "read_by_api",
            AccessKind::VersionViewed => "version_viewed",
            AccessKind::VersionsCompared => "versions_compared",
            AccessKind::HistoryRead => "history_read",
            AccessKind::MembersRead => "members_read",
            AccessKind::ReviewsRead => "reviews_read",
            AccessKind::NamedInPortfolio => "named_in_portfolio",
            AccessKind::AccessLogRead => "access_log_read",
            AccessKind::HistoryExported => "history_exported",
            AccessKind::PortfolioExported => "portfolio_exported",
            AccessKind::DisruptionsExported => "disruptions_exported",
            AccessKind::Printed => "printed",
            AccessKind::AccessLogExported => "access_log_exported",
            AccessKind::BrokeGlass => "broke_glass",
            AccessKind::Erased => "erased",
            AccessKind::PortfolioRead => "portfolio_read",
            AccessKind::CommentsRead => "comments_read",
        }
    }

    pub fn parse(key: &str) -> Option<AccessKind> {
        AccessKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// In plain words, for the pages and exports.
    pub fn label(self) -> &'static str {
        match self {
            AccessKind::Opened => "Opened the plan",
            AccessKind::Joined => "Connected live",
            AccessKind::ReadByApi => "Read it through the API",
            AccessKind::VersionViewed => "Viewed a version",
            AccessKind::VersionsCompared => "Compared versions",
            AccessKind::HistoryRead => "Read its history",
            AccessKind::MembersRead => "Read its members",
            AccessKind::ReviewsRead => "Read its reviews",
            AccessKind::NamedInPortfolio => "Saw it named in the portfolio",
            AccessKind::AccessLogRead => "Read who has looked at it",
            AccessKind::HistoryExported => "Downloaded its history (CSV)",
            AccessKind::PortfolioExported => "Downloaded the portfolio (CSV)",
            AccessKind::DisruptionsExported => "Downloaded a disruption return (CSV)",
            AccessKind::Printed => "Printed it",
            AccessKind::AccessLogExported => "Downloaded the access log (CSV)",
            AccessKind::BrokeGlass => "Broke the glass (emergency read-only access)",
            AccessKind::Erased => "Disposed of the plan (erased, tombstone kept)",
            AccessKind::PortfolioRead => "Read the region's portfolio counts",
            AccessKind::CommentsRead => "Read its comments",
        }
    }

    /// A disclosure hands the plan out (s.62 asks for its recipients); the
    /// rest are consultations.
    pub fn is_disclosure(self) -> bool {
        matches!(
            self,
            AccessKind::HistoryExported
                | AccessKind::PortfolioExported
                | AccessKind::DisruptionsExported
                | AccessKind::Printed
                | AccessKind::AccessLogExported
        )
    }
}

/// Why the reader could read: recorded at the moment of reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "as", content = "role")]
pub enum Basis {
    /// A member, in this role.
    Member(Role),
    /// Refused: not a member (or no such plan). The reader got a 404.
    NotMember,
    /// Counts of every plan, read as a strategic lead.
    StrategicLead,
    /// Counts of every plan, or accounts, read as an administrator.
    Administrator,
    /// The access log, read as an auditor (professional standards).
    Auditor,
    /// Counts of the reader's own plans only.
    OwnPlans,
    /// Not a member: emergency read-only access, granted for a reason.
    BreakGlass,
    /// Refused: a member, but their vetting is below what the plan needs
    /// or has expired. The reader got the same 404 as a non-member.
    NotCleared,
}

impl Basis {
    /// Whether the read was allowed.
    pub fn granted(self) -> bool {
        !matches!(self, Basis::NotMember | Basis::NotCleared)
    }

    /// As stored, and shown.
    pub fn text(self) -> String {
        match self {
            Basis::Member(role) => format!("member: {}", role.label()),
            Basis::NotMember => "refused: not a member".into(),
            Basis::StrategicLead => "strategic lead".into(),
            Basis::Administrator => "administrator".into(),
            Basis::Auditor => "auditor".into(),
            Basis::OwnPlans => "member: own plans only".into(),
            Basis::BreakGlass => "break-glass: emergency, read-only".into(),
            Basis::NotCleared => "refused: vetting does not clear them".into(),
        }
    }
}

/// One entry, as read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEntry {
    pub at: DateTime<Utc>,
    pub user: Uuid,
    pub user_name: String,
    pub agency: String,
    /// Names the session without being able to log in with it.
    pub session: String,
    pub plan: Option<Uuid>,
    pub kind: AccessKind,
    /// Which version, comparison or export.
    pub detail: String,
    /// For disclosures: for whom, as the reader named them.
    pub recipients: String,
    /// Why (see [`Basis::text`]).
    pub basis: String,
    pub granted: bool,
    /// Shown to auditors and to the reader only.
    pub address: Option<String>,
    pub user_agent: Option<String>,
}

/// A break-glass grant, as the plan's LRO and plan owner are told of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakGlassNote {
    pub at: DateTime<Utc>,
    /// When the access lapses.
    pub until: DateTime<Utc>,
    pub by: String,
    pub agency: String,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_stored_and_read_back_by_its_key() {
        for kind in AccessKind::ALL {
            assert_eq!(AccessKind::parse(kind.key()), Some(kind));
        }
        assert_eq!(AccessKind::parse("deleted"), None);
    }

    #[test]
    fn only_handing_out_is_a_disclosure() {
        assert!(AccessKind::Printed.is_disclosure());
        assert!(AccessKind::HistoryExported.is_disclosure());
        assert!(!AccessKind::Opened.is_disclosure());
        assert!(!AccessKind::Joined.is_disclosure());
    }

    #[test]
    fn a_refused_read_says_so() {
        assert!(!Basis::NotMember.granted());
        assert!(Basis::Member(Role::Viewer).granted());
        assert_eq!(Basis::Member(Role::Lro).text(), "member: LRO");
        assert_eq!(Basis::NotMember.text(), "refused: not a member");
    }
}
