//! Errors of Wix calls, with Wix's error body (wix-api.md §7.1) parsed.

use serde::Deserialize;

#[derive(Debug, Clone, thiserror::Error)]
pub enum WixError {
    /// Wix answered with a non-200 status.
    #[error("Wix answered {status}{}: {message}", code.as_deref().map(|c| format!(" ({c})")).unwrap_or_default())]
    Api {
        status: u16,
        /// `details.applicationError.code`, when the body had one.
        code: Option<String>,
        message: String,
        /// `x-wix-request-id`, for support.
        request_id: Option<String>,
        /// Seconds from a `Retry-After` header (429, 503).
        retry_after_secs: Option<u64>,
    },
    /// No answer within the configured timeout.
    #[error("Wix did not answer in time")]
    Timeout,
    /// Connection refused, reset, DNS failure…
    #[error("cannot reach Wix: {0}")]
    Transport(String),
    /// A 200 whose body is not what the contract says.
    #[error("unexpected response from Wix: {0}")]
    Decode(String),
}

impl WixError {
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Api { code, .. } => code.as_deref(),
            _ => None,
        }
    }

    /// 401: the access token was missing, wrong or expired.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(401)
    }

    /// A definite "no" from Wix to the request itself (4xx other than 408/429): retrying the
    /// same request cannot help.
    pub fn is_rejection(&self) -> bool {
        matches!(self.status(), Some(s) if (400..500).contains(&s) && s != 408 && s != 429)
    }

    /// Worth retrying later: timeouts, network failures, 408, 429 and 5xx.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Timeout | Self::Transport(_) => true,
            Self::Api { status, .. } => *status >= 500 || *status == 408 || *status == 429,
            Self::Decode(_) => false,
        }
    }

    pub(crate) fn from_reqwest(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Self::Timeout
        } else if error.is_decode() {
            Self::Decode(error.to_string())
        } else {
            // Without the URL: it can carry query values, and the message is enough.
            Self::Transport(error.without_url().to_string())
        }
    }

    /// Builds the error for a non-200 response from its status, headers and body.
    pub(crate) fn from_response(
        status: u16,
        headers: &reqwest::header::HeaderMap,
        body: &[u8],
    ) -> Self {
        #[derive(Deserialize)]
        struct Body {
            message: Option<String>,
            details: Option<Details>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Details {
            application_error: Option<ApplicationError>,
        }
        #[derive(Deserialize)]
        struct ApplicationError {
            code: Option<serde_json::Value>,
        }
        let parsed: Option<Body> = serde_json::from_slice(body).ok();
        let code = parsed
            .as_ref()
            .and_then(|b| b.details.as_ref())
            .and_then(|d| d.application_error.as_ref())
            .and_then(|a| a.code.as_ref())
            .map(|c| match c {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            });
        let message = parsed
            .and_then(|b| b.message)
            .unwrap_or_else(|| String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned());
        let header = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Self::Api {
            status,
            code,
            message,
            request_id: header("x-wix-request-id"),
            retry_after_secs: header("retry-after").and_then(|v| v.trim().parse().ok()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::WixError;

    #[test]
    fn parses_application_errors() {
        let body = br#"{"message":"Cart not found","details":{"applicationError":{"code":"OWNED_CART_NOT_FOUND","description":"Cart not found","data":{}}}}"#;
        let error = WixError::from_response(404, &Default::default(), body);
        assert_eq!(error.code(), Some("OWNED_CART_NOT_FOUND"));
        assert_eq!(error.status(), Some(404));
        assert!(error.is_rejection());
        assert!(!error.is_transient());
    }

    #[test]
    fn tolerates_bodies_that_are_not_json() {
        let error = WixError::from_response(502, &Default::default(), b"<html>Bad gateway</html>");
        assert_eq!(error.code(), None);
        assert!(error.is_transient());
        assert!(error.to_string().contains("502"));
    }
}
