//! Connections to the SMTP server (`lettre`'s SMTP client), kept open and
//! reused between emails, with Nagle's algorithm off.
//!
//! Why not `lettre`'s own transport: it sends a message's end (`.`) as a
//! write of its own after the body and does not set `TCP_NODELAY`, so each
//! email waits out the server's delayed ACK (40 ms on Linux): 22 emails a
//! second on one connection to a local server, where this sends hundreds.
//! Implicit TLS (`tls`) connects through `lettre` as it is.

use super::email::{SmtpSettings, SmtpTls};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use lettre::Message;
use std::sync::Mutex;

/// The SMTP server, and connections to it waiting for the next email.
pub struct Smtp {
    settings: SmtpSettings,
    idle: Mutex<Vec<AsyncSmtpConnection>>,
}

impl Smtp {
    pub fn new(settings: SmtpSettings) -> Smtp {
        Smtp {
            settings,
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Sends `message`; `Ok` once the server has accepted it. A connection
    /// kept from before that fails (the server restarted meanwhile) is
    /// dropped and the email tried once on a new one.
    pub async fn send(&self, message: &Message) -> Result<(), String> {
        let kept = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        if let Some(conn) = kept {
            if let Ok(conn) = self.send_on(conn, message).await {
                self.keep(conn);
                return Ok(());
            }
        }
        let conn = self.connect().await?;
        let conn = self.send_on(conn, message).await?;
        self.keep(conn);
        Ok(())
    }

    fn keep(&self, conn: AsyncSmtpConnection) {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(conn);
    }

    async fn send_on(&self, mut conn: AsyncSmtpConnection, message: &Message) -> Result<AsyncSmtpConnection, String> {
        let sent = tokio::time::timeout(
            self.settings.timeout,
            conn.send(message.envelope(), &message.formatted()),
        )
        .await;
        match sent {
            Ok(Ok(_)) => Ok(conn),
            Ok(Err(e)) => {
                conn.abort().await;
                Err(e.to_string())
            }
            Err(_) => Err(format!("no answer within {:?}", self.settings.timeout)),
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, String> {
        let s = &self.settings;
        let hello = ClientId::default();
        let connecting = async {
            let mut conn = match s.tls {
                SmtpTls::Tls => {
                    let tls = TlsParameters::new(s.host.clone()).map_err(|e| e.to_string())?;
                    AsyncSmtpConnection::connect_tokio1(
                        (s.host.as_str(), s.port),
                        Some(s.timeout),
                        &hello,
                        Some(tls),
                        None,
                    )
                    .await
                    .map_err(|e| e.to_string())?
                }
                SmtpTls::None | SmtpTls::StartTls => {
                    let stream = tokio::net::TcpStream::connect((s.host.as_str(), s.port))
                        .await
                        .map_err(|e| format!("connecting to {}:{}: {e}", s.host, s.port))?;
                    stream.set_nodelay(true).map_err(|e| e.to_string())?;
                    AsyncSmtpConnection::connect_with_transport(Box::new(stream), &hello)
                        .await
                        .map_err(|e| e.to_string())?
                }
            };
            if s.tls == SmtpTls::StartTls {
                let tls = TlsParameters::new(s.host.clone()).map_err(|e| e.to_string())?;
                conn.starttls(tls, &hello).await.map_err(|e| e.to_string())?;
            }
            if let Some((user, password)) = &s.credentials {
                let credentials = Credentials::new(user.clone(), password.clone());
                conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            Ok::<_, String>(conn)
        };
        tokio::time::timeout(s.timeout, connecting)
            .await
            .map_err(|_| format!("no answer from {}:{} within {:?}", s.host, s.port, s.timeout))?
    }
}
