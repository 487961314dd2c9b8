//! "A plan in the list changed": told by whoever changes a plan's summary
//! (creating a plan, a room refreshing its summary) to whoever shows the
//! plans list (`GET /api/plans/changes`, a server-sent event stream).

use tokio::sync::{broadcast, watch};
use uuid::Uuid;

/// Cheap to clone; every clone reaches the same watchers.
#[derive(Clone, Debug)]
pub struct PlanEvents {
    changed: broadcast::Sender<Uuid>,
    closing: watch::Sender<bool>,
}

impl Default for PlanEvents {
    fn default() -> Self {
        PlanEvents {
            // A watcher this far behind is told "something changed" instead.
            changed: broadcast::channel(256).0,
            closing: watch::Sender::new(false),
        }
    }
}

/// What a watcher hears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanEvent {
    Changed(Uuid),
    /// Too many changes to list one by one.
    Many,
}

impl PlanEvents {
    /// The plan's summary (what the list shows) changed.
    pub fn changed(&self, plan: Uuid) {
        // No watchers is fine.
        let _ = self.changed.send(plan);
    }

    pub fn watch(&self) -> Watcher {
        Watcher {
            changed: self.changed.subscribe(),
            closing: self.closing.subscribe(),
        }
    }

    /// Ends every watcher's stream (the server is stopping).
    pub fn close(&self) {
        self.closing.send_replace(true);
    }
}

pub struct Watcher {
    changed: broadcast::Receiver<Uuid>,
    closing: watch::Receiver<bool>,
}

impl Watcher {
    /// The next event; `None` once the server is stopping.
    pub async fn next(&mut self) -> Option<PlanEvent> {
        if *self.closing.borrow() {
            return None;
        }
        tokio::select! {
            received = self.changed.recv() => match received {
                Ok(id) => Some(PlanEvent::Changed(id)),
                Err(broadcast::error::RecvError::Lagged(_)) => Some(PlanEvent::Many),
                Err(broadcast::error::RecvError::Closed) => None,
            },
            _ = self.closing.wait_for(|closing| *closing) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn watchers_hear_changes_and_stop_when_closed() {
        let events = PlanEvents::default();
        let mut watcher = events.watch();
        let id = Uuid::new_v4();
        events.changed(id);
        assert_eq!(watcher.next().await, Some(PlanEvent::Changed(id)));
        for _ in 0..300 {
            events.changed(id);
        }
        assert_eq!(watcher.next().await, Some(PlanEvent::Many), "a lagging watcher is told");
        events.close();
        let mut late = events.watch();
        assert_eq!(late.next().await, None);
    }
}
