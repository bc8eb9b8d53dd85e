//! The endpoints' handlers: typed requests in, a token or an [`ApiError`] out. Every decision
//! about keys, roles, clocks and nonces is a call of the library's.

use std::sync::Arc;

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use netless_token::{Keyring, TokenKind, TokenRequest, Validation, VerifiedToken};

use super::error::ApiError;
use super::json::Json;
use super::request::{DelegatedBody, Id, Region, TeamsBody, TokenHeader};
use super::wire::{self, Created};

/// The handlers' state: the configured key pairs.
pub type Shared = Arc<Keyring>;

/// `GET /healthz`.
pub async fn healthz() -> Response {
    wire::json(StatusCode::OK, r#"{"status":"ok"}"#.into())
}

/// `POST /v5/tokens/teams`: an SDK token for a key pair that is a configured one.
pub async fn teams(
    State(keyring): State<Shared>,
    _: Region,
    Json(body): Json<TeamsBody>,
) -> Result<Created, ApiError> {
    let request = body.check()?;
    if !keyring.contains(&request.pair) {
        return Err(ApiError::KeyPairUnknown);
    }
    let token = request
        .pair
        .mint_now(&TokenRequest::sdk(request.lifespan, request.role))?;
    Ok(Created(token))
}

/// Extractor: the SDK token of the `token` header, verified against the keyring.
pub struct Issuer(VerifiedToken);

impl FromRequestParts<Shared> for Issuer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, keyring: &Shared) -> Result<Self, ApiError> {
        let TokenHeader(token) = TokenHeader::from_request_parts(parts, keyring).await?;
        keyring
            .verify(&token, &Validation::new().expect_kind(TokenKind::Sdk))
            .map(Issuer)
            .map_err(ApiError::TokenRefused)
    }
}

/// `POST /v5/tokens/rooms/{uuid}` and `POST /v5/tokens/tasks/{uuid}`: a Room or Task token (the
/// route's `kind`) for the path's uuid, on the authority of the SDK token of the `token` header:
/// of a role equal to or below its own, minted with the newest secret of its access key. The
/// headers and the path are checked before the body is read: region, uuid, token.
pub async fn delegated(
    State(keyring): State<Shared>,
    Extension(kind): Extension<TokenKind>,
    _: Region,
    Id(id): Id,
    Issuer(sdk): Issuer,
    Json(body): Json<DelegatedBody>,
) -> Result<Created, ApiError> {
    let request = body.check(sdk.ak())?;
    sdk.role().may_issue(request.role)?;
    let minter = keyring
        .minter(sdk.ak())
        .ok_or(ApiError::TokenUnknownAccessKey)?;
    let token = minter.mint_now(&TokenRequest::new(
        kind,
        request.lifespan,
        request.role,
        Some(&id),
    ))?;
    Ok(Created(token))
}

/// `POST /v5/tokens/rooms/` and `.../tasks/`: a uuid is required.
pub async fn empty_id() -> ApiError {
    ApiError::IdEmpty
}

/// Any other path.
pub async fn no_such_endpoint() -> ApiError {
    ApiError::NoSuchEndpoint
}

/// A known path with another method.
pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
