//! Why a Wix call failed, as types (wix-api.md §7): callers branch on these variants and on
//! [`ErrorCode`], never on message text. Wix's error body (§7.1) is parsed once, here.

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WixError {
    /// 404: the product, category, line or page does not exist.
    #[error("not found at Wix{}", code_suffix(code.as_deref()))]
    NotFound { code: Option<String> },
    /// A cart call found no current cart (404 on a cart endpoint, §5.4 and §5b 3.1).
    #[error("the visitor has no current cart")]
    NoCart,
    /// The token endpoint refused the refresh token or code: this identity is gone (§2).
    #[error("Wix refused the token grant")]
    InvalidGrant,
    /// 401: the access token was missing, wrong or expired (§7.2).
    #[error("Wix did not accept the access token")]
    Unauthorized,
    /// 429, with `Retry-After` when Wix sent one.
    #[error("Wix is rate limiting requests")]
    RateLimited { retry_after_secs: Option<u64> },
    /// 5xx: a failure on Wix's side; may pass.
    #[error("Wix is unavailable ({status})")]
    Unavailable { status: u16 },
    /// No answer within the configured timeout.
    #[error("Wix did not answer in time")]
    Timeout,
    /// Connection refused, reset, DNS failure…
    #[error("cannot reach Wix: {0}")]
    Unreachable(String),
    /// Any other 4xx: Wix said no to this request; retrying it as it is cannot help.
    #[error("Wix refused the request ({status}{}): {message}", code_suffix(Some(code.as_str())))]
    Refused {
        status: u16,
        code: ErrorCode,
        message: String,
    },
    /// A 200 whose body is not what the contract says.
    #[error("unexpected response from Wix: {0}")]
    Decode(String),
}

fn code_suffix(code: Option<&str>) -> String {
    code.filter(|c| !c.is_empty())
        .map(|c| format!(", {c}"))
        .unwrap_or_default()
}

/// Wix's application error codes (`details.applicationError.code`, §5.4, §5b.5, §9.2) that the
/// storefront acts on; anything else is kept as [`ErrorCode::Other`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorCode {
    /// `LINE_ITEM_NOT_FOUND_IN_CART`: the line is gone (another tab removed it).
    LineItemNotFound,
    /// `ITEM_NOT_FOUND_IN_CATALOG`: the product or variant does not exist (any more).
    ItemNotFoundInCatalog,
    /// `INSUFFICIENT_INVENTORY`.
    InsufficientInventory,
    /// `CART_ALREADY_ORDERED`: the cart became an order.
    CartAlreadyOrdered,
    /// `SITE_MUST_ACCEPT_PAYMENTS_TO_CREATE_CHECKOUT`.
    PaymentsNotAccepted,
    /// `CANT_CREATE_CHECKOUT_WITHOUT_LINE_ITEMS`, `EMPTY_CART` (UNCONFIRMED which, §5.4).
    EmptyCheckout,
    /// A coupon code Wix does not know (`INVALID_COUPON_CODE`, `ERROR_COUPON_DOES_NOT_EXIST`).
    CouponUnknown,
    /// An expired coupon (`INVALID_COUPON_STATUS` with reason `EXPIRED`, `ERROR_COUPON_EXPIRED`).
    CouponExpired,
    /// A coupon that does not apply to this cart (`INVALID_COUPON_STATUS` with another reason,
    /// `ERROR_COUPON_NOT_APPLICABLE`).
    CouponNotApplicable,
    /// `COUPON_ALREADY_EXISTS`, `MAX_COUPONS_PER_CART_EXCEEDED`: one coupon per cart.
    CouponAlreadyApplied,
    /// A `validationError` body: the request itself is malformed.
    Validation,
    /// No code in the body.
    None,
    Other(String),
}

impl ErrorCode {
    /// Reads an application code; `reason` is `data.reason` (INVALID_COUPON_STATUS).
    fn parse(code: &str, reason: Option<&str>) -> Self {
        match code {
            "LINE_ITEM_NOT_FOUND_IN_CART" => Self::LineItemNotFound,
            "ITEM_NOT_FOUND_IN_CATALOG" => Self::ItemNotFoundInCatalog,
            "INSUFFICIENT_INVENTORY" => Self::InsufficientInventory,
            "CART_ALREADY_ORDERED" => Self::CartAlreadyOrdered,
            "SITE_MUST_ACCEPT_PAYMENTS_TO_CREATE_CHECKOUT" => Self::PaymentsNotAccepted,
            "CANT_CREATE_CHECKOUT_WITHOUT_LINE_ITEMS" | "EMPTY_CART" | "EMPTY_CHECKOUT" => {
                Self::EmptyCheckout
            }
            // The SDK declares INVALID_COUPON_*; Wix's reference client keys on ERROR_COUPON_*
            // (UNCONFIRMED which the live API sends, §9.2): both are read.
            "INVALID_COUPON_CODE" | "ERROR_COUPON_DOES_NOT_EXIST" => Self::CouponUnknown,
            "ERROR_COUPON_EXPIRED" => Self::CouponExpired,
            "INVALID_COUPON_STATUS" if reason == Some("EXPIRED") => Self::CouponExpired,
            "INVALID_COUPON_STATUS" | "ERROR_COUPON_NOT_APPLICABLE" => Self::CouponNotApplicable,
            "COUPON_ALREADY_EXISTS" | "MAX_COUPONS_PER_CART_EXCEEDED" => Self::CouponAlreadyApplied,
            "" => Self::None,
            other => Self::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Self::LineItemNotFound => "LINE_ITEM_NOT_FOUND_IN_CART",
            Self::ItemNotFoundInCatalog => "ITEM_NOT_FOUND_IN_CATALOG",
            Self::InsufficientInventory => "INSUFFICIENT_INVENTORY",
            Self::CartAlreadyOrdered => "CART_ALREADY_ORDERED",
            Self::PaymentsNotAccepted => "SITE_MUST_ACCEPT_PAYMENTS_TO_CREATE_CHECKOUT",
            Self::EmptyCheckout => "EMPTY_CHECKOUT",
            Self::CouponUnknown => "INVALID_COUPON_CODE",
            Self::CouponExpired => "COUPON_EXPIRED",
            Self::CouponNotApplicable => "COUPON_NOT_APPLICABLE",
            Self::CouponAlreadyApplied => "COUPON_ALREADY_EXISTS",
            Self::Validation => "VALIDATION",
            Self::None => "",
            Self::Other(code) => code,
        }
    }
}

impl WixError {
    /// The HTTP status Wix answered, when it answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::NotFound { .. } | Self::NoCart => Some(404),
            Self::Unauthorized => Some(401),
            Self::RateLimited { .. } => Some(429),
            Self::Unavailable { status } | Self::Refused { status, .. } => Some(*status),
            Self::InvalidGrant | Self::Timeout | Self::Unreachable(_) | Self::Decode(_) => None,
        }
    }

    /// Wix's application code, when it refused the request with one.
    pub fn code(&self) -> Option<&ErrorCode> {
        match self {
            Self::Refused { code, .. } => Some(code),
            _ => None,
        }
    }

    /// Worth trying again later: timeouts, network failures, 429 and 5xx.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Timeout
                | Self::Unreachable(_)
                | Self::RateLimited { .. }
                | Self::Unavailable { .. }
        )
    }

    pub(crate) fn from_reqwest(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Self::Timeout
        } else if error.is_decode() {
            Self::Decode(error.to_string())
        } else {
            // Without the URL: it can carry query values, and the message is enough.
            Self::Unreachable(error.without_url().to_string())
        }
    }

    /// Builds the error for a non-200 response from its status, `Retry-After` and body.
    pub(crate) fn from_response(status: u16, retry_after: Option<&str>, body: &[u8]) -> Self {
        let parsed = ErrorBody::parse(body);
        match status {
            401 => Self::Unauthorized,
            404 => Self::NotFound {
                code: parsed.code.filter(|c| !c.is_empty()),
            },
            408 | 500..=599 => Self::Unavailable { status },
            429 => Self::RateLimited {
                retry_after_secs: retry_after.and_then(|v| v.trim().parse().ok()),
            },
            _ => Self::Refused {
                status,
                code: if parsed.validation {
                    ErrorCode::Validation
                } else {
                    ErrorCode::parse(
                        parsed.code.as_deref().unwrap_or_default(),
                        parsed.reason.as_deref(),
                    )
                },
                message: parsed.message.unwrap_or_else(|| {
                    String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned()
                }),
            },
        }
    }

    /// Whether a token endpoint refusal is OAuth's `invalid_grant` (§2): Wix's error body with
    /// that application code, or the OAuth form `{"error": "invalid_grant"}`. The body Wix sends
    /// is UNCONFIRMED (§2.1), so both are read; any other refusal is not taken as one.
    pub(crate) fn is_invalid_grant_body(status: u16, body: &[u8]) -> bool {
        let parsed = ErrorBody::parse(body);
        (400..500).contains(&status)
            && parsed
                .code
                .is_some_and(|c| c.eq_ignore_ascii_case("invalid_grant"))
    }
}

/// The parts of Wix's error body (§7.1), or of an OAuth error body, that matter here.
#[derive(Default)]
struct ErrorBody {
    code: Option<String>,
    reason: Option<String>,
    message: Option<String>,
    validation: bool,
}

impl ErrorBody {
    fn parse(body: &[u8]) -> Self {
        #[derive(Deserialize)]
        struct Body {
            message: Option<String>,
            details: Option<Details>,
            /// OAuth's own error form.
            error: Option<String>,
        }
        #[derive(Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Details {
            application_error: Option<ApplicationError>,
            validation_error: Option<Value>,
        }
        #[derive(Deserialize)]
        struct ApplicationError {
            code: Option<Value>,
            data: Option<Value>,
        }
        let Ok(body) = serde_json::from_slice::<Body>(body) else {
            return Self::default();
        };
        let application = body
            .details
            .as_ref()
            .and_then(|d| d.application_error.as_ref());
        let code = application
            .and_then(|a| a.code.as_ref())
            .map(|c| match c {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .or(body.error);
        Self {
            code,
            reason: application
                .and_then(|a| a.data.as_ref())
                .and_then(|d| d.get("reason"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            message: body.message,
            validation: body
                .details
                .as_ref()
                .is_some_and(|d| d.validation_error.is_some()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_become_kinds() {
        let body = br#"{"message":"Cart not found","details":{"applicationError":{"code":"OWNED_CART_NOT_FOUND","description":"Cart not found","data":{}}}}"#;
        assert_eq!(
            WixError::from_response(404, None, body),
            WixError::NotFound {
                code: Some("OWNED_CART_NOT_FOUND".into())
            }
        );
        assert_eq!(
            WixError::from_response(401, None, b""),
            WixError::Unauthorized
        );
        assert_eq!(
            WixError::from_response(429, Some(" 2 "), b""),
            WixError::RateLimited {
                retry_after_secs: Some(2)
            }
        );
        let gateway = WixError::from_response(502, None, b"<html>Bad gateway</html>");
        assert_eq!(gateway, WixError::Unavailable { status: 502 });
        assert!(gateway.is_transient());
        assert!(gateway.to_string().contains("502"));
    }

    #[test]
    fn application_codes_are_typed() {
        let refused = |code: &str, data: &str| {
            let body = format!(
                r#"{{"message":"m","details":{{"applicationError":{{"code":"{code}","data":{data}}}}}}}"#
            );
            match WixError::from_response(400, None, body.as_bytes()) {
                WixError::Refused { code, .. } => code,
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(
            refused("LINE_ITEM_NOT_FOUND_IN_CART", "{}"),
            ErrorCode::LineItemNotFound
        );
        assert_eq!(
            refused("INVALID_COUPON_STATUS", r#"{"reason":"EXPIRED"}"#),
            ErrorCode::CouponExpired
        );
        assert_eq!(
            refused(
                "INVALID_COUPON_STATUS",
                r#"{"reason":"MIN_SUBTOTAL_NOT_REACHED"}"#
            ),
            ErrorCode::CouponNotApplicable
        );
        assert_eq!(
            refused("ERROR_COUPON_DOES_NOT_EXIST", "{}"),
            ErrorCode::CouponUnknown
        );
        assert_eq!(
            refused("SOMETHING_NEW", "{}"),
            ErrorCode::Other("SOMETHING_NEW".into())
        );
        let validation = br#"{"message":"INVALID_ARGUMENT","details":{"validationError":{"fieldViolations":[]}}}"#;
        assert_eq!(
            WixError::from_response(400, None, validation).code(),
            Some(&ErrorCode::Validation)
        );
    }

    #[test]
    fn invalid_grant_is_read_from_either_body_form() {
        let wix = br#"{"message":"bad","details":{"applicationError":{"code":"INVALID_GRANT"}}}"#;
        assert!(WixError::is_invalid_grant_body(400, wix));
        assert!(WixError::is_invalid_grant_body(
            400,
            br#"{"error":"invalid_grant"}"#
        ));
        assert!(!WixError::is_invalid_grant_body(
            400,
            br#"{"message":"clientId is required"}"#
        ));
        assert!(!WixError::is_invalid_grant_body(503, wix), "not on a 5xx");
    }
}
