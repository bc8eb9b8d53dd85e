//! [`KeyPair`]: one access key and its secret, with the HMAC key schedule computed once.

use core::fmt;

use subtle::ConstantTimeEq;

use crate::decode::{decode, DecodedToken};
use crate::error::{shown, KeyError, MintError, VerifyError};
use crate::fields::{keyed_mac, KeyedMac};
use crate::mint::{unix_time_ms, uuid_v4, TokenRequest};
use crate::secret::SecretKey;
use crate::verify::{accept, Validation};

/// An access key (AK) and its secret key (SK), ready to mint and verify many tokens: the HMAC
/// key schedule is computed once, and each token clones the keyed state. `Send + Sync`, so one
/// instance can serve every thread. `Debug` shows the AK only; the keyed state is wiped on drop.
///
/// ```
/// use netless_token::{KeyPair, Role, SecretKey, TokenRequest, Validation};
/// let pair = KeyPair::new("my-ak", &SecretKey::new("my-sk")?)?;
/// let token = pair.mint(&TokenRequest::sdk(Role::Reader, 60_000), 1_700_000_000_000, "nonce-1")?;
/// let decoded = pair.verify(&token, &Validation::new().at(1_700_000_000_001))?;
/// assert_eq!(decoded.role(), Role::Reader);
/// assert!(format!("{pair:?}").contains("my-ak") && !format!("{pair:?}").contains("my-sk"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct KeyPair {
    ak: Box<str>,
    mac: KeyedMac,
}

impl KeyPair {
    /// Binds `ak` to `sk`. An empty AK is refused (an empty SK cannot be built).
    pub fn new(ak: &str, sk: &SecretKey) -> Result<Self, KeyError> {
        if ak.is_empty() {
            return Err(KeyError::Empty("ak"));
        }
        Ok(KeyPair {
            ak: ak.into(),
            mac: keyed_mac(sk.expose()),
        })
    }

    /// The access key.
    pub fn access_key(&self) -> &str {
        &self.ak
    }

    /// Mints one token with an explicit issue time (ms since the Unix epoch) and nonce: the
    /// pure core, reproducible byte for byte.
    pub fn mint(
        &self,
        request: &TokenRequest<'_>,
        issued_at_ms: u64,
        nonce: &str,
    ) -> Result<String, MintError> {
        let mut out = String::new();
        self.mint_into(request, issued_at_ms, nonce, &mut out)?;
        Ok(out)
    }

    /// Like [`KeyPair::mint`], but appends the token to `out`; with enough capacity in `out`,
    /// nothing is allocated. On error `out` is left as it was.
    pub fn mint_into(
        &self,
        request: &TokenRequest<'_>,
        issued_at_ms: u64,
        nonce: &str,
        out: &mut String,
    ) -> Result<(), MintError> {
        request.with_fields(&self.ak, issued_at_ms, nonce, |fields| {
            fields
                .mint(request.kind(), &self.mac, out)
                .ok_or(MintError::TooLong {
                    max: crate::MAX_TOKEN_LEN,
                })
        })
    }

    /// Mints one token issued now (system clock) with a fresh random UUID v4 nonce.
    pub fn mint_now(&self, request: &TokenRequest<'_>) -> Result<String, MintError> {
        let now = unix_time_ms().ok_or(MintError::Clock)?;
        let nonce = uuid_v4();
        // ASCII, so this borrows and never allocates.
        self.mint(request, now, &String::from_utf8_lossy(&nonce))
    }

    /// Verifies a token minted with this pair: its AK must be this pair's, its signature must
    /// match, then `validation` checks kind and expiry. Returns the decoded token.
    pub fn verify(
        &self,
        token: &str,
        validation: &Validation,
    ) -> Result<DecodedToken, VerifyError> {
        let decoded = decode(token)?;
        if decoded.ak() != &*self.ak {
            return Err(VerifyError::UnknownAccessKey(shown(decoded.ak())));
        }
        accept(decoded, core::slice::from_ref(self), validation)
    }

    /// Whether this pair's secret produced `decoded`'s signature, compared in constant time.
    pub(crate) fn signs(&self, decoded: &DecodedToken) -> bool {
        let expected = decoded.with_fields(|fields| fields.sign(&self.mac));
        expected.ct_eq(decoded.sig()).into()
    }
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyPair")
            .field("ak", &self.ak)
            .field("sk", &format_args!("[REDACTED]"))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn key_pair_is_shareable_between_threads() {
        assert_send_sync::<KeyPair>();
    }

    #[test]
    fn empty_access_key_is_refused() {
        let sk = SecretKey::new("sk").unwrap();
        assert_eq!(KeyPair::new("", &sk).unwrap_err(), KeyError::Empty("ak"));
    }
}
