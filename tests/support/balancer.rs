//! A real HAProxy (Debian's package) in front of server nodes, as a
//! deployment runs them: round robin, websockets tunnelled.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Balancer {
    pub addr: SocketAddr,
    child: Child,
    /// Holds the configuration and the stats socket (removed on drop).
    dir: tempfile::TempDir,
}

impl Balancer {
    /// Starts HAProxy spreading connections over `nodes` in turn.
    pub fn start(nodes: &[SocketAddr]) -> Balancer {
        Self::start_at(free_port(), nodes)
    }

    /// [`Balancer::start`] on `front` (from [`free_port`]), the origin the
    /// nodes were told is theirs.
    pub fn start_at(front: SocketAddr, nodes: &[SocketAddr]) -> Balancer {
        Self::start_with(front, nodes, "")
    }

    /// [`Balancer::start`], with health checks as `docs/deploy/haproxy.cfg`
    /// has them (`/healthz`; a node marked down has its sessions shut), but
    /// fast: a node that stops answering is out within about three seconds.
    /// (A check may take a second: a debug node on a loaded machine can be
    /// slower than 300 ms to answer one.)
    pub fn start_checked(front: SocketAddr, nodes: &[SocketAddr]) -> Balancer {
        Self::start_with(
            front,
            nodes,
            "  option httpchk\n  http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host pillars\n\
               http-check expect status 200\n  timeout check 1s\n\
               default-server check inter 300ms fall 2 rise 2 on-marked-down shutdown-sessions\n",
        )
    }

    fn start_with(addr: SocketAddr, nodes: &[SocketAddr], backend: &str) -> Balancer {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let stats = dir.path().join("admin.sock");
        let servers: String = nodes
            .iter()
            .enumerate()
            .map(|(i, node)| format!("  server node{i} {node}\n"))
            .collect();
        let config = format!(
            "global\n  maxconn 4096\n  stats socket {stats}\n\
             defaults\n  mode http\n  option redispatch\n  retries 3\n  timeout connect 5s\n  timeout client 60s\n  timeout server 60s\n  timeout tunnel 1h\n\
             frontend pillars\n  bind {addr}\n  default_backend nodes\n\
             backend nodes\n  balance roundrobin\n{backend}{servers}",
            stats = stats.display()
        );
        let path = dir.path().join("haproxy.cfg");
        std::fs::write(&path, config).expect("the HAProxy config is written");
        let child = Command::new("haproxy")
            .arg("-db") // in the foreground, so it dies with the test
            .arg("-f")
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("haproxy starts (scripts/dev test installs it)");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(addr).is_err() {
            assert!(Instant::now() < deadline, "haproxy did not start listening on {addr}");
            // HAProxy says nothing when it is ready; its port is the event.
            std::thread::sleep(Duration::from_millis(20));
        }
        Balancer { addr, child, dir }
    }

    /// Waits until HAProxy's health checks count node `index` (in the
    /// order given to [`Balancer::start_checked`]) as up: a node started
    /// again takes connections only from then on.
    pub async fn wait_until_up(&self, index: usize) {
        let socket = self.dir.path().join("admin.sock");
        let server = format!("node{index}");
        let deadline = Instant::now() + crate::PATIENCE;
        loop {
            let stat = tokio::task::spawn_blocking({
                let socket = socket.clone();
                move || {
                    use std::io::{Read, Write};
                    let mut stream = std::os::unix::net::UnixStream::connect(socket)?;
                    stream.write_all(b"show stat\n")?;
                    let mut out = String::new();
                    stream.read_to_string(&mut out)?;
                    Ok::<_, std::io::Error>(out)
                }
            })
            .await
            .expect("the stats query ran");
            // CSV: proxy, server, ... with the status ("UP", "DOWN", "UP 1/2"...) in column 18.
            let up = stat.iter().flat_map(|csv| csv.lines()).any(|line| {
                let fields: Vec<&str> = line.split(',').collect();
                fields.len() > 17 && fields[0] == "nodes" && fields[1] == server && fields[17] == "UP"
            });
            if up {
                return;
            }
            assert!(Instant::now() < deadline, "HAProxy never counted {server} up: {stat:?}");
            // HAProxy announces nothing; its health checks run every 300 ms.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The plan's websocket through the balancer, presenting `cookie`.
    pub fn ws(&self, plan: uuid::Uuid, cookie: &str) -> crate::WsTarget {
        crate::WsTarget {
            url: format!("ws://{}/ws/plans/{}", self.addr, plan),
            cookie: Some(cookie.to_string()),
        }
    }
}

impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free local port, for a balancer whose origin nodes must know first.
pub fn free_port() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address")
}
