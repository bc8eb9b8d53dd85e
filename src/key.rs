//! [`KeyPair`]: an access key and its secret, with the HMAC key schedule computed once, and the
//! signature over a token's fields. Minting (`mint.rs`) and verifying (`verify.rs`) each add
//! their own `impl KeyPair` block above this one.

use core::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::codec::Sink;
use crate::error::KeyError;
use crate::fields::Fields;
use crate::secret::SecretKey;

/// The HMAC-SHA256 state keyed with a secret key, ready to be cloned once per token.
type KeyedMac = Hmac<Sha256>;

/// An access key (AK) and its secret key (SK), ready to mint and verify many tokens: the HMAC
/// key schedule is computed once, and each token clones the keyed state. `Send + Sync`, so one
/// instance can serve every thread. `Debug` shows the AK only; the keyed state is wiped on drop.
///
/// ```
/// use netless_token::{KeyPair, Role, SecretKey, TokenRequest, Validation};
///
/// let pair = KeyPair::new("my-ak", &SecretKey::new("my-sk")?)?;
/// let token = pair.mint(&TokenRequest::sdk(60_000, Role::Reader), 1_700_000_000_000, "nonce-1")?;
/// let verified = pair.verify(&token, &Validation::new().at(1_700_000_000_001))?;
/// assert_eq!(verified.role(), Role::Reader);
/// assert_eq!(format!("{pair:?}"), r#"KeyPair { ak: "my-ak", sk: [REDACTED] }"#);
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
        Ok(KeyPair::keyed(ak, sk))
    }

    /// Binds an access key known not to be empty (a decoded token's) to `sk`.
    pub(crate) fn keyed(ak: &str, sk: &SecretKey) -> Self {
        // HMAC takes a key of any length, so this never fails; the fallback is unreachable.
        let mac = KeyedMac::new_from_slice(sk.expose())
            .unwrap_or_else(|_| KeyedMac::new(&Default::default()));
        KeyPair { ak: ak.into(), mac }
    }

    /// The access key.
    pub fn access_key(&self) -> &str {
        &self.ak
    }

    /// A writer for the canonical JSON that hashes it with a clone of the keyed state.
    pub(crate) fn signer(&self) -> Signer {
        Signer {
            mac: self.mac.clone(),
            buf: [0; Signer::BUF],
            len: 0,
        }
    }

    /// A value that tells this pair's secret apart from another's without showing it: the HMAC
    /// of a fixed text no token's canonical JSON can be (it is not a JSON object). Two pairs
    /// have the same fingerprint when their HMAC keys are the same.
    pub(crate) fn fingerprint(&self) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(b"netless-token: key fingerprint");
        mac.finalize().into_bytes().into()
    }

    /// The signature of `fields`: HMAC-SHA256 of their canonical JSON.
    pub(crate) fn sign(&self, fields: &Fields<'_, '_>) -> [u8; 32] {
        let mut signer = self.signer();
        fields.write_json(&mut signer);
        signer.finalize()
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

/// Gathers the canonical JSON on the stack, passing full buffers on to the HMAC.
pub(crate) struct Signer {
    mac: KeyedMac,
    buf: [u8; Signer::BUF],
    len: usize,
}

impl Signer {
    const BUF: usize = 320;

    /// The signature of everything written.
    pub(crate) fn finalize(mut self) -> [u8; 32] {
        // Field by field, so the buffer is not moved (a 320-byte copy) on the way out.
        self.mac.update(&self.buf[..self.len]);
        self.mac.finalize().into_bytes().into()
    }
}

impl Sink for Signer {
    #[inline(always)]
    fn put(&mut self, bytes: &[u8]) {
        if self.len + bytes.len() > Self::BUF {
            self.mac.update(&self.buf[..self.len]);
            self.len = 0;
            if bytes.len() > Self::BUF {
                self.mac.update(bytes);
                return;
            }
        }
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::Role;

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

    #[test]
    fn the_signature_is_hmac_sha256_of_the_canonical_json_in_pieces_of_any_size() {
        let pair = KeyPair::new("ak", &SecretKey::new("key").unwrap()).unwrap();
        // Past the 320-byte buffer, so the signer flushes along the way.
        let long = "x".repeat(700);
        for nonce in ["n", long.as_str()] {
            let fields = Fields {
                ak: "ak",
                expire_at: None,
                nonce,
                role: Role::Admin,
                uuid: None,
                extra: &[],
            };
            let json = format!(r#"{{"ak":"ak","nonce":"{nonce}","role":"0"}}"#);
            let mut reference = KeyedMac::new_from_slice(b"key").unwrap();
            reference.update(json.as_bytes());
            let expected: [u8; 32] = reference.finalize().into_bytes().into();
            assert_eq!(
                pair.sign(&fields),
                expected,
                "nonce of {} bytes",
                nonce.len()
            );
        }
    }
}
