//! A stock Yjs client (y-websocket, from npm) co-edits a plan with ours:
//! the server speaks the standard sync and awareness protocol.

use integration_tests::{spawn_app_with_plan, Client, PATIENCE};
use plan::Section;
use std::process::Stdio;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

#[tokio::test]
async fn a_y_websocket_client_and_a_rust_client_co_edit_a_plan() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/yjs-interop");
    assert!(
        std::path::Path::new(dir).join("node_modules/y-websocket").exists(),
        "run `npm ci --prefix tests/yjs-interop` first (scripts/dev test does)"
    );
    let (app, plan) = spawn_app_with_plan("Operation Larch").await;
    let rust = Client::connect(&app.ws_url(plan)).await;

    let mut node = Command::new("node")
        .arg("client.mjs")
        .arg(format!("ws://{}/ws/plans", app.addr))
        .arg(plan.to_string())
        .env("PILLARS_COOKIE", &app.cookie)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("node runs");
    let mut lines = BufReader::new(node.stdout.take().unwrap()).lines();
    let mut next_line = async || {
        tokio::time::timeout(PATIENCE, lines.next_line())
            .await
            .expect("the Yjs client answers")
            .unwrap()
            .expect("a line")
    };

    assert_eq!(
        next_line().await,
        "synced Operation Larch",
        "the Yjs client received the plan"
    );
    let aim = |c: &Client| c.plan.section_text(&c.plan.transact(), Section::Aim);
    rust.wait_for_doc("the Yjs client's typing", |_| aim(&rust) == "Hello from Yjs. ")
        .await;
    rust.wait_until("the Yjs client's presence", |s| {
        s.present(integration_tests::USER_SHOWN_AS)
    })
    .await;

    rust.edit(|p, txn| p.set_section_text(txn, Section::Aim, "Hello from Yjs. Hello from Rust."));
    loop {
        let line = next_line().await;
        if line == "aim Hello from Yjs. Hello from Rust." {
            break;
        }
        assert!(line.starts_with("aim "), "unexpected output {line:?}");
    }
    drop(node.stdin.take()); // ends the Yjs client
    let _ = tokio::time::timeout(PATIENCE, node.wait()).await;
    rust.wait_until("the Yjs client's departure", |s| {
        !s.present(integration_tests::USER_SHOWN_AS)
    })
    .await;
    let stored = app.export(plan).await;
    assert_eq!(stored["sections"]["aim"], "Hello from Yjs. Hello from Rust.");
}
