//! Checking an OpenID Connect Back-Channel Logout token (§2.4, 2.6): its
//! signature against the provider's keys, then `iss`, `aud`, `iat`, `exp`,
//! the back-channel `events` member, a `sub` or `sid`, a `jti`, and no
//! `nonce` (so an ID token can never pass for one).

use super::provider::CLOCK_SKEW;
use super::token_claims::split;
use chrono::{DateTime, Duration as Span, Utc};
use openidconnect::core::{CoreJsonWebKey, CoreJwsSigningAlgorithm};
use openidconnect::{JsonWebKey, JsonWebKeySet};
use serde_json::Value;

const EVENT: &str = "http://schemas.openid.net/event/backchannel-logout";
/// A logout token older than this is refused (its `jti` is kept no longer).
pub const MAX_AGE: Span = Span::minutes(10);

/// Whose sessions a valid logout token ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logout {
    pub sub: Option<String>,
    pub sid: Option<String>,
    pub jti: String,
}

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// No key of the provider's (as known) has the token's `kid`: fetch the
    /// keys again and retry once.
    UnknownKey,
    Invalid(String),
}

/// Checks `jwt` as a logout token from `issuer` for `client_id`.
pub fn check(
    jwt: &str,
    keys: &JsonWebKeySet<CoreJsonWebKey>,
    issuer: &str,
    client_id: &str,
    now: DateTime<Utc>,
) -> Result<Logout, Refused> {
    let bad = |why: &str| Refused::Invalid(why.to_string());
    let parts = split(jwt).map_err(Refused::Invalid)?;
    if parts.header["alg"] != "RS256" {
        return Err(bad("only RS256 logout tokens are accepted"));
    }
    match parts.header.get("typ") {
        None => {}
        Some(Value::String(t)) if t.eq_ignore_ascii_case("logout+jwt") => {}
        Some(_) => return Err(bad("the token's typ is not logout+jwt")),
    }
    let kid = parts.header["kid"].as_str();
    let key = keys
        .keys()
        .iter()
        .find(|k| k.key_id().map(|id| id.as_str()) == kid || kid.is_none() && keys.keys().len() == 1)
        .ok_or(Refused::UnknownKey)?;
    key.verify_signature(
        &CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        parts.signed.as_bytes(),
        &parts.signature,
    )
    .map_err(|e| Refused::Invalid(format!("bad signature: {e}")))?;
    let claims = &parts.payload;
    if claims["iss"] != issuer {
        return Err(bad("the issuer is not the provider's"));
    }
    let audience_ok = match &claims["aud"] {
        Value::String(aud) => aud == client_id,
        Value::Array(auds) => auds.iter().any(|a| a == client_id),
        _ => false,
    };
    if !audience_ok {
        return Err(bad("the token is not for Pillars (aud)"));
    }
    let at = |name: &str| claims[name].as_i64().and_then(|s| DateTime::from_timestamp(s, 0));
    let iat = at("iat").ok_or_else(|| bad("no iat"))?;
    if iat > now + CLOCK_SKEW || iat < now - MAX_AGE - CLOCK_SKEW {
        return Err(bad("issued too long ago or in the future"));
    }
    if at("exp").is_some_and(|exp| exp < now - CLOCK_SKEW) {
        return Err(bad("expired"));
    }
    if !claims["events"][EVENT].is_object() {
        return Err(bad("no back-channel logout event"));
    }
    if claims.get("nonce").is_some() {
        return Err(bad("a logout token has no nonce"));
    }
    let text = |name: &str| claims[name].as_str().filter(|s| !s.is_empty()).map(str::to_string);
    let (sub, sid) = (text("sub"), text("sid"));
    if sub.is_none() && sid.is_none() {
        return Err(bad("neither sub nor sid"));
    }
    let jti = text("jti").ok_or_else(|| bad("no jti"))?;
    Ok(Logout { sub, sid, jti })
}
