//! A TCP relay between a browser and the app that a test can cut, stall
//! and restore, to take one browser offline while others stay connected.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::AbortHandle;

pub struct Proxy {
    addr: SocketAddr,
    online: watch::Sender<bool>,
    stalled: watch::Sender<bool>,
    links: Arc<Mutex<Vec<AbortHandle>>>,
    accept: AbortHandle,
}

impl Proxy {
    /// Relays a random local port to `target`.
    pub async fn start(target: SocketAddr) -> Proxy {
        Self::start_on(Self::bind().await, target)
    }

    /// A random local port for a relay, taken before its target is known
    /// (the app must be told the relay's origin when it starts).
    pub async fn bind() -> TcpListener {
        TcpListener::bind("127.0.0.1:0").await.unwrap()
    }

    /// Relays `listener` (from [`Proxy::bind`]) to `target`.
    pub fn start_on(listener: TcpListener, target: SocketAddr) -> Proxy {
        let addr = listener.local_addr().unwrap();
        let (online, watch_online) = watch::channel(true);
        let (stalled, watch_stalled) = watch::channel(false);
        let links: Arc<Mutex<Vec<AbortHandle>>> = Arc::default();
        let accept = tokio::spawn({
            let links = links.clone();
            async move {
                while let Ok((mut inbound, _)) = listener.accept().await {
                    if !*watch_online.borrow() {
                        drop(inbound); // offline: the connection fails at once
                        continue;
                    }
                    let mut stall = watch_stalled.clone();
                    let link = tokio::spawn(async move {
                        if let Ok(mut outbound) = TcpStream::connect(target).await {
                            let stalled = tokio::select! {
                                _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => false,
                                _ = stall.wait_for(|s| *s) => true,
                            };
                            if stalled {
                                // Both ends stay open and carry nothing.
                                std::future::pending::<()>().await;
                            }
                        }
                    });
                    links.lock().unwrap().push(link.abort_handle());
                }
            }
        })
        .abort_handle();
        Proxy {
            addr,
            online,
            stalled,
            links,
            accept,
        }
    }

    /// `http://` URL of `path` through the relay.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Drops every open connection and refuses new ones.
    pub fn cut(&self) {
        self.online.send_replace(false);
        for link in self.links.lock().unwrap().drain(..) {
            link.abort();
        }
    }

    /// Leaves every open connection open but carrying nothing, as a
    /// network that dropped without a word (or a hung server) does, and
    /// refuses new ones.
    pub fn stall(&self) {
        self.online.send_replace(false);
        self.stalled.send_replace(true);
    }

    /// Accepts connections again (stalled ones stay stalled).
    pub fn restore(&self) {
        self.stalled.send_replace(false);
        self.online.send_replace(true);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.cut();
        self.accept.abort();
    }
}
