//! Wix error bodies (wix-api.md §7.1): every non-200 answer of the emulator goes through here.

use axum::{
    http::{HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::{json, Value};

use crate::store::StoreError;

/// An error answer, carrying the HTTP status and the Wix body fields.
#[derive(Debug)]
pub enum ApiError {
    /// `details.applicationError` — domain errors such as `OWNED_CART_NOT_FOUND`.
    Application {
        status: StatusCode,
        code: &'static str,
        message: String,
        data: Value,
    },
    /// `details.validationError.fieldViolations` — malformed requests.
    Validation { field: String, description: String },
    /// 401 for missing, unknown or expired access tokens.
    Unauthenticated(&'static str),
    /// 429 with `Retry-After` (fault injection).
    RateLimited { retry_after_secs: u64 },
    /// 5xx with empty details, as Wix sends for system errors.
    System { status: StatusCode, message: String },
}

impl ApiError {
    pub fn application(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self::Application {
            status,
            code,
            message: message.into(),
            data: json!({}),
        }
    }

    pub fn with_data(self, data: Value) -> Self {
        match self {
            Self::Application {
                status,
                code,
                message,
                ..
            } => Self::Application {
                status,
                code,
                message,
                data,
            },
            other => other,
        }
    }

    pub fn validation(field: impl Into<String>, description: impl Into<String>) -> Self {
        Self::Validation {
            field: field.into(),
            description: description.into(),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::System {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: message.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        tracing::error!(%error, "emulator store failure");
        Self::internal("internal storage error")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            Self::Application {
                status,
                code,
                message,
                data,
            } => (
                status,
                json!({"message": message, "details": {"applicationError": {
                    "code": code, "description": message, "data": data}}}),
            ),
            Self::Validation { field, description } => (
                StatusCode::BAD_REQUEST,
                json!({"message": format!("INVALID_ARGUMENT: {field} {description}"),
                       "details": {"validationError": {"fieldViolations": [{
                           "field": field, "description": description,
                           "violatedRule": "VALIDATION", "ruleName": "VALIDATION_ERROR", "data": {}}]}}}),
            ),
            // UNCONFIRMED (wix-api.md §7.2): the code of Wix's 401 body; see `decisions`.
            Self::Unauthenticated(reason) => (
                StatusCode::UNAUTHORIZED,
                json!({"message": reason, "details": {"applicationError": {
                    "code": "UNAUTHENTICATED", "description": reason, "data": {}}}}),
            ),
            Self::RateLimited { retry_after_secs } => {
                let mut response = (
                    StatusCode::TOO_MANY_REQUESTS,
                    Json(json!({"message": "Too many requests", "details": {}})),
                )
                    .into_response();
                if let Ok(value) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                    response.headers_mut().insert("retry-after", value);
                }
                return response;
            }
            Self::System { status, message } => {
                (status, json!({"message": message, "details": {}}))
            }
        };
        (status, Json(body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
