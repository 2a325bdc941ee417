//! The SDK's token model (wix-api.md §2.2), serialised exactly as the JS SDK stores it.

use std::sync::{
    atomic::{AtomicI64, Ordering},
    Arc,
};

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum TokenRole {
    Visitor,
    Member,
    #[default]
    None,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct AccessToken {
    pub value: String,
    /// Unix seconds.
    pub expires_at: i64,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct RefreshToken {
    pub value: String,
    pub role: TokenRole,
}

/// `{accessToken: {value, expiresAt}, refreshToken: {value, role}}`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Tokens {
    pub access_token: AccessToken,
    pub refresh_token: RefreshToken,
}

// Token values are secrets: Debug never prints them, so they cannot reach a log by accident.
impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessToken")
            .field("value", &redacted(&self.value))
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

impl std::fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RefreshToken")
            .field("value", &redacted(&self.value))
            .field("role", &self.role)
            .finish()
    }
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("access_token", &self.access_token)
            .field("refresh_token", &self.refresh_token)
            .finish()
    }
}

fn redacted(value: &str) -> &'static str {
    if value.is_empty() {
        "<empty>"
    } else {
        "<redacted>"
    }
}

impl Tokens {
    /// The SDK's empty tokens (role `none`).
    pub fn empty() -> Self {
        Self::default()
    }

    /// Both values present.
    pub fn is_complete(&self) -> bool {
        !self.access_token.value.is_empty() && !self.refresh_token.value.is_empty()
    }

    pub fn has_refresh_token(&self) -> bool {
        !self.refresh_token.value.is_empty()
    }
}

impl AccessToken {
    /// Expired, or about to: `margin_secs` early, so a token never expires on its way to Wix.
    /// The SDK uses no margin (`expiresAt < now`); with `margin_secs = 0` this is the same test.
    pub fn is_expired(&self, now: i64, margin_secs: i64) -> bool {
        self.value.is_empty() || self.expires_at - margin_secs < now
    }
}

/// Time source, so every token branch can be tested without waiting.
pub trait Clock: Send + Sync + 'static {
    /// Unix seconds.
    fn now(&self) -> i64;
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or_default()
    }
}

/// A clock tests move by hand.
#[derive(Debug, Clone, Default)]
pub struct FakeClock(Arc<AtomicI64>);

impl FakeClock {
    pub fn at(now: i64) -> Self {
        Self(Arc::new(AtomicI64::new(now)))
    }

    pub fn advance(&self, secs: i64) {
        self.0.fetch_add(secs, Ordering::SeqCst);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_like_the_sdk() {
        let tokens = Tokens {
            access_token: AccessToken {
                value: "OauthNG.JWS.x".into(),
                expires_at: 1_767_225_600,
            },
            refresh_token: RefreshToken {
                value: "JWS.y".into(),
                role: TokenRole::Visitor,
            },
        };
        let json = serde_json::to_value(&tokens).expect("serialises");
        assert_eq!(
            json,
            serde_json::json!({"accessToken": {"value": "OauthNG.JWS.x", "expiresAt": 1_767_225_600},
                               "refreshToken": {"value": "JWS.y", "role": "visitor"}})
        );
        let empty = serde_json::to_value(Tokens::empty()).expect("serialises");
        assert_eq!(empty["refreshToken"]["role"], "none");
    }

    #[test]
    fn expiry_honours_the_margin() {
        let token = AccessToken {
            value: "t".into(),
            expires_at: 1_000,
        };
        assert!(!token.is_expired(999, 0));
        assert!(!token.is_expired(1_000, 0), "the SDK's test is strict");
        assert!(token.is_expired(1_001, 0));
        assert!(token.is_expired(941, 60), "60 s early");
        assert!(!token.is_expired(940, 60));
        assert!(
            AccessToken::default().is_expired(0, 0),
            "an empty token is expired"
        );
    }

    #[test]
    fn debug_output_never_shows_token_values() {
        let tokens = Tokens {
            access_token: AccessToken {
                value: "OauthNG.JWS.secret".into(),
                expires_at: 1,
            },
            refresh_token: RefreshToken {
                value: "JWS.secret".into(),
                role: TokenRole::Member,
            },
        };
        let printed = format!("{tokens:?}");
        assert!(!printed.contains("secret"), "{printed}");
    }
}
