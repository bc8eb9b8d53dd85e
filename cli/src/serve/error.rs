//! Every way a request fails, as one enum: [`ApiError`] names the field at fault and the reason,
//! and becomes a status with a `{"message": "field: reason"}` body. Handlers and extractors end
//! in `?`; this is the only place that picks a failure's status.

use std::fmt;
use std::time::Duration;

use axum::http::header::CONNECTION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use netless_token::{MintError, VerifyError};

use super::limits::{MAX_BODY, MAX_UUID};
use super::wire::{self, BodyError};

/// The regions the service documents (`gb-lon` is the former name of `eu`).
pub const REGIONS: [&str; 6] = ["us-sv", "sg", "in-mum", "eu", "gb-lon", "cn-hz"];

/// Why a request is refused. Its `Display` is the one-line message sent as `{"message": ...}`:
/// the field at fault, a colon, the reason. No message holds a secret or a token: they name
/// what is wrong, never what was sent.
#[derive(Debug)]
pub enum ApiError {
    /// 400: no `region` header.
    RegionMissing,
    /// 400: a `region` header that is not one of [`REGIONS`].
    RegionUnknown,
    /// 400: the path's uuid has %-escapes that do not decode to UTF-8.
    IdNotUtf8,
    /// 400: the path's uuid is empty.
    IdEmpty,
    /// 400: the path's uuid is over [`MAX_UUID`] bytes or holds a control character.
    IdMalformed,
    /// 401: no `token` header.
    TokenMissing,
    /// 401: a `token` header that is not visible ASCII.
    TokenNotText,
    /// 401: a `token` header that is not a valid SDK token of a configured key pair.
    TokenRefused(VerifyError),
    /// 401: the SDK token's access key has no key pair to mint with.
    TokenUnknownAccessKey,
    /// 401: the teams body's key pair is not a configured one.
    KeyPairUnknown,
    /// 403: the body's `ak` is not the SDK token's access key.
    AkDiffers,
    /// 400: the body could not be read: the connection closed in the middle of it
    /// ([`BodyError::CutShort`]).
    BodyCutShort,
    /// 400: the body could not be read: malformed chunked encoding ([`BodyError::Malformed`]).
    BodyMalformed,
    /// 413: the body is over [`MAX_BODY`] bytes ([`BodyError::TooLarge`]).
    BodyTooLarge,
    /// 400: the body is not JSON (the parser's reason, which quotes none of the body).
    BodyNotJson(serde_json::Error),
    /// 400: the body is JSON, but not an object.
    BodyNotObject,
    /// 400: a field of the body is missing or unusable.
    Field(&'static str, Fault),
    /// 400, 403 or 500: the library refused to mint (see [`ApiError::status`]).
    Mint(MintError),
    /// 404: no such endpoint.
    NoSuchEndpoint,
    /// 405: the endpoint takes another method.
    MethodNotAllowed,
    /// 408: the request, body included, did not complete within the request timeout.
    Timeout(Duration),
}

/// What is wrong with one field of a JSON body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The field is absent.
    Missing,
    /// A string field holds another JSON type.
    NotString,
    /// A string field that must hold text is empty.
    Empty,
    /// `lifespan` is not a JSON number.
    NotNumber,
    /// `lifespan` is negative, fractional or past `u64`.
    NotWholeMs,
    /// `role` is a string but not a role word.
    NotRole,
}

impl Fault {
    /// The reason, as the message says it after the field's name.
    fn reason(self) -> &'static str {
        match self {
            Fault::Missing => "missing",
            Fault::NotString => "must be a string",
            Fault::Empty => "must not be empty",
            Fault::NotNumber => "must be a number of milliseconds",
            Fault::NotWholeMs => "must be a whole number of milliseconds, 0 or more",
            Fault::NotRole => "must be admin, writer or reader",
        }
    }
}

impl ApiError {
    /// The HTTP status of this failure.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::RegionMissing
            | ApiError::RegionUnknown
            | ApiError::IdNotUtf8
            | ApiError::IdEmpty
            | ApiError::IdMalformed
            | ApiError::BodyCutShort
            | ApiError::BodyMalformed
            | ApiError::BodyNotJson(_)
            | ApiError::BodyNotObject
            | ApiError::Field(..) => StatusCode::BAD_REQUEST,
            ApiError::TokenMissing
            | ApiError::TokenNotText
            | ApiError::TokenRefused(_)
            | ApiError::TokenUnknownAccessKey
            | ApiError::KeyPairUnknown => StatusCode::UNAUTHORIZED,
            ApiError::AkDiffers => StatusCode::FORBIDDEN,
            ApiError::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Mint(MintError::RoleAboveIssuer { .. }) => StatusCode::FORBIDDEN,
            // The server's own faults: its clock, or its operating system's randomness.
            ApiError::Mint(MintError::Clock | MintError::Randomness) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            ApiError::Mint(_) => StatusCode::BAD_REQUEST,
            ApiError::NoSuchEndpoint => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Timeout(_) => StatusCode::REQUEST_TIMEOUT,
        }
    }

    /// The field or part at fault, as the message names it first.
    pub fn field(&self) -> &str {
        match self {
            ApiError::RegionMissing | ApiError::RegionUnknown => "region",
            ApiError::IdNotUtf8 | ApiError::IdEmpty | ApiError::IdMalformed => "uuid",
            ApiError::TokenMissing
            | ApiError::TokenNotText
            | ApiError::TokenRefused(_)
            | ApiError::TokenUnknownAccessKey => "token",
            ApiError::KeyPairUnknown => "accessKey",
            ApiError::AkDiffers => "ak",
            ApiError::BodyCutShort
            | ApiError::BodyMalformed
            | ApiError::BodyTooLarge
            | ApiError::BodyNotJson(_)
            | ApiError::BodyNotObject
            | ApiError::Timeout(_) => "body",
            ApiError::Field(field, _) => field,
            ApiError::Mint(e) => e.field(),
            ApiError::NoSuchEndpoint => "path",
            ApiError::MethodNotAllowed => "method",
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = self.field();
        match self {
            // The library's messages name their field already.
            ApiError::Mint(e) => e.fmt(f),
            ApiError::TokenRefused(e) => write!(f, "{field}: {e}"),
            ApiError::RegionMissing => write!(f, "{field}: missing; one of {}", REGIONS.join(", ")),
            ApiError::RegionUnknown => write!(f, "{field}: must be one of {}", REGIONS.join(", ")),
            ApiError::IdNotUtf8 => {
                write!(f, "{field}: must be UTF-8 once its %-escapes are decoded")
            }
            ApiError::IdEmpty => write!(f, "{field}: must not be empty"),
            ApiError::IdMalformed => write!(
                f,
                "{field}: must be at most {MAX_UUID} bytes without control characters"
            ),
            ApiError::TokenMissing => {
                write!(f, "{field}: missing; send an SDK token in the token header")
            }
            ApiError::TokenNotText => write!(f, "{field}: not a valid header value"),
            ApiError::TokenUnknownAccessKey => write!(f, "{field}: unknown access key"),
            ApiError::KeyPairUnknown => {
                write!(f, "{field}: unknown access key or wrong secretAccessKey")
            }
            ApiError::AkDiffers => {
                write!(f, "{field}: differs from the access key of the SDK token")
            }
            ApiError::BodyCutShort => {
                write!(
                    f,
                    "{field}: the connection closed before the body was complete"
                )
            }
            ApiError::BodyMalformed => {
                write!(f, "{field}: could not be read (malformed chunked encoding)")
            }
            ApiError::BodyTooLarge => write!(f, "{field}: over the limit of {MAX_BODY} bytes"),
            ApiError::BodyNotJson(e) => write!(f, "{field}: not valid JSON ({e})"),
            ApiError::BodyNotObject => write!(f, "{field}: must be a JSON object"),
            ApiError::Field(_, fault) => write!(f, "{field}: {}", fault.reason()),
            ApiError::NoSuchEndpoint => write!(f, "{field}: no such endpoint"),
            ApiError::MethodNotAllowed => {
                write!(f, "{field}: this endpoint takes POST (GET for /healthz)")
            }
            ApiError::Timeout(limit) => write!(
                f,
                "{field}: the request was not complete within {}",
                humantime::format_duration(*limit)
            ),
        }
    }
}

impl From<BodyError> for ApiError {
    fn from(e: BodyError) -> Self {
        match e {
            BodyError::TooLarge => ApiError::BodyTooLarge,
            BodyError::CutShort => ApiError::BodyCutShort,
            BodyError::Malformed => ApiError::BodyMalformed,
        }
    }
}

impl From<MintError> for ApiError {
    fn from(e: MintError) -> Self {
        ApiError::Mint(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = wire::message(self.status(), &self.to_string());
        if let ApiError::Timeout(_) = self {
            // The rest of the body is never read: this connection takes no further request.
            response
                .headers_mut()
                .insert(CONNECTION, HeaderValue::from_static("close"));
        }
        response
    }
}
