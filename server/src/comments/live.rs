//! "A plan's comments changed": told by the comments service on every
//! post and change, heard by the plan's open pages (`GET
//! /api/plans/{id}/comments/changes`, server-sent events) on every node.

use tokio::sync::{broadcast, watch};
use uuid::Uuid;

/// Cheap to clone; every clone reaches the same listeners.
#[derive(Clone, Debug)]
pub struct CommentEvents {
    /// (plan, the comment that changed).
    notices: broadcast::Sender<(Uuid, Uuid)>,
    /// Set when the server stops: every listener ends, so that open
    /// streams do not hold the graceful shutdown open.
    closing: watch::Sender<bool>,
    others: crate::cluster::Publisher,
}

impl Default for CommentEvents {
    fn default() -> Self {
        CommentEvents {
            // A listener this far behind is told "several changed".
            notices: broadcast::channel(256).0,
            closing: watch::Sender::new(false),
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
            closing: self.closing.subscribe(),
        }
    }

    /// Ends every listener (the server is stopping).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }
}

pub struct Listener {
    plan: Uuid,
    notices: broadcast::Receiver<(Uuid, Uuid)>,
    closing: watch::Receiver<bool>,
}

impl Listener {
    /// The next change to the plan's comments; `None` once the server
    /// stops.
    pub async fn next(&mut self) -> Option<Heard> {
        loop {
            if *self.closing.borrow() {
                return None;
            }
            let heard = tokio::select! {
                heard = self.notices.recv() => heard,
                _ = self.closing.changed() => return None,
            };
            match heard {
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

    #[tokio::test]
    async fn listeners_end_when_the_server_stops() {
        let events = CommentEvents::default();
        let mut listener = events.listen(Uuid::new_v4());
        events.close();
        assert_eq!(listener.next().await, None);
    }
}
