//! "A plan's comments changed": told by the comments service on every
//! post and change, heard by the plan's open pages (`GET
//! /api/plans/{id}/comments/changes`, server-sent events) on every node.

use tokio::sync::broadcast;
use uuid::Uuid;

/// Cheap to clone; every clone reaches the same listeners.
#[derive(Clone, Debug)]
pub struct CommentEvents {
    /// (plan, the comment that changed).
    notices: broadcast::Sender<(Uuid, Uuid)>,
    others: crate::cluster::Publisher,
}

impl Default for CommentEvents {
    fn default() -> Self {
        CommentEvents {
            // A listener this far behind is told "several changed".
            notices: broadcast::channel(256).0,
            others: crate::cluster::Publisher::none(),
        }
    }
}

/// What a plan's listener hears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heard {
    Comment(Uuid),
    /// It fell behind: some changed.
    Several,
}

impl CommentEvents {
    /// Events that other server nodes hear of too.
    pub fn published_by(mut self, others: crate::cluster::Publisher) -> Self {
        self.others = others;
        self
    }

    pub fn changed(&self, plan: Uuid, comment: Uuid) {
        self.changed_here(plan, comment);
        self.others
            .publish(crate::cluster::Notice::CommentChanged { plan, comment });
    }

    /// For this node's listeners only (another node told us).
    pub fn changed_here(&self, plan: Uuid, comment: Uuid) {
        // No listeners is fine.
        let _ = self.notices.send((plan, comment));
    }

    /// Listens to one plan's comments.
    pub fn listen(&self, plan: Uuid) -> Listener {
        Listener {
            plan,
            notices: self.notices.subscribe(),
        }
    }
}

pub struct Listener {
    plan: Uuid,
    notices: broadcast::Receiver<(Uuid, Uuid)>,
}

impl Listener {
    /// The next change to the plan's comments; `None` once the service is gone.
    pub async fn next(&mut self) -> Option<Heard> {
        loop {
            match self.notices.recv().await {
                Ok((plan, comment)) if plan == self.plan => return Some(Heard::Comment(comment)),
                Ok(_) => continue,
                Err(broadcast::error::RecvError::Lagged(_)) => return Some(Heard::Several),
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_listener_hears_its_plan_only() {
        let events = CommentEvents::default();
        let (mine, theirs) = (Uuid::new_v4(), Uuid::new_v4());
        let mut listener = events.listen(mine);
        let comment = Uuid::new_v4();
        events.changed(theirs, Uuid::new_v4());
        events.changed(mine, comment);
        assert_eq!(listener.next().await, Some(Heard::Comment(comment)));
    }
}
