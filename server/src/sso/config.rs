//! The identity providers a deployment trusts, as configured: a JSON file
//! (`PILLARS_OIDC_PROVIDERS`) read once at start, checked at the boundary.
//!
//! ```json
//! [{ "id": "northshire-police", "name": "Northshire Police",
//!    "issuer": "https://login.microsoftonline.com/<tenant id>/v2.0",
//!    "client_id": "…", "client_secret": "…", "agency": "Northshire Police",
//!    "kind": "entra", "automatic_accounts": false }]
//! ```

use serde::Deserialize;

/// How a provider names a person for good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// Any OpenID Provider: the person is its `sub`.
    #[default]
    Standard,
    /// Microsoft Entra ID: the person is `tid` + `oid` (stable across the
    /// tenant's applications, where `sub` is per application).
    Entra,
}

/// One trusted identity provider. Its `Debug` leaves the secret out.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderConfig {
    /// In URLs (`/auth/oidc/{id}/start`): lower-case letters, digits, `-`.
    pub id: String,
    /// On the log-in page's button: "Sign in with {name}".
    pub name: String,
    /// The issuer exactly as its ID tokens carry it (for Entra the
    /// tenant's: `https://login.microsoftonline.com/{tenant}/v2.0`).
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// The one agency whose people sign in here (an agency's name).
    pub agency: String,
    #[serde(default)]
    pub kind: ProviderKind,
    /// First sign-ins make an account (with no plans) instead of needing
    /// an invitation.
    #[serde(default)]
    pub automatic_accounts: bool,
}

impl std::fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("id", &self.id)
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"(hidden)")
            .field("agency", &self.agency)
            .field("kind", &self.kind)
            .field("automatic_accounts", &self.automatic_accounts)
            .finish()
    }
}

/// Every configured provider, checked.
#[derive(Debug, Clone, Default)]
pub struct Providers(pub Vec<ProviderConfig>);

impl Providers {
    /// Reads and checks the JSON file at `path` (as clap's value parser).
    pub fn read_file(path: &str) -> Result<Providers, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("reading {path}: {e}"))?;
        Self::parse(&text).map_err(|e| format!("{path}: {e}"))
    }

    pub fn parse(json: &str) -> Result<Providers, String> {
        let list: Vec<ProviderConfig> = serde_json::from_str(json).map_err(|e| e.to_string())?;
        Self::checked(list)
    }

    pub fn checked(list: Vec<ProviderConfig>) -> Result<Providers, String> {
        for (n, p) in list.iter().enumerate() {
            let slug = !p.id.is_empty()
                && p.id.len() <= 40
                && p.id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !slug {
                return Err(format!(
                    "provider {n}: id {:?} is not lower-case letters, digits and -",
                    p.id
                ));
            }
            if list[..n].iter().any(|q| q.id == p.id || q.issuer == p.issuer) {
                return Err(format!("provider {:?}: its id or issuer is another's too", p.id));
            }
            let issuer =
                openidconnect::url::Url::parse(&p.issuer).map_err(|e| format!("provider {:?}: issuer: {e}", p.id))?;
            let loopback = matches!(issuer.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
            if issuer.scheme() != "https" && !loopback {
                return Err(format!("provider {:?}: the issuer must be https", p.id));
            }
            for (field, value) in [("name", &p.name), ("client_id", &p.client_id), ("agency", &p.agency)] {
                if value.trim().is_empty() {
                    return Err(format!("provider {:?}: {field} is empty", p.id));
                }
            }
        }
        Ok(Providers(list))
    }

    pub fn get(&self, id: &str) -> Option<&ProviderConfig> {
        self.0.iter().find(|p| p.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(id: &str, issuer: &str) -> String {
        format!(
            r#"[{{"id":"{id}","name":"Northshire Police","issuer":"{issuer}","client_id":"pillars",
               "client_secret":"s","agency":"Northshire Police","kind":"entra"}}]"#
        )
    }

    #[test]
    fn a_provider_is_checked_at_the_boundary() {
        let ok = Providers::parse(&one("northshire-police", "https://login.microsoftonline.com/t/v2.0")).unwrap();
        assert_eq!(ok.0[0].kind, ProviderKind::Entra);
        assert!(!ok.0[0].automatic_accounts, "invitations by default");
        assert!(Providers::parse(&one("Police!", "https://idp.example")).is_err());
        assert!(
            Providers::parse(&one("p", "http://idp.example")).is_err(),
            "plain http off loopback"
        );
        assert!(Providers::parse(&one("p", "http://127.0.0.1:9000")).is_ok());
        let two = r#"[{"id":"a","name":"A","issuer":"https://x","client_id":"c","client_secret":"s","agency":"A"},
                      {"id":"b","name":"B","issuer":"https://x","client_id":"c","client_secret":"s","agency":"B"}]"#;
        assert!(Providers::parse(two).unwrap_err().contains("another's"));
        assert!(Providers::parse(r#"[{"id":"a","extra":1}]"#).is_err());
        assert!(
            !format!("{:?}", ok.0[0]).contains("\"s\""),
            "the secret stays out of logs"
        );
    }
}
