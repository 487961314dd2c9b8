//! The claims of a JWT's payload that `openidconnect`'s core types leave
//! out (Entra's `tid` and `oid`, the session's `sid`, a logout token's
//! `events`). Read only from a token whose signature is checked, by
//! `openidconnect` for ID tokens or by [`super::logout_token`].

use super::error::SsoError;
use base64::Engine;
use serde::Deserialize;

/// What Pillars reads of a token's payload.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Claims {
    #[serde(default)]
    pub sub: String,
    pub email: Option<String>,
    /// Some providers send `"true"`; anything but `true` is unverified.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub email_verified: bool,
    pub name: Option<String>,
    pub sid: Option<String>,
    pub tid: Option<String>,
    pub oid: Option<String>,
    /// Entra: the sign-in name (UPN), which the tenant's administrators set.
    pub preferred_username: Option<String>,
    /// Entra: whether the email's domain is verified as the tenant's.
    #[serde(default, deserialize_with = "lenient_bool")]
    pub xms_edov: bool,
}

fn lenient_bool<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Bool(b) => b,
        serde_json::Value::String(s) => s == "true",
        _ => false,
    })
}

/// A compact JWT's three parts, the first two decoded.
pub struct Parts<'t> {
    pub header: serde_json::Value,
    pub payload: serde_json::Value,
    /// `header.payload`, as signed.
    pub signed: &'t str,
    pub signature: Vec<u8>,
}

/// Splits and decodes a compact JWT (no signature check).
pub fn split(jwt: &str) -> Result<Parts<'_>, String> {
    let mut dots = jwt.match_indices('.').map(|(at, _)| at);
    let (Some(first), Some(second), None) = (dots.next(), dots.next(), dots.next()) else {
        return Err("not a compact JWT of three parts".into());
    };
    let decode = |part: &str| {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(part)
            .map_err(|e| format!("bad base64url: {e}"))
    };
    let json = |part: &str| -> Result<serde_json::Value, String> {
        serde_json::from_slice(&decode(part)?).map_err(|e| format!("bad JSON: {e}"))
    };
    Ok(Parts {
        header: json(&jwt[..first])?,
        payload: json(&jwt[first + 1..second])?,
        signed: &jwt[..second],
        signature: decode(&jwt[second + 1..])?,
    })
}

/// The claims of a token already checked.
pub fn read(jwt: &str) -> Result<Claims, SsoError> {
    let parts = split(jwt).map_err(SsoError::Refused)?;
    serde_json::from_value(parts.payload).map_err(|e| SsoError::Refused(format!("unreadable claims: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        let b = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!("{}.{}.{}", b(r#"{"alg":"RS256"}"#), b(payload), b("sig"))
    }

    #[test]
    fn claims_are_read_leniently_but_never_verified_by_accident() {
        let c = read(&jwt(r#"{"sub":"s","email_verified":"true","tid":"t","oid":"o"}"#)).unwrap();
        assert!(c.email_verified);
        assert_eq!((c.tid.as_deref(), c.oid.as_deref()), (Some("t"), Some("o")));
        assert!(!read(&jwt(r#"{"sub":"s","email_verified":1}"#)).unwrap().email_verified);
        assert!(!read(&jwt(r#"{"sub":"s"}"#)).unwrap().email_verified);
        assert!(read("a.b").is_err());
        assert!(read("a.b.c.d").is_err());
        assert!(split(&jwt("{}"))
            .unwrap()
            .signed
            .ends_with(&jwt("{}").split('.').nth(1).unwrap().to_string()));
    }
}
