//! What the endpoints take, typed: the `region` header, the path's uuid, the `token` header, and
//! the JSON bodies, each checked in a fixed order into the request a handler works with. Role
//! words and key pairs are the library's types.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use netless_token::{KeyPair, Role, SecretKey};
use serde::de::MapAccess;

use super::error::{ApiError, Fault, REGIONS};
use super::json::{skip, Field, Fields, FromScalar, Scalar};
use super::limits::MAX_UUID;

/// Extractor: the `region` header, one of [`REGIONS`] (the service's, checked and not used).
pub struct Region;

impl<S: Send + Sync> FromRequestParts<S> for Region {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let region = parts.headers.get("region").ok_or(ApiError::RegionMissing)?;
        match region.to_str() {
            Ok(region) if REGIONS.contains(&region) => Ok(Region),
            _ => Err(ApiError::RegionUnknown),
        }
    }
}

/// Extractor: the room or task uuid of the path, decoded, not empty, at most [`MAX_UUID`]
/// bytes, without control characters.
pub struct Id(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        // The only way this route's path fails to extract: escapes that do not decode to UTF-8.
        let Path(id) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::IdNotUtf8)?;
        if id.is_empty() {
            return Err(ApiError::IdEmpty);
        }
        if id.len() > MAX_UUID || id.chars().any(char::is_control) {
            return Err(ApiError::IdMalformed);
        }
        Ok(Id(id))
    }
}

/// Extractor: the text of the `token` header (not yet verified).
pub struct TokenHeader(pub String);

impl<S: Send + Sync> FromRequestParts<S> for TokenHeader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let token = parts.headers.get("token").ok_or(ApiError::TokenMissing)?;
        let token = token.to_str().map_err(|_| ApiError::TokenNotText)?;
        Ok(TokenHeader(token.to_owned()))
    }
}

/// A `lifespan`: whole milliseconds, 0 (never expires) or more.
///
/// A JSON number is taken for its value, as the service (JavaScript) takes it: `600000`,
/// `600000.0` and `6e5` are all 600000 ms. Python's `timedelta(...).total_seconds() * 1000`
/// sends `600000.0`. Refused: a fraction (`0.5`), a negative number (`-1`), and a value past
/// `u64` (`1e300`). `-0.0` (and `-0`, which JSON parsers read as the float) is zero, not
/// negative, so it is taken as 0: a token that never expires, as for `0`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Millis(pub u64);

impl FromScalar for Millis {
    fn from_scalar(value: Scalar) -> Result<Self, Fault> {
        match value {
            Scalar::Unsigned(ms) => Ok(Millis(ms)),
            Scalar::Float(ms) => whole_ms(ms).map(Millis).ok_or(Fault::NotWholeMs),
            Scalar::Negative(_) => Err(Fault::NotWholeMs),
            Scalar::Text(_) | Scalar::Other => Err(Fault::NotNumber),
        }
    }
}

/// `ms` as a `u64` when it is a whole number from 0 up to `u64::MAX` (so the conversion is
/// exact); `None` for a fraction, a negative number, a value past `u64`, an infinity or NaN.
fn whole_ms(ms: f64) -> Option<u64> {
    /// 2^64, the first `f64` past `u64::MAX`.
    const PAST_U64: f64 = 18_446_744_073_709_551_616.0;
    // -0.0 is within the range: it compares equal to 0.0.
    let whole = ms.fract() == 0.0 && (0.0..PAST_U64).contains(&ms);
    whole.then_some(ms as u64)
}

impl FromScalar for Role {
    fn from_scalar(value: Scalar) -> Result<Self, Fault> {
        match value {
            Scalar::Text(word) => Role::from_word(&word).ok_or(Fault::NotRole),
            _ => Err(Fault::NotString),
        }
    }
}

/// The body of `POST /v5/tokens/teams`, as read.
#[derive(Default)]
pub struct TeamsBody {
    /// `accessKey`.
    access_key: Field<String>,
    /// `secretAccessKey`.
    secret_access_key: Field<String>,
    /// `lifespan`.
    lifespan: Field<Millis>,
    /// `role`.
    role: Field<Role>,
}

impl Fields for TeamsBody {
    fn read<'de, A: MapAccess<'de>>(&mut self, name: &str, object: &mut A) -> Result<(), A::Error> {
        match name {
            "accessKey" => self.access_key = object.next_value()?,
            "secretAccessKey" => self.secret_access_key = object.next_value()?,
            "lifespan" => self.lifespan = object.next_value()?,
            "role" => self.role = object.next_value()?,
            _ => skip(object)?,
        }
        Ok(())
    }
}

/// A request for an SDK token, checked.
pub struct TeamsRequest {
    /// The key pair the body names, to be found in the keyring.
    pub pair: KeyPair,
    /// How long the token lives, in ms; 0 for ever.
    pub lifespan: u64,
    /// The token's role.
    pub role: Role,
}

impl TeamsBody {
    /// The request, its fields checked in this order: `accessKey`, `secretAccessKey`,
    /// `lifespan`, `role`.
    pub fn check(self) -> Result<TeamsRequest, ApiError> {
        let ak = non_empty(self.access_key, "accessKey")?;
        let sk = non_empty(self.secret_access_key, "secretAccessKey")?;
        let Millis(lifespan) = self.lifespan.required("lifespan")?;
        let role = self.role.required("role")?;
        // Both are not empty, so neither refuses; were it otherwise, the pair is not ours.
        let sk = SecretKey::new(sk).map_err(|_| ApiError::KeyPairUnknown)?;
        let pair = KeyPair::new(&ak, &sk).map_err(|_| ApiError::KeyPairUnknown)?;
        Ok(TeamsRequest {
            pair,
            lifespan,
            role,
        })
    }
}

/// A string field that must hold text.
fn non_empty(field: Field<String>, name: &'static str) -> Result<String, ApiError> {
    match field.required(name)? {
        text if text.is_empty() => Err(ApiError::Field(name, Fault::Empty)),
        text => Ok(text),
    }
}

/// The body of `POST /v5/tokens/rooms/{uuid}` and `.../tasks/{uuid}`, as read.
#[derive(Default)]
pub struct DelegatedBody {
    /// `ak`, optional: when given, the SDK token's access key.
    ak: Field<String>,
    /// `lifespan`.
    lifespan: Field<Millis>,
    /// `role`.
    role: Field<Role>,
}

impl Fields for DelegatedBody {
    fn read<'de, A: MapAccess<'de>>(&mut self, name: &str, object: &mut A) -> Result<(), A::Error> {
        match name {
            "ak" => self.ak = object.next_value()?,
            "lifespan" => self.lifespan = object.next_value()?,
            "role" => self.role = object.next_value()?,
            _ => skip(object)?,
        }
        Ok(())
    }
}

/// A request for a Room or Task token, checked.
pub struct DelegatedRequest {
    /// How long the token lives, in ms; 0 for ever.
    pub lifespan: u64,
    /// The token's role (whether the SDK token may issue it is the handler's question).
    pub role: Role,
}

impl DelegatedBody {
    /// The request on the authority of an SDK token of access key `issuer_ak`, its fields
    /// checked in this order: `ak` (when given, a string equal to `issuer_ak`), `lifespan`,
    /// `role`.
    pub fn check(self, issuer_ak: &str) -> Result<DelegatedRequest, ApiError> {
        if let Some(ak) = self.ak.optional("ak")? {
            if ak != issuer_ak {
                return Err(ApiError::AkDiffers);
            }
        }
        let Millis(lifespan) = self.lifespan.required("lifespan")?;
        let role = self.role.required("role")?;
        Ok(DelegatedRequest { lifespan, role })
    }
}
