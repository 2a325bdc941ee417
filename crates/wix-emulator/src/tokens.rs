//! Token strings that look like Wix's: `OauthNG.JWS.<header>.<payload>.<signature>` access
//! tokens of about 1 KB (so cookie-size problems show up here, not in production) and
//! `JWS.`-prefixed refresh tokens. They are opaque to clients; the store maps them to identities.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use rand::{distributions::Alphanumeric, Rng, RngCore};
use serde_json::json;

/// Size of the instance blob inside the payload, chosen so the whole token is about 1 KB like
/// the real ones.
const INSTANCE_BLOB_CHARS: usize = 560;

pub fn access_token(identity_id: &str, issued_at: i64, expires_at: i64) -> String {
    let header = json!({"kid": "emulator-1", "alg": "RS256"});
    let instance: String = rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(INSTANCE_BLOB_CHARS)
        .map(char::from)
        .collect();
    let payload = json!({
        "data": format!("{{\"instance\":{{\"siteOwnerId\":\"emulator\",\"visitorId\":\"{identity_id}\",\"blob\":\"{instance}\"}}}}"),
        "iat": issued_at,
        "exp": expires_at,
    });
    format!(
        "OauthNG.JWS.{}.{}.{}",
        encode(&header.to_string()),
        encode(&payload.to_string()),
        random_segment(64)
    )
}

pub fn refresh_token(identity_id: &str, issued_at: i64) -> String {
    let header = json!({"kid": "emulator-1", "alg": "RS256"});
    let payload = json!({"data": format!("{{\"id\":\"{identity_id}\"}}"), "iat": issued_at});
    format!(
        "JWS.{}.{}.{}",
        encode(&header.to_string()),
        encode(&payload.to_string()),
        random_segment(32)
    )
}

fn encode(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(text)
}

fn random_segment(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buffer);
    URL_SAFE_NO_PAD.encode(buffer)
}

#[cfg(test)]
mod tests {
    #[test]
    fn access_tokens_are_wix_sized_and_unique() {
        let a = super::access_token("id", 1, 2);
        let b = super::access_token("id", 1, 2);
        assert!(a.starts_with("OauthNG.JWS."));
        assert!((900..=1300).contains(&a.len()), "{}", a.len());
        assert_ne!(a, b);
        assert!(super::refresh_token("id", 1).starts_with("JWS."));
    }
}
