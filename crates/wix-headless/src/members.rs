//! Members (wix-api.md §2, §3, §9.3): sign-in on Wix's hosted login page with the
//! authorization-code flow and PKCE, sign-out, the current member.
//!
//! The steps are the JS SDK's `OAuthStrategy` ones: [`OAuthData::generate`]
//! (`generateOAuthData`), [`WixClient::member_login_url`] (`getAuthUrl`), [`AuthCallback::parse`]
//! (`parseFromUrl`), [`WixClient::member_tokens`] (`getMemberTokens`), [`WixClient::logout_url`]
//! (`logout`), [`WixClient::current_member`] (`getCurrentMember`). One deliberate difference:
//! the code comes back in the query string (`responseMode: "query"`, Wix's REST default), not
//! the SDK's default fragment, which a browser never sends to the server.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};
use rand::RngCore;
use reqwest::Method;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::{
    auth::TokenRequest,
    client::WixClient,
    error::WixError,
    tokens::{TokenRole, Tokens},
};

/// What one sign-in needs to remember between sending the shopper to Wix and their return:
/// the SDK's `OAuthData`. The verifier never leaves the server; Wix sees only its challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthData {
    /// Random, sent to Wix and expected back unchanged: ties the return to this sign-in.
    pub state: String,
    /// PKCE: base64url of 32 random bytes (43 characters).
    pub code_verifier: String,
    /// Where Wix sends the shopper back (allow-listed in the Headless app, exact match).
    pub redirect_uri: String,
}

impl OAuthData {
    /// Fresh state and verifier for one sign-in returning to `redirect_uri`.
    pub fn generate(redirect_uri: impl Into<String>) -> Self {
        Self {
            state: random_base64url::<24>(),
            code_verifier: random_base64url::<32>(),
            redirect_uri: redirect_uri.into(),
        }
    }

    /// PKCE's S256 challenge: base64url (no padding) of the verifier's SHA-256.
    pub fn code_challenge(&self) -> String {
        URL_SAFE_NO_PAD.encode(Sha256::digest(self.code_verifier.as_bytes()))
    }
}

fn random_base64url<const N: usize>() -> String {
    let mut bytes = [0u8; N];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What Wix sent back to the redirect URI (`code`, `state`, `error`, `error_description`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthCallback {
    Code {
        code: String,
        state: Option<String>,
    },
    /// The shopper declined, or Wix could not sign them in (`access_denied`, …).
    Refused {
        error: String,
        description: Option<String>,
        state: Option<String>,
    },
}

impl AuthCallback {
    /// Reads the callback's query string; `None` when it carries neither a code nor an error.
    pub fn parse(query: &str) -> Option<Self> {
        let (mut code, mut state, mut error, mut description) = (None, None, None, None);
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            let value = Some(value.into_owned()).filter(|v| !v.is_empty());
            match &*key {
                "code" => code = value,
                "state" => state = value,
                "error" => error = value,
                "error_description" => description = value,
                _ => {}
            }
        }
        match (error, code) {
            // An error wins: Wix would not send a usable code with one.
            (Some(error), _) => Some(Self::Refused {
                error,
                description,
                state,
            }),
            (None, Some(code)) => Some(Self::Code { code, state }),
            (None, None) => None,
        }
    }
}

/// Why a return from Wix's login page gave no member tokens.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SignInError {
    /// The shopper declined or Wix refused (`error` in the callback).
    #[error("Wix did not sign the member in: {error}")]
    Refused {
        error: String,
        description: Option<String>,
    },
    /// The state is not the one this sign-in sent: a forged, replayed or crossed return.
    #[error("the sign-in state does not match")]
    StateMismatch,
    /// The code was refused (expired, used already, or not for this verifier or redirect URI).
    #[error("the sign-in code was refused")]
    CodeRefused,
    #[error(transparent)]
    Wix(WixError),
}

/// A site member, as `members/my` describes them (FULL fieldset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub nickname: Option<String>,
}

impl Member {
    /// How to greet them: first and last name, else the nickname, else the email.
    pub fn display_name(&self) -> String {
        let full = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        [Some(full), self.nickname.clone(), self.email.clone()]
            .into_iter()
            .flatten()
            .find(|name| !name.trim().is_empty())
            .unwrap_or_else(|| "Member".to_owned())
    }

    /// The short form for the header: the first name, else the whole display name.
    pub fn short_name(&self) -> String {
        self.first_name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| self.display_name())
    }
}

mod wire {
    use serde::Deserialize;

    #[derive(Deserialize)]
    pub struct Envelope {
        pub member: Member,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Member {
        pub id: String,
        #[serde(default)]
        pub login_email: Option<String>,
        #[serde(default)]
        pub contact: Option<Contact>,
        #[serde(default)]
        pub profile: Option<Profile>,
    }

    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct Contact {
        #[serde(default)]
        pub first_name: Option<String>,
        #[serde(default)]
        pub last_name: Option<String>,
    }

    #[derive(Deserialize, Default)]
    pub struct Profile {
        #[serde(default)]
        pub nickname: Option<String>,
    }
}

impl From<wire::Member> for Member {
    fn from(member: wire::Member) -> Self {
        let contact = member.contact.unwrap_or_default();
        let non_empty = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
        Self {
            id: member.id,
            email: non_empty(member.login_email),
            first_name: non_empty(contact.first_name),
            last_name: non_empty(contact.last_name),
            nickname: non_empty(member.profile.and_then(|p| p.nickname)),
        }
    }
}

/// The hosted-login redirect session (§3, §9.3): the SDK's `getAuthUrl` body with the code
/// delivered in the query string. `prompt: "login"` as the SDK sends it, a sibling of
/// `authRequest`; Wix's REST client omits it, and Wix's schema does not list it (UNCONFIRMED
/// which Wix requires; the emulator accepts both).
fn login_body(client_id: &str, data: &OAuthData) -> serde_json::Value {
    json!({
        "auth": {
            "authRequest": {
                "clientId": client_id,
                "codeChallenge": data.code_challenge(),
                "codeChallengeMethod": "S256",
                "redirectUri": data.redirect_uri,
                "responseMode": "query",
                "responseType": "code",
                "scope": "offline_access",
                "state": data.state,
            },
            "prompt": "login",
        }
    })
}

/// The logout redirect session (§3, §9.3): Wix signs the member out of its own domain and sends
/// the browser to `post_flow_url`.
fn logout_body(client_id: &str, post_flow_url: &str) -> serde_json::Value {
    json!({
        "logout": {"clientId": client_id},
        "callbacks": {"postFlowUrl": post_flow_url},
    })
}

/// `members/my` with the FULL fieldset (names and email). The SDK sends `fieldsets`, Wix's REST
/// client `fieldSet`; which one Wix reads is UNCONFIRMED, so both are sent.
const CURRENT_MEMBER_PATH: &str = "/members/v1/members/my?fieldsets=FULL&fieldSet=FULL";

impl WixClient {
    /// Where to send the shopper to sign in: Wix's hosted login page, which returns to
    /// `data.redirect_uri` with a code. `access_token`: the visitor's (any valid token will do).
    pub async fn member_login_url(
        &self,
        access_token: &str,
        data: &OAuthData,
    ) -> Result<String, WixError> {
        crate::redirects::create(self, access_token, &login_body(self.client_id(), data)).await
    }

    /// The SDK's `getMemberTokens`: checks the state, then exchanges the code (with the same
    /// verifier and redirect URI) for member tokens.
    pub async fn member_tokens(
        &self,
        callback: AuthCallback,
        data: &OAuthData,
    ) -> Result<Tokens, SignInError> {
        let (code, state) = match callback {
            AuthCallback::Refused {
                error, description, ..
            } => return Err(SignInError::Refused { error, description }),
            AuthCallback::Code { code, state } => (code, state),
        };
        if state.as_deref() != Some(data.state.as_str()) {
            return Err(SignInError::StateMismatch);
        }
        let now = self.now();
        let response = self
            .token_call(&TokenRequest {
                client_id: self.client_id(),
                grant_type: "authorization_code",
                code: Some(&code),
                code_verifier: Some(&data.code_verifier),
                redirect_uri: Some(&data.redirect_uri),
                ..TokenRequest::default()
            })
            .await
            .map_err(|error| match error {
                WixError::InvalidGrant => SignInError::CodeRefused,
                other => SignInError::Wix(other),
            })?;
        Ok(response.into_tokens(now, TokenRole::Member))
    }

    /// The SDK's `logout`: a redirect session, created with the member's own token, through
    /// which Wix signs them out and returns the browser to `post_flow_url`. The caller drops the
    /// member's tokens whatever this answers.
    pub async fn logout_url(
        &self,
        member_access_token: &str,
        post_flow_url: &str,
    ) -> Result<String, WixError> {
        let body = logout_body(self.client_id(), post_flow_url);
        crate::redirects::create(self, member_access_token, &body).await
    }

    /// The member the token belongs to. `None` for a visitor's token (Wix answers 403 "Missing
    /// site member id") or a site without member profiles (404), as Wix's own clients read it;
    /// a 401 stays an error, so the caller can renew the token.
    pub async fn current_member(&self, access_token: &str) -> Result<Option<Member>, WixError> {
        let answer: Result<wire::Envelope, _> = self
            .read(
                Method::GET,
                CURRENT_MEMBER_PATH,
                Some(access_token),
                None::<&()>,
            )
            .await;
        match answer {
            Ok(envelope) => Ok(Some(envelope.member.into())),
            Err(WixError::NotFound { .. } | WixError::Refused { status: 403, .. }) => Ok(None),
            Err(error) => Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_is_s256_of_a_43_character_verifier() {
        let data = OAuthData::generate("https://shop.example.com/auth/callback");
        assert_eq!(data.code_verifier.len(), 43);
        assert!(data
            .code_verifier
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'));
        assert_ne!(data.state, data.code_verifier);
        assert_ne!(
            OAuthData::generate("x").state,
            data.state,
            "fresh each time"
        );
        // RFC 7636, appendix B.
        let rfc = OAuthData {
            code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into(),
            ..data
        };
        assert_eq!(
            rfc.code_challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn the_login_and_logout_sessions_are_the_sdks_bodies() {
        let data = OAuthData {
            state: "s".into(),
            code_verifier: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into(),
            redirect_uri: "https://shop.example.com/auth/callback".into(),
        };
        assert_eq!(
            login_body("client", &data),
            json!({"auth": {"authRequest": {
                "clientId": "client",
                "codeChallenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                "codeChallengeMethod": "S256",
                "redirectUri": "https://shop.example.com/auth/callback",
                "responseMode": "query", "responseType": "code",
                "scope": "offline_access", "state": "s"},
                "prompt": "login"}})
        );
        assert_eq!(
            logout_body("client", "https://shop.example.com/"),
            json!({"logout": {"clientId": "client"},
                   "callbacks": {"postFlowUrl": "https://shop.example.com/"}})
        );
    }

    #[test]
    fn callbacks_are_read_as_wix_sends_them() {
        assert_eq!(
            AuthCallback::parse("code=abc&state=s1&wixMemberLoggedIn=true"),
            Some(AuthCallback::Code {
                code: "abc".into(),
                state: Some("s1".into())
            })
        );
        assert_eq!(
            AuthCallback::parse(
                "error=access_denied&error_description=The+member+cancelled&state=s1"
            ),
            Some(AuthCallback::Refused {
                error: "access_denied".into(),
                description: Some("The member cancelled".into()),
                state: Some("s1".into())
            })
        );
        assert_eq!(
            AuthCallback::parse("code=abc&error=server_error"),
            Some(AuthCallback::Refused {
                error: "server_error".into(),
                description: None,
                state: None
            }),
            "an error wins over a code"
        );
        assert_eq!(AuthCallback::parse(""), None);
        assert_eq!(AuthCallback::parse("code=&state=s"), None, "an empty code");
        assert_eq!(AuthCallback::parse("%ZZ=%%&code"), None, "garbage");
    }

    #[test]
    fn members_are_greeted_by_the_best_name_wix_has() {
        let member: Member = serde_json::from_value::<wire::Envelope>(json!({"member": {
            "id": "m1", "loginEmail": "ada@example.com",
            "contact": {"firstName": "Ada", "lastName": "Lovelace"},
            "profile": {"nickname": "ada"}, "createdDate": "2024-01-01T00:00:00Z"}}))
        .expect("member")
        .member
        .into();
        assert_eq!(member.display_name(), "Ada Lovelace");
        assert_eq!(member.short_name(), "Ada");
        let bare: Member = serde_json::from_value::<wire::Member>(
            json!({"id": "m2", "loginEmail": "g@example.com", "contact": {"firstName": " "}}),
        )
        .expect("member")
        .into();
        assert_eq!(bare.display_name(), "g@example.com");
        assert_eq!(bare.short_name(), "g@example.com");
    }
}
