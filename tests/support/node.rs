//! A server node in its own process (`pillars-node`), so that a test can
//! kill it as a crash would: SIGKILL, no goodbye, no final compaction.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};

pub struct NodeProcess {
    pub addr: SocketAddr,
    child: Child,
    stdout: BufReader<std::process::ChildStdout>,
}

impl NodeProcess {
    /// Starts a node (`binary`: the test's `CARGO_BIN_EXE_pillars-node`) on
    /// `database_url` and waits until it listens.
    pub fn start(binary: &str, database_url: &str) -> NodeProcess {
        Self::start_with_connections(binary, database_url, None)
    }

    /// [`NodeProcess::start`], keeping at most `connections` to PostgreSQL
    /// (`None`: the node's default), so that several nodes fit within the
    /// server's `max_connections`.
    pub fn start_with_connections(binary: &str, database_url: &str, connections: Option<u32>) -> NodeProcess {
        Self::spawn(binary, database_url, connections, "127.0.0.1:0", None)
    }

    /// [`NodeProcess::start`] with more settings in its environment (say,
    /// `PILLARS_SMTP_HOST`).
    pub fn start_with_env(binary: &str, database_url: &str, env: &[(&str, String)]) -> NodeProcess {
        let mut command = Command::new(binary);
        command.envs(env.iter().map(|(k, v)| (*k, v.as_str())));
        Self::spawn_command(command, database_url, None, "127.0.0.1:0", None)
    }

    /// [`NodeProcess::start`] behind a load balancer at `front`: pages
    /// come from the balancer's origin, which the node is told is its own.
    pub fn start_behind(binary: &str, database_url: &str, front: SocketAddr) -> NodeProcess {
        Self::spawn(binary, database_url, None, "127.0.0.1:0", Some(front))
    }

    /// [`NodeProcess::start`] listening on `addr`: a node restarted (an
    /// upgrade) where a load balancer already expects it.
    pub fn start_at(binary: &str, database_url: &str, addr: SocketAddr) -> NodeProcess {
        Self::spawn(binary, database_url, None, &addr.to_string(), None)
    }

    /// [`NodeProcess::start_at`] behind a load balancer at `front`.
    pub fn start_at_behind(binary: &str, database_url: &str, addr: SocketAddr, front: SocketAddr) -> NodeProcess {
        Self::spawn(binary, database_url, None, &addr.to_string(), Some(front))
    }

    fn spawn(
        binary: &str,
        database_url: &str,
        connections: Option<u32>,
        addr: &str,
        front: Option<SocketAddr>,
    ) -> NodeProcess {
        Self::spawn_command(Command::new(binary), database_url, connections, addr, front)
    }

    fn spawn_command(
        mut command: Command,
        database_url: &str,
        connections: Option<u32>,
        addr: &str,
        front: Option<SocketAddr>,
    ) -> NodeProcess {
        if let Some(connections) = connections {
            command.env("PILLARS_DB_CONNECTIONS", connections.to_string());
        }
        if let Some(front) = front {
            command.env("PILLARS_PUBLIC_ORIGIN", format!("http://{front}"));
        }
        let mut child = command
            // The built site, wherever the caller runs from (cargo runs
            // tests in `tests/`, where a relative `target/site` is not).
            .arg("--site-root")
            .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site"))
            .env("DATABASE_URL", database_url)
            .env("PILLARS_ADDR", addr)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("pillars-node starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("pillars-node says where it listens");
        let addr = line
            .trim()
            .strip_prefix("listening on ")
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("pillars-node printed {line:?}"));
        NodeProcess { addr, child, stdout }
    }

    /// Resident memory of the node's process, in KiB.
    pub fn rss_kib(&self) -> u64 {
        crate::rss_kib(&format!("/proc/{}/status", self.child.id()))
    }

    /// Stops the node as SIGTERM would and returns what it printed on the
    /// way out (its relay latency line).
    pub fn stop(&mut self) -> String {
        // SAFETY: kill has no memory preconditions; the pid is our child's.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let mut rest = String::new();
        let _ = std::io::Read::read_to_string(&mut self.stdout, &mut rest);
        let _ = self.child.wait();
        rest
    }

    /// The plan's websocket on this node, presenting `cookie`.
    pub fn ws(&self, plan: uuid::Uuid, cookie: &str) -> crate::WsTarget {
        crate::WsTarget {
            url: format!("ws://{}/ws/plans/{}", self.addr, plan),
            cookie: Some(cookie.to_string()),
        }
    }

    /// SIGSTOP: the process freezes with its sockets open, as a hung node
    /// or one cut off from the network looks to its peers.
    pub fn freeze(&mut self) {
        // SAFETY: kill has no memory preconditions; the pid is our child's.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGSTOP) };
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
