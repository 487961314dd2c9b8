//! Everything the app keeps, in one database: the composition of every
//! feature's storage trait, which [`crate::store::PgStore`] and
//! [`crate::store::SqliteStore`] implement. Only the composition root
//! (`startup`, `cli`) and tools hold a whole [`Store`]; each service is
//! handed the part it needs (trait upcasting), so no feature imports this.

use crate::access_log::AccessLogStorage;
use crate::accounts::store::AccountStore;
use crate::actions_across::{ActionsStorage, ActionsStore};
use crate::audit::AuditStore;
use crate::collab::rooms::RoomStorage;
use crate::history::HistoryStorage;
use crate::membership::{MembershipStorage, MembershipStore};
use crate::plans::PlansStorage;
use crate::portfolio::PortfolioStore;
use crate::store::PlanStore;
use crate::strategy::store::StrategyStore;
use crate::versions::VersionsStorage;

crate::store::composite_storage!(
    /// Plans, accounts, memberships, the audit trail, plan versions, reviews
    /// and redactions, the portfolio's facts, actions across plans, the
    /// Control Strategy's versions and notifications.
    pub trait Store: PlanStore
        + AccountStore
        + AuditStore
        + MembershipStore
        + PortfolioStore
        + StrategyStore
        + ActionsStore
        + ActionsStorage
        + PlansStorage
        + MembershipStorage
        + HistoryStorage
        + RoomStorage
        + VersionsStorage
        + AccessLogStorage
        + crate::lifecycle::LifecycleStorage
        + crate::sso::SsoStorage
        + crate::vetting::VettingStorage
        + crate::comments::CommentStorage
        + crate::suggestions::SuggestionStorage
        + crate::notifications::NotificationStorage
);
