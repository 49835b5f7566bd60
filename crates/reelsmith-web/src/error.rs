//! The API's one error type and its mapping to HTTP status codes, in one place:
//! 422 for a wrong field, 404 for an unknown id or name, 401 without a valid token, 502/503 when the
//! language model failed or is unavailable, 500 for storage failures. The body is always
//! `{"error": KIND, "field": FIELD|null, "message": TEXT}`.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use reelsmith_app::ServiceError;
use reelsmith_core::Error;
use reelsmith_core::generation::{FieldError, FieldErrors};
use reelsmith_core::llm::{LlmError, LlmErrorKind};
use serde::Serialize;
use utoipa::ToSchema;

/// An error response body.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// `invalid_input`, `not_found`, `unauthorized`, `forbidden`, `too_large`, `llm_failed`,
    /// `llm_unavailable`, `unavailable` (the server is stopping or busy; retry later), `storage` or
    /// `internal` (a bug in reelsmith; it is logged).
    pub error: &'static str,
    /// The request field that is wrong (for `invalid_input`).
    pub field: Option<String>,
    /// What went wrong and how to fix it.
    pub message: String,
    /// Every wrong field with its reason, when several are wrong (the first is `field`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldMessage>,
}

/// One wrong field.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldMessage {
    /// The request field.
    pub field: String,
    /// What is wrong with it and how to fix it.
    pub message: String,
}

/// An API error: a status and a body.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// JSON body.
    pub body: ErrorBody,
}

impl ApiError {
    /// 422 on `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input", message)
            .with_field(field.into())
    }

    /// 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 403: the request may not be made from where it came (another site, a foreign host).
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 503: the server cannot take the request now (it is stopping, or a worker failed); retry.
    pub fn unavailable(message: impl Into<String>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
    }

    /// 500 for a bug: a handler panicked. The body says so without internals (the panic message is
    /// logged, never sent).
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "reelsmith hit a bug handling this request; it is in the server log — please report it",
        )
    }

    /// 401.
    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "a valid API token is required: send `Authorization: Bearer TOKEN`, or sign in at /login in a browser",
        )
    }

    fn new(status: StatusCode, error: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            body: ErrorBody {
                error,
                field: None,
                message: message.into(),
                fields: Vec::new(),
            },
        }
    }

    fn with_field(mut self, field: String) -> Self {
        self.body.field = Some(field);
        self
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        Self::invalid(e.field, e.reason)
    }
}

impl From<FieldErrors> for ApiError {
    fn from(e: FieldErrors) -> Self {
        let mut api = match e.first() {
            Some(first) => Self::invalid(first.field, first.reason.clone()),
            None => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                "invalid request",
            ),
        };
        if e.0.len() > 1 {
            api.body.message = e.to_string();
            api.body.fields =
                e.0.iter()
                    .map(|f| FieldMessage {
                        field: f.field.to_string(),
                        message: f.reason.clone(),
                    })
                    .collect();
        }
        api
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        match &e {
            Error::InvalidInput(m) => {
                Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input", m)
            }
            Error::NotFound { .. } => Self::not_found(e.to_string()),
            Error::Storage(_) => {
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, "storage", e.to_string())
            }
            Error::Model(m) => Self::new(StatusCode::SERVICE_UNAVAILABLE, "llm_unavailable", m),
        }
    }
}

impl From<LlmError> for ApiError {
    /// 503 when the model is unavailable (unreachable, timed out, rate-limited, over budget, not
    /// configured); 502 when it answered badly (errors, refusals, unusable text).
    fn from(e: LlmError) -> Self {
        use LlmErrorKind as K;
        let unavailable = matches!(
            e.kind,
            K::Unreachable | K::Timeout | K::RateLimited | K::Budget | K::Config | K::Local
        );
        if unavailable {
            Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "llm_unavailable",
                e.to_string(),
            )
        } else {
            Self::new(StatusCode::BAD_GATEWAY, "llm_failed", e.to_string())
        }
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Invalid(f) => f.into(),
            ServiceError::Store(e) => e.into(),
            ServiceError::Llm {
                error,
                generation_id,
            } => {
                let mut api: ApiError = error.into();
                if let Some(id) = generation_id {
                    api.body
                        .message
                        .push_str(&format!(" (recorded as failed generation {id})"));
                }
                api
            }
        }
    }
}

impl From<reelsmith_ingest::IngestError> for ApiError {
    fn from(e: reelsmith_ingest::IngestError) -> Self {
        Self::invalid("files", e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// Result of an API handler.
pub type ApiResult<T> = Result<T, ApiError>;

/// The field a serde message names (`unknown field `x``, `missing field `x``), else `fallback`.
fn named_field(message: &str, fallback: &str) -> String {
    message
        .split_once("field `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(f, _)| f.to_string())
        .unwrap_or_else(|| fallback.to_string())
}

impl From<JsonRejection> for ApiError {
    /// Malformed JSON is 400, a wrong content type 415, a body over the limit 413 (a chunked one
    /// too, which only the read can measure), JSON of the wrong shape 422 on its field.
    fn from(r: JsonRejection) -> Self {
        let text = r.body_text();
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return Self::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!(
                    "the body is over {} MiB — send one script or persona at a time",
                    crate::MAX_BODY_BYTES / (1024 * 1024)
                ),
            );
        }
        match r {
            JsonRejection::JsonSyntaxError(_) => {
                Self::new(StatusCode::BAD_REQUEST, "bad_request", text)
            }
            JsonRejection::MissingJsonContentType(_) => Self::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "bad_request",
                "send the body as JSON with `Content-Type: application/json`",
            ),
            _ => Self::invalid(named_field(&text, "body"), text),
        }
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        let text = r.body_text();
        let field = text
            .rsplit_once(": ")
            .map(|(_, m)| m)
            .and_then(|m| m.split_whitespace().next())
            .filter(|f| f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .map(str::to_string);
        Self::invalid(
            field.map_or_else(|| named_field(&text, "query"), |f| named_field(&text, &f)),
            text,
        )
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        Self::invalid("path", r.body_text())
    }
}

/// `Json` whose rejections are [`ApiError`]s.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// `Query` whose rejections are [`ApiError`]s.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

/// `Path` whose rejections are [`ApiError`]s.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);
