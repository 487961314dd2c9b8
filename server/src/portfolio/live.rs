//! When an open portfolio should refresh: a whole-region viewer hears of
//! every plan's change, anyone else of their own plans' only (and of joining
//! or leaving one), through the same notices as the plans list.

use crate::accounts::store::AccountStore;
use crate::plan_events::{MemberWatcher, Notice, Watcher};
use crate::plans::Plans;
use crate::store::StoreError;
use app::session::Viewer;
use std::sync::Arc;

pub enum PortfolioFeed {
    WholeRegion(Watcher),
    OwnPlans(MemberWatcher<Arc<dyn AccountStore>>),
}

impl PortfolioFeed {
    pub async fn start(plans: &Plans, viewer: &Viewer) -> Result<PortfolioFeed, StoreError> {
        Ok(if super::sees_whole_region(viewer) {
            PortfolioFeed::WholeRegion(plans.events().watch())
        } else {
            PortfolioFeed::OwnPlans(plans.watch_for(viewer.id).await?)
        })
    }

    /// Waits for the next change; `false` once the feed ends (the server
    /// stops, or memberships cannot be read: the browser reconnects).
    pub async fn next(&mut self) -> bool {
        match self {
            PortfolioFeed::WholeRegion(watcher) => loop {
                match watcher.next().await {
                    None => return false,
                    Some(Notice::Changed(_) | Notice::Many) => return true,
                    // Membership alone changes no count for a whole-region viewer.
                    Some(Notice::Membership { .. }) => {}
                    // Notifications change no count.
                    Some(Notice::Bell(_) | Notice::BellPlan(_)) => {}
                }
            },
            PortfolioFeed::OwnPlans(watcher) => loop {
                match watcher.next().await {
                    Ok(Some(crate::plan_events::PlanEvent::Bell)) => {}
                    Ok(Some(_)) => return true,
                    Ok(None) => return false,
                    Err(e) => {
                        tracing::error!(error = ?e, "portfolio changes: cannot read memberships; ending the stream");
                        return false;
                    }
                }
            },
        }
    }
}
