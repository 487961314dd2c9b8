//! Emails, and the SMTP server they go through (`lettre`).
//!
//! **An email carries no plan content.** Plans are OFFICIAL-SENSITIVE and
//! ordinary email is no place for them, so an email names no plan, subject,
//! action or comment: it says what kinds of thing happened and how many
//! ([`plan::notifications::Kind::email_line`]), and links to Pillars, where
//! the notification centre shows the rest to whoever may see it. This is
//! the only module that writes an email, and it is given nothing else.

use chrono::NaiveDate;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::Mailbox;
use lettre::Message;
use plan::notifications::Kind;
use std::time::Duration;

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain text: a relay on the same trusted network only (port 25).
    None,
    /// Plain, then `STARTTLS`, required (port 587).
    StartTls,
    /// TLS from the start (port 465).
    Tls,
}

impl SmtpTls {
    pub fn parse(text: &str) -> Result<SmtpTls, String> {
        match text.trim() {
            "none" => Ok(SmtpTls::None),
            "starttls" => Ok(SmtpTls::StartTls),
            "tls" => Ok(SmtpTls::Tls),
            other => Err(format!("{other:?} is not a TLS mode: choose none, starttls or tls")),
        }
    }

    /// The port each mode usually listens on.
    pub fn default_port(self) -> u16 {
        match self {
            SmtpTls::None => 25,
            SmtpTls::StartTls => 587,
            SmtpTls::Tls => 465,
        }
    }
}

/// Where and as whom emails are sent from (`PILLARS_SMTP_*`).
#[derive(Debug, Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    /// User name and password, if the server wants them.
    pub credentials: Option<(String, String)>,
    pub from: Mailbox,
    /// How long one conversation with the server may take.
    pub timeout: Duration,
}

/// Names the notifications an email tells of (their ids: numbers, no
/// content), so that a delivery can be traced to its rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationIds(pub String);

impl Header for NotificationIds {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("X-Pillars-Notifications")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(NotificationIds(s.to_string()))
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// What one email tells: at once (these notifications), or a day's digest.
pub enum Telling<'a> {
    AtOnce { ids: &'a [i64] },
    Digest { id: i64, day: NaiveDate },
}

/// Kinds and how many of each, in the order of [`Kind::ALL`].
pub type Counts = Vec<(Kind, usize)>;

/// Composes the email to `to`: the counts and a link to `origin`'s
/// notification centre, and nothing else.
pub fn compose(
    from: &Mailbox,
    to: &str,
    origin: &str,
    telling: Telling<'_>,
    counts: &Counts,
) -> Result<Message, String> {
    let to: Mailbox = to.parse().map_err(|e| format!("the address {to:?}: {e}"))?;
    let total: usize = counts.iter().map(|(_, n)| n).sum();
    let plural = if total == 1 { "" } else { "s" };
    let (subject, opening, trace) = match telling {
        Telling::AtOnce { ids } => (
            format!("Pillars: {total} new notification{plural}"),
            "You have new notifications in Pillars:".to_string(),
            ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","),
        ),
        Telling::Digest { id, day } => (
            format!("Pillars: your daily digest, {total} notification{plural}"),
            format!("Your Pillars digest for {day}:"),
            format!("digest-{id}"),
        ),
    };
    let lines: Vec<String> = counts
        .iter()
        .map(|(kind, n)| format!("- {}", kind.email_line(*n)))
        .collect();
    let body = format!(
        "{opening}\n\n{}\n\nRead them in Pillars: {origin}/notifications\n\n\
         This email says only what kind of thing happened and how many: plans are \
         OFFICIAL-SENSITIVE, and their content never leaves Pillars by email.\n\
         Choose which notifications are emailed to you: {origin}/notifications/settings\n",
        lines.join("\n")
    );
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .header(NotificationIds(trace))
        .body(body)
        .map_err(|e| e.to_string())
}

/// Counts kinds (stored names; one this release does not know is left
/// out), in the order of [`Kind::ALL`].
pub fn count<'a>(kinds: impl IntoIterator<Item = (&'a str, usize)>) -> Counts {
    let mut counts: Counts = Vec::new();
    for (key, n) in kinds {
        let Some(kind) = Kind::parse(key) else { continue };
        match counts.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, total)) => *total += n,
            None => counts.push((kind, n)),
        }
    }
    counts.sort_by_key(|(k, _)| Kind::ALL.iter().position(|a| a == k));
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_counts_kinds_and_links_to_pillars_and_says_nothing_else() {
        let from: Mailbox = "Pillars <pillars@force.police.uk>".parse().unwrap();
        let counts = count([
            ("action_assigned_agency", 1),
            ("added_to_plan", 2),
            ("action_assigned_agency", 1),
        ]);
        assert_eq!(counts, vec![(Kind::AddedToPlan, 2), (Kind::ActionAssignedAgency, 2)]);
        let email = compose(
            &from,
            "pat@council.gov.uk",
            "https://pillars.example",
            Telling::AtOnce { ids: &[4, 7] },
            &counts,
        )
        .unwrap();
        let text = String::from_utf8(email.formatted()).unwrap();
        assert!(text.contains("Subject: Pillars: 4 new notifications"), "{text}");
        assert!(text.contains("X-Pillars-Notifications: 4,7"), "{text}");
        assert!(text.contains("An action assigned to your agency: 2"), "{text}");
        assert!(text.contains("https://pillars.example/notifications"), "{text}");
        assert!(compose(&from, "not an address", "x", Telling::AtOnce { ids: &[] }, &counts).is_err());
    }

    #[test]
    fn tls_modes_are_named_and_a_wrong_one_is_refused() {
        assert_eq!(SmtpTls::parse("starttls"), Ok(SmtpTls::StartTls));
        assert_eq!(SmtpTls::parse("tls").map(SmtpTls::default_port), Ok(465));
        assert!(SmtpTls::parse("ssl").unwrap_err().contains("none, starttls or tls"));
    }
}
