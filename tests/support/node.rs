//! A server node in its own process (`pillars-node`), so that a test can
//! kill it as a crash would: SIGKILL, no goodbye, no final compaction.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

pub struct NodeProcess {
    pub addr: SocketAddr,
    child: Child,
}

impl NodeProcess {
    /// Starts a node (`binary`: the test's `CARGO_BIN_EXE_pillars-node`) on
    /// `database_url` and waits until it listens.
    pub fn start(binary: &str, database_url: &str) -> NodeProcess {
        let mut child = Command::new(binary)
            .env("DATABASE_URL", database_url)
            .env("PILLARS_ADDR", "127.0.0.1:0")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("pillars-node starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("pillars-node says where it listens");
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("pillars-node printed {line:?}"));
        NodeProcess { addr, child }
    }

    /// The plan's websocket on this node, presenting `cookie`.
    pub fn ws(&self, plan: uuid::Uuid, cookie: &str) -> crate::WsTarget {
        crate::WsTarget {
            url: format!("ws://{}/ws/plans/{}", self.addr, plan),
            cookie: Some(cookie.to_string()),
        }
    }

    /// SIGKILL, as a crash or the OOM killer would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for NodeProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
