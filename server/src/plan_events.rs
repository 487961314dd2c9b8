//! "A plan in the list changed": told by whoever changes a plan's summary
//! (a room refreshing it) or its members (creating a plan, adding,
//! re-roling or removing a member) to whoever shows the plans list
//! (`GET /api/plans/changes`, a server-sent event stream).
//!
//! A plan exists only for its members, so each watcher hears only of the
//! plans its user is a member of: a [`MemberWatcher`] keeps that user's set
//! of plans in memory, filters every notice against it without touching the
//! database, and re-reads one membership only when a notice says that
//! user's membership of that plan changed.

use crate::accounts::store::AccountStore;
use crate::store::StoreError;
use std::collections::HashSet;
use std::sync::Arc;
use tokio::sync::{broadcast, watch};
use uuid::Uuid;

/// What is broadcast to every watcher, before filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The plan's summary (what the list shows) changed.
    Changed(Uuid),
    /// `user` joined or left the plan, or their role on it changed.
    Membership { plan: Uuid, user: Uuid },
    /// `user` has new notifications (their bell's count changed).
    Bell(Uuid),
    /// Some members of the plan may have new notifications (an update
    /// assigned an action: whom it told is the database's judgement).
    BellPlan(Uuid),
    /// Too many notices to list one by one (a watcher fell behind).
    Many,
}

/// Cheap to clone; every clone reaches the same watchers.
#[derive(Clone, Debug)]
pub struct PlanEvents {
    notices: broadcast::Sender<Notice>,
    closing: watch::Sender<bool>,
    /// Tells other server nodes' watchers too.
    others: crate::cluster::Publisher,
}

impl Default for PlanEvents {
    fn default() -> Self {
        PlanEvents {
            // A watcher this far behind is told "something changed" instead.
            notices: broadcast::channel(256).0,
            closing: watch::Sender::new(false),
            others: crate::cluster::Publisher::none(),
        }
    }
}

/// What a user's watcher hears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanEvent {
    /// A plan of theirs changed, or they joined or left it.
    Changed(Uuid),
    /// Their notifications changed (new ones, or read elsewhere).
    Bell,
    /// Too many changes to list one by one.
    Many,
}

impl PlanEvents {
    /// Events that other server nodes hear of too.
    pub fn published_by(mut self, others: crate::cluster::Publisher) -> Self {
        self.others = others;
        self
    }

    /// The plan's summary (what the list shows) changed.
    pub fn changed(&self, plan: Uuid) {
        self.changed_here(plan);
        self.others.publish(crate::cluster::Notice::PlanChanged { plan });
    }

    /// `user`'s membership of the plan changed (added, re-roled, removed).
    pub fn membership_changed(&self, plan: Uuid, user: Uuid) {
        self.membership_changed_here(plan, user);
        self.others
            .publish(crate::cluster::Notice::MembershipChanged { plan, user });
    }

    /// Rings the bells of `users` (told of something, or their read state
    /// changed), on every node. Call once what told them has committed.
    pub fn bell(&self, users: &[Uuid]) {
        for user in users {
            self.bell_here(*user);
        }
        if !users.is_empty() {
            self.others
                .publish(crate::cluster::Notice::Bell { users: users.to_vec() });
        }
    }

    /// Rings the bells of whichever members of `plan` may have been told
    /// of something, on every node.
    pub fn bell_plan(&self, plan: Uuid) {
        self.bell_plan_here(plan);
        self.others.publish(crate::cluster::Notice::BellPlan { plan });
    }

    pub fn bell_here(&self, user: Uuid) {
        let _ = self.notices.send(Notice::Bell(user));
    }

    pub fn bell_plan_here(&self, plan: Uuid) {
        let _ = self.notices.send(Notice::BellPlan(plan));
    }

    /// [`PlanEvents::changed`], for this node's watchers only (another
    /// node told us).
    pub fn changed_here(&self, plan: Uuid) {
        // No watchers is fine.
        let _ = self.notices.send(Notice::Changed(plan));
    }

    pub fn membership_changed_here(&self, plan: Uuid, user: Uuid) {
        let _ = self.notices.send(Notice::Membership { plan, user });
    }

    /// Every notice, unfiltered: see [`PlanEvents::watch_for`] for what a
    /// user may hear.
    pub fn watch(&self) -> Watcher {
        Watcher {
            notices: self.notices.subscribe(),
            closing: self.closing.subscribe(),
        }
    }

    /// The changes `user` may hear of: those to the plans they are a
    /// member of, as `members` says now and as later notices change it.
    pub async fn watch_for<M: MemberLookup>(&self, user: Uuid, members: M) -> Result<MemberWatcher<M>, StoreError> {
        // Subscribe before reading the set, so no change falls in between.
        let notices = self.watch();
        let plans = members.plans_of(user).await?.into_iter().collect();
        Ok(MemberWatcher {
            notices,
            user,
            plans,
            members,
        })
    }

    /// Ends every watcher's stream (the server is stopping).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }
}

pub struct Watcher {
    notices: broadcast::Receiver<Notice>,
    closing: watch::Receiver<bool>,
}

impl Watcher {
    /// The next notice; `None` once the server is stopping.
    pub async fn next(&mut self) -> Option<Notice> {
        if *self.closing.borrow() {
            return None;
        }
        tokio::select! {
            received = self.notices.recv() => match received {
                Ok(notice) => Some(notice),
                Err(broadcast::error::RecvError::Lagged(_)) => Some(Notice::Many),
                Err(broadcast::error::RecvError::Closed) => None,
            },
            _ = self.closing.wait_for(|closing| *closing) => None,
        }
    }
}

/// Who is on which plan, as a [`MemberWatcher`] needs to know.
#[async_trait::async_trait]
pub trait MemberLookup: Send + Sync + 'static {
    async fn plans_of(&self, user: Uuid) -> Result<Vec<Uuid>, StoreError>;
    async fn is_member(&self, plan: Uuid, user: Uuid) -> Result<bool, StoreError>;
}

#[async_trait::async_trait]
impl MemberLookup for Arc<dyn AccountStore> {
    async fn plans_of(&self, user: Uuid) -> Result<Vec<Uuid>, StoreError> {
        self.member_plans(user).await
    }

    async fn is_member(&self, plan: Uuid, user: Uuid) -> Result<bool, StoreError> {
        Ok(self.member_role(plan, user).await?.is_some())
    }
}

/// One user's view of the notices: only their own plans.
pub struct MemberWatcher<M> {
    notices: Watcher,
    user: Uuid,
    plans: HashSet<Uuid>,
    members: M,
}

impl<M: MemberLookup> MemberWatcher<M> {
    /// The next event for this user; `Ok(None)` once the server is stopping.
    pub async fn next(&mut self) -> Result<Option<PlanEvent>, StoreError> {
        loop {
            let Some(notice) = self.notices.next().await else {
                return Ok(None);
            };
            match notice {
                Notice::Changed(plan) if self.plans.contains(&plan) => return Ok(Some(PlanEvent::Changed(plan))),
                Notice::Changed(_) => {}
                Notice::Membership { plan, user } if user == self.user => {
                    // Read rather than inferred from the notice: notices of
                    // two quick changes could arrive in either order.
                    let knew = if self.members.is_member(plan, user).await? {
                        self.plans.insert(plan);
                        true
                    } else {
                        self.plans.remove(&plan)
                    };
                    // A new member's list gains the plan, a removed
                    // member's loses it; a stranger's hears nothing.
                    if knew {
                        return Ok(Some(PlanEvent::Changed(plan)));
                    }
                }
                Notice::Membership { .. } => {}
                Notice::Bell(user) if user == self.user => return Ok(Some(PlanEvent::Bell)),
                Notice::BellPlan(plan) if self.plans.contains(&plan) => return Ok(Some(PlanEvent::Bell)),
                Notice::Bell(_) | Notice::BellPlan(_) => {}
                Notice::Many => {
                    // Membership notices may be among those missed.
                    self.plans = self.members.plans_of(self.user).await?.into_iter().collect();
                    return Ok(Some(PlanEvent::Many));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
