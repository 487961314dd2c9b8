//! A portfolio view's links: its filter written back as a query, the query
//! as a URL's query string, and the drill-down in and out.

use super::{Only, PortfolioFilter, PortfolioQuery, Scope};

impl PortfolioFilter {
    /// The query that asks for this filter (for links and the CSV).
    pub fn to_query(&self) -> PortfolioQuery {
        PortfolioQuery {
            threat: self.threat.as_ref().map(|k| k.to_string()),
            tier: self.tier.map(|t| t.get().to_string()),
            model: self.model.map(|m| m.key().to_string()),
            agency: self.agency.clone(),
            from: Some(self.from.to_string()),
            to: Some(self.to.to_string()),
            list: self.drill.as_ref().map(|d| match &d.scope {
                Scope::All => "all".to_string(),
                Scope::Untagged => "untagged".to_string(),
                Scope::Threat(k) => k.to_string(),
            }),
            only: self.drill.as_ref().map(|d| d.only.key()),
        }
    }
}

impl PortfolioQuery {
    /// The query string (without `?`) for links: values percent-encoded,
    /// empty ones left out.
    pub fn to_url_query(&self) -> String {
        self.to_pairs()
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The values given, by name (as a form's fields carry them).
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let pairs = [
            ("threat", &self.threat),
            ("tier", &self.tier),
            ("model", &self.model),
            ("agency", &self.agency),
            ("from", &self.from),
            ("to", &self.to),
            ("list", &self.list),
            ("only", &self.only),
        ];
        pairs
            .iter()
            .filter_map(|(k, v)| {
                v.as_deref()
                    .filter(|v| !v.is_empty())
                    .map(|v| (k.to_string(), v.to_string()))
            })
            .collect()
    }

    /// This query listing the plans behind one count.
    pub fn drilled(&self, list: &str, only: Only) -> PortfolioQuery {
        PortfolioQuery {
            list: Some(list.to_string()),
            only: Some(only.key()),
            ..self.clone()
        }
    }

    /// This query without a drill-down.
    pub fn undrilled(&self) -> PortfolioQuery {
        PortfolioQuery {
            list: None,
            only: None,
            ..self.clone()
        }
    }
}

/// `value` percent-encoded for a URL's query: only unreserved characters
/// stay as they are.
pub fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_encode_their_values() {
        let q = PortfolioQuery {
            agency: Some("Housing & Co".into()),
            tier: Some("2".into()),
            ..Default::default()
        };
        assert_eq!(
            q.drilled("all", Only::Plans).to_url_query(),
            "tier=2&agency=Housing%20%26%20Co&list=all&only=plans"
        );
    }
}
