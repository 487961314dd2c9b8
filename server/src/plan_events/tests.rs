use super::*;
use std::sync::Mutex;

/// Memberships held in memory; counts lookups.
#[derive(Clone, Default)]
struct Members(Arc<Mutex<Inner>>);

#[derive(Default)]
struct Inner {
    /// (plan, user) pairs.
    members: HashSet<(Uuid, Uuid)>,
    lookups: usize,
}

impl Members {
    fn set(&self, plan: Uuid, user: Uuid, member: bool) {
        let mut inner = self.0.lock().unwrap();
        if member {
            inner.members.insert((plan, user));
        } else {
            inner.members.remove(&(plan, user));
        }
    }

    fn lookups(&self) -> usize {
        self.0.lock().unwrap().lookups
    }
}

#[async_trait::async_trait]
impl MemberLookup for Members {
    async fn plans_of(&self, user: Uuid) -> Result<Vec<Uuid>, StoreError> {
        let mut inner = self.0.lock().unwrap();
        inner.lookups += 1;
        Ok(inner
            .members
            .iter()
            .filter(|(_, u)| *u == user)
            .map(|(p, _)| *p)
            .collect())
    }

    async fn is_member(&self, plan: Uuid, user: Uuid) -> Result<bool, StoreError> {
        let mut inner = self.0.lock().unwrap();
        inner.lookups += 1;
        Ok(inner.members.contains(&(plan, user)))
    }
}

#[tokio::test]
async fn watchers_hear_only_of_their_own_plans_and_of_joining_and_leaving() {
    let events = PlanEvents::default();
    let members = Members::default();
    let (mine, theirs, pat) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    members.set(mine, pat, true);
    let mut watcher = events.watch_for(pat, members.clone()).await.unwrap();
    let lookups = members.lookups();

    events.changed(theirs);
    events.membership_changed(theirs, Uuid::new_v4());
    events.changed(mine);
    assert_eq!(watcher.next().await.unwrap(), Some(PlanEvent::Changed(mine)));
    assert_eq!(members.lookups(), lookups, "filtered in memory");

    members.set(theirs, pat, true);
    events.membership_changed(theirs, pat);
    assert_eq!(
        watcher.next().await.unwrap(),
        Some(PlanEvent::Changed(theirs)),
        "joined"
    );
    events.changed(theirs);
    assert_eq!(watcher.next().await.unwrap(), Some(PlanEvent::Changed(theirs)));

    members.set(theirs, pat, false);
    events.membership_changed(theirs, pat);
    assert_eq!(watcher.next().await.unwrap(), Some(PlanEvent::Changed(theirs)), "left");
    events.changed(theirs);
    events.changed(mine);
    assert_eq!(watcher.next().await.unwrap(), Some(PlanEvent::Changed(mine)));
}

#[tokio::test]
async fn a_lagging_watcher_is_told_and_rereads_its_plans_and_all_stop_when_closed() {
    let events = PlanEvents::default();
    let members = Members::default();
    let (plan, pat) = (Uuid::new_v4(), Uuid::new_v4());
    let mut watcher = events.watch_for(pat, members.clone()).await.unwrap();
    members.set(plan, pat, true);
    for _ in 0..300 {
        events.changed(plan);
    }
    assert_eq!(
        watcher.next().await.unwrap(),
        Some(PlanEvent::Many),
        "a lagging watcher is told"
    );
    // Without reading its plans afresh it would skip the rest, then wait.
    let next = tokio::time::timeout(std::time::Duration::from_secs(5), watcher.next())
        .await
        .expect("the plan's later changes are heard");
    assert_eq!(
        next.unwrap(),
        Some(PlanEvent::Changed(plan)),
        "its plans were read afresh"
    );
    events.close();
    assert_eq!(watcher.next().await.unwrap(), None);
    let mut late = events.watch_for(pat, members).await.unwrap();
    assert_eq!(late.next().await.unwrap(), None);
}
