//! Password hashing with argon2id (the `argon2` crate's defaults, PHC
//! strings), run off the async threads because it is deliberately slow.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Shortest password accepted.
pub const MIN_LENGTH: usize = 12;
/// Longest password accepted (long passphrases are welcome; this only
/// bounds the work of hashing one).
pub const MAX_LENGTH: usize = 256;

/// Whether `password` may be set, as the NCSC advises: long enough, and not
/// one of the commonest passwords; no rules about kinds of character. The
/// refusal says why, naming the field.
pub fn check_new(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(format!("password: use at least {MIN_LENGTH} characters"));
    }
    if length > MAX_LENGTH {
        return Err(format!("password: use at most {MAX_LENGTH} characters"));
    }
    if super::common_passwords::is_common(password) {
        return Err("password: that is one of the most common passwords; choose another \
                    (three random words make a good one)"
            .into());
    }
    Ok(())
}

pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await?
}

/// Whether `password` matches `phc`. With no stored hash, a dummy one is
/// checked so that unknown emails take as long as wrong passwords.
pub async fn verify(password: String, phc: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        // An account without a password (one that signs in through its
        // provider) takes as long to refuse as a wrong password: the time
        // does not tell which accounts have none.
        let usable = phc.as_deref().and_then(|p| PasswordHash::new(p).ok()).is_some();
        let phc = phc.filter(|_| usable).unwrap_or_else(|| DUMMY.to_string());
        let Ok(parsed) = PasswordHash::new(&phc) else {
            return false;
        };
        Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok() && usable
    })
    .await
    .unwrap_or(false)
}

/// argon2id of a random password nobody knows.
const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$4B/3YkStz5BFSPuqu1z6YYwWbb3ybVZDWZ3KAIXOiTQ";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_passwords_are_long_and_uncommon() {
        assert!(check_new("correct horse battery staple").is_ok());
        assert!(check_new("short").unwrap_err().contains("at least 12"));
        assert!(check_new(&"x".repeat(MAX_LENGTH + 1)).unwrap_err().contains("at most"));
        for common in ["password1234", "Qwertyuiop123"] {
            assert!(check_new(common).unwrap_err().contains("most common"), "{common}");
        }
    }

    #[tokio::test]
    async fn a_hash_verifies_only_its_password() {
        let phc = hash("correct horse battery".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify("correct horse battery".into(), Some(phc.clone())).await);
        assert!(!verify("wrong horse battery".into(), Some(phc)).await);
        assert!(!verify("anything".into(), None).await);
        assert!(!verify("anything".into(), Some("not a hash".into())).await);
    }
}
