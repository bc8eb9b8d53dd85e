//! Verifying: the [`Validation`] policy (expected kind, clock, leeway, lifetime), verifying
//! with one [`KeyPair`] or a [`Keyring`] of several, and the [`VerifiedToken`] only this layer
//! makes.

use core::ops::Deref;
use std::collections::HashMap;

use subtle::{Choice, ConstantTimeEq};

use crate::clock;
use crate::decode::{decode, DecodedToken};
use crate::error::{shown, VerifyError};
use crate::key::KeyPair;
use crate::kind::TokenKind;
use crate::secret::SecretKey;

/// What a verified token must also satisfy, beyond its signature.
///
/// The expiry rule: a token with `expireAt = E` is accepted while `now < E + leeway` and is
/// expired from `now = E + leeway` on, to the millisecond. With leeway 0, a token minted with
/// lifespan `L` at `T` is accepted for exactly `L` ms: from `T` to `T + L - 1`. A token
/// without `expireAt` (lifespan 0) never expires.
///
/// The format carries no issue time, so a token minted by a clock that runs ahead (or with a
/// very long lifespan) is accepted until its `expireAt`. To bound that, [`Validation::max_lifetime_ms`]
/// refuses tokens valid for longer than a given time from now, and tokens that never expire.
///
/// The kind (the prefix) is not covered by the signature: a Room token re-labelled as a Task
/// token for the same uuid carries a valid signature. Require the kind you expect with
/// [`Validation::expect_kind`].
///
/// ```
/// use netless_token::{TokenKind, Validation};
/// let policy = Validation::new()
///     .expect_kind(TokenKind::Room)
///     .leeway_ms(5_000)
///     .at(1_700_000_000_000);
/// assert_eq!(policy.kind(), Some(TokenKind::Room));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Validation {
    kind: Option<TokenKind>,
    leeway_ms: u64,
    now_ms: Option<u64>,
    max_lifetime_ms: Option<u64>,
}

impl Validation {
    /// Any kind, no leeway, the system clock.
    pub const fn new() -> Self {
        Validation {
            kind: None,
            leeway_ms: 0,
            now_ms: None,
            max_lifetime_ms: None,
        }
    }

    /// Requires tokens of `kind`.
    pub const fn expect_kind(mut self, kind: TokenKind) -> Self {
        self.kind = Some(kind);
        self
    }

    /// Accepts tokens up to `leeway_ms` after their `expireAt`, for clocks that disagree.
    pub const fn leeway_ms(mut self, leeway_ms: u64) -> Self {
        self.leeway_ms = leeway_ms;
        self
    }

    /// Checks expiry at `now_ms` (ms since the Unix epoch) instead of the system clock.
    pub const fn at(mut self, now_ms: u64) -> Self {
        self.now_ms = Some(now_ms);
        self
    }

    /// Refuses tokens that stay valid for more than `max_ms` after now (`expireAt > now +
    /// max_ms`), and tokens that never expire: a bound on what a clock running ahead, or a
    /// generous minter, can hand out.
    pub const fn max_lifetime_ms(mut self, max_ms: u64) -> Self {
        self.max_lifetime_ms = Some(max_ms);
        self
    }

    /// The kind required, if any.
    pub const fn kind(&self) -> Option<TokenKind> {
        self.kind
    }

    /// Checks kind and expiry of a token whose signature was already checked.
    fn check(&self, token: &DecodedToken) -> Result<(), VerifyError> {
        if let Some(expected) = self.kind {
            if token.kind() != expected {
                return Err(VerifyError::WrongKind {
                    expected,
                    found: token.kind(),
                });
            }
        }
        if token.expire_at().is_none() && self.max_lifetime_ms.is_none() {
            return Ok(());
        }
        let now_ms = match self.now_ms {
            Some(now) => now,
            None => clock::unix_time_ms().ok_or(VerifyError::Clock)?,
        };
        if let Some(expire_at_ms) = token.expire_at() {
            if now_ms >= expire_at_ms.saturating_add(self.leeway_ms) {
                return Err(VerifyError::Expired {
                    expire_at_ms,
                    now_ms,
                    leeway_ms: self.leeway_ms,
                });
            }
        }
        if let Some(max_ms) = self.max_lifetime_ms {
            let too_late = token
                .expire_at()
                .is_none_or(|expire_at_ms| expire_at_ms > now_ms.saturating_add(max_ms));
            if too_late {
                return Err(VerifyError::LivesTooLong {
                    expire_at_ms: token.expire_at(),
                    now_ms,
                    max_lifetime_ms: max_ms,
                });
            }
        }
        Ok(())
    }
}

/// A token whose signature was checked with a secret key and that passed a [`Validation`]:
/// the only way to get one is [`KeyPair::verify`] or [`Keyring::verify`]. Its fields are read
/// through [`DecodedToken`]'s methods (it dereferences to one); a function that must only see
/// authentic tokens takes a `VerifiedToken`, and a merely decoded token cannot be passed in.
///
/// ```
/// use netless_token::{KeyPair, Role, SecretKey, TokenRequest, Validation, VerifiedToken};
///
/// fn join_room(token: &VerifiedToken) -> Option<&str> {
///     token.uuid()
/// }
///
/// let pair = KeyPair::new("ak", &SecretKey::new("sk")?)?;
/// let token = pair.mint(&TokenRequest::room(0, Role::Reader, "room-1"), 0, "n")?;
/// let verified = pair.verify(&token, &Validation::new())?;
/// assert_eq!(join_room(&verified), Some("room-1"));
/// // join_room(&netless_token::decode(&token)?) does not compile: decoded is not verified.
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedToken(DecodedToken);

impl VerifiedToken {
    /// The token's fields, as decoded; giving up the proof of verification.
    pub fn into_decoded(self) -> DecodedToken {
        self.0
    }
}

impl Deref for VerifiedToken {
    type Target = DecodedToken;

    fn deref(&self) -> &DecodedToken {
        &self.0
    }
}

impl KeyPair {
    /// Verifies a token minted with this pair: its AK must be this pair's, its signature must
    /// match (compared in constant time), then `validation` checks kind and expiry.
    ///
    /// ```
    /// use netless_token::{KeyPair, Role, SecretKey, TokenRequest, Validation, VerifyError};
    ///
    /// let pair = KeyPair::new("ak", &SecretKey::new("secret")?)?;
    /// let token = pair.mint(&TokenRequest::sdk(1_000, Role::Writer), 5_000, "n")?;
    /// assert!(pair.verify(&token, &Validation::new().at(5_999)).is_ok());
    /// assert!(matches!(
    ///     pair.verify(&token, &Validation::new().at(6_000)),
    ///     Err(VerifyError::Expired { .. })
    /// ));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify(
        &self,
        token: &str,
        validation: &Validation,
    ) -> Result<VerifiedToken, VerifyError> {
        let decoded = decode(token)?;
        if decoded.ak() != self.access_key() {
            return Err(VerifyError::UnknownAccessKey(shown(decoded.ak())));
        }
        accept(decoded, core::slice::from_ref(self), validation)
    }

    /// Whether this pair's secret produced `decoded`'s signature, compared in constant time.
    fn signs(&self, decoded: &DecodedToken) -> bool {
        let expected = decoded.with_fields(|fields| self.sign(fields));
        expected.ct_eq(decoded.sig()).into()
    }
}

impl SecretKey {
    /// Verifies a token with this secret alone, whatever access key it carries: the token is
    /// decoded once, its signature checked against this secret (compared in constant time),
    /// then `validation` checks kind and expiry. For one-off checks and tools; a server that
    /// knows its access keys verifies with a [`KeyPair`] or a [`Keyring`], which also refuse
    /// a token of another access key, and key the HMAC once instead of per call.
    ///
    /// ```
    /// use netless_token::{KeyPair, Role, SecretKey, TokenRequest, Validation};
    ///
    /// let sk = SecretKey::new("secret")?;
    /// let token = KeyPair::new("any-ak", &sk)?.mint(&TokenRequest::sdk(0, Role::Reader), 0, "n")?;
    /// let verified = sk.verify(&token, &Validation::new())?;
    /// assert_eq!(verified.ak(), "any-ak");
    /// assert!(SecretKey::new("other")?.verify(&token, &Validation::new()).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify(
        &self,
        token: &str,
        validation: &Validation,
    ) -> Result<VerifiedToken, VerifyError> {
        let decoded = decode(token)?;
        // Decoding refuses an empty access key.
        let pair = KeyPair::keyed(decoded.ak(), self);
        accept(decoded, core::slice::from_ref(&pair), validation)
    }
}

/// Accepts `decoded` when any of `pairs` signed it, then checks `validation`. Every pair is
/// tried, with no early exit, and each comparison is constant-time, so timing tells nothing
/// about the signature or about which secret signed.
fn accept(
    decoded: DecodedToken,
    pairs: &[KeyPair],
    validation: &Validation,
) -> Result<VerifiedToken, VerifyError> {
    let signed = pairs
        .iter()
        .fold(false, |signed, pair| pair.signs(&decoded) | signed);
    if !signed {
        return Err(VerifyError::SignatureMismatch);
    }
    validation.check(&decoded)?;
    Ok(VerifiedToken(decoded))
}

/// The secret keys of several access keys, and of one access key while its secret rotates:
/// a token is accepted when any secret of its AK signed it.
///
/// Rotation: insert the new pair beside the old one, switch minting to it ([`Keyring::minter`]
/// returns the newest), and once the old tokens have expired, [`Keyring::retire_oldest`].
///
/// ```
/// use netless_token::{KeyPair, Keyring, Role, SecretKey, TokenRequest, Validation};
/// let old = KeyPair::new("ak", &SecretKey::new("old-sk")?)?;
/// let new = KeyPair::new("ak", &SecretKey::new("new-sk")?)?;
/// let token = old.mint(&TokenRequest::sdk(0, Role::Admin), 0, "n")?;
///
/// let mut keyring = Keyring::new();
/// keyring.insert(old);
/// keyring.insert(new);
/// assert!(keyring.verify(&token, &Validation::new()).is_ok());
///
/// keyring.retire_oldest("ak");
/// assert!(keyring.verify(&token, &Validation::new()).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Keyring {
    pairs: HashMap<Box<str>, Vec<KeyPair>>,
}

impl Keyring {
    /// An empty keyring.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a key pair; an AK may have several secrets, newest last.
    pub fn insert(&mut self, pair: KeyPair) {
        self.pairs
            .entry(pair.access_key().into())
            .or_default()
            .push(pair);
    }

    /// Removes the oldest secret of `ak`; returns whether there was one.
    pub fn retire_oldest(&mut self, ak: &str) -> bool {
        let Some(pairs) = self.pairs.get_mut(ak) else {
            return false;
        };
        pairs.remove(0);
        if pairs.is_empty() {
            self.pairs.remove(ak);
        }
        true
    }

    /// Removes every secret of `ak`; returns how many there were.
    pub fn remove(&mut self, ak: &str) -> usize {
        self.pairs.remove(ak).map_or(0, |pairs| pairs.len())
    }

    /// The newest pair of `ak`, to mint with.
    pub fn minter(&self, ak: &str) -> Option<&KeyPair> {
        self.pairs.get(ak).and_then(|pairs| pairs.last())
    }

    /// Whether this keyring holds `pair`: its access key, with the same secret. The secret is
    /// compared through a fingerprint of each held secret of that access key, in constant time
    /// and with no early exit, so timing shows only how many secrets the access key has. What
    /// a service's "is this key pair ours?" check calls.
    ///
    /// ```
    /// use netless_token::{KeyPair, Keyring, SecretKey};
    /// let mut keyring = Keyring::new();
    /// keyring.insert(KeyPair::new("ak", &SecretKey::new("sk")?)?);
    /// assert!(keyring.contains(&KeyPair::new("ak", &SecretKey::new("sk")?)?));
    /// assert!(!keyring.contains(&KeyPair::new("ak", &SecretKey::new("guess")?)?));
    /// assert!(!keyring.contains(&KeyPair::new("other-ak", &SecretKey::new("sk")?)?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn contains(&self, pair: &KeyPair) -> bool {
        let Some(held) = self.pairs.get(pair.access_key()) else {
            return false;
        };
        let probe = pair.fingerprint();
        held.iter()
            .fold(Choice::from(0), |found, held| {
                found | held.fingerprint().ct_eq(&probe)
            })
            .into()
    }

    /// The number of access keys.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether no key is held.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Verifies a token against every secret of its access key: unknown AK, then the signature
    /// (constant-time compare, every secret tried), then `validation`.
    pub fn verify(
        &self,
        token: &str,
        validation: &Validation,
    ) -> Result<VerifiedToken, VerifyError> {
        let decoded = decode(token)?;
        let pairs = self
            .pairs
            .get(decoded.ak())
            .ok_or_else(|| VerifyError::UnknownAccessKey(shown(decoded.ak())))?;
        accept(decoded, pairs, validation)
    }
}
