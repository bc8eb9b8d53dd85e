//! The secret access key (SK): never printed, wiped from memory on drop.

use core::fmt;
use zeroize::Zeroizing;

use crate::error::KeyError;

/// A secret access key (SK). `Debug` and `Display` print `[REDACTED]`, never the key, and its
/// memory is overwritten with zeros when it is dropped. An empty key is refused: it would mint
/// tokens the service rejects.
///
/// ```
/// use netless_token::SecretKey;
/// let sk = SecretKey::new("my-secret").unwrap();
/// assert_eq!(format!("{sk:?} {sk}"), "SecretKey([REDACTED]) [REDACTED]");
/// assert!(SecretKey::new("").is_err());
/// ```
#[derive(Clone)]
pub struct SecretKey(Zeroizing<Vec<u8>>);

impl SecretKey {
    /// Takes a key from text. The `String` (or `&str` copy) is moved into memory that is wiped on
    /// drop; pass an owned `String` so that no other copy is left behind.
    pub fn new(sk: impl Into<String>) -> Result<Self, KeyError> {
        Self::from_bytes(sk.into().into_bytes())
    }

    /// Takes a key from raw bytes (the HMAC key is the UTF-8 of the SK, so text is the usual
    /// form). The `Vec` is moved, not copied, and wiped on drop.
    pub fn from_bytes(sk: Vec<u8>) -> Result<Self, KeyError> {
        let sk = Zeroizing::new(sk);
        if sk.is_empty() {
            return Err(KeyError::Empty("sk"));
        }
        Ok(SecretKey(sk))
    }

    /// The key bytes, for computing an HMAC. Keep the borrow short.
    pub(crate) fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey([REDACTED])")
    }
}

impl fmt::Display for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}
