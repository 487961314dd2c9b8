//! How a commit of updates tells the other server nodes: a notice on
//! [`UPDATES_CHANNEL`], sent in the commit's own transaction (so it exists
//! only once the updates are durable), reading "node plan last-seq". The
//! store writes it, so its format lives here; the cluster listens for it
//! and reads it with [`parse`].

use uuid::Uuid;

/// The PostgreSQL channel commits notify.
pub const UPDATES_CHANNEL: &str = "pillars_updates";

/// The start of a notice; the commit's SQL appends the last seq.
pub fn prefix(node: Uuid, plan: Uuid) -> String {
    format!("{node} {plan}")
}

/// Reads a notice: (node, plan, last seq).
pub fn parse(payload: &str) -> Option<(Uuid, Uuid, i64)> {
    let mut parts = payload.split(' ');
    let node = parts.next()?.parse().ok()?;
    let plan = parts.next()?.parse().ok()?;
    let seq = parts.next()?.parse().ok()?;
    parts.next().is_none().then_some((node, plan, seq))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_names_its_node_plan_and_seq() {
        let (node, plan) = (Uuid::new_v4(), Uuid::new_v4());
        let payload = format!("{} 42", prefix(node, plan));
        assert_eq!(parse(&payload), Some((node, plan, 42)));
        assert_eq!(parse(&format!("{payload} extra")), None);
        assert_eq!(parse("not a notice"), None);
    }
}
