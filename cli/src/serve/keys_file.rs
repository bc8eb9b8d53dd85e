//! The key pairs `serve` accepts: from `--keys-file` (one `ACCESS_KEY SECRET_KEY` pair per line,
//! mode 0600), or the one pair of `--ak` (or `NETLESS_AK`) and `NETLESS_SK`.

use std::path::Path;

use netless_token::{KeyPair, Keyring, SecretKey};

use crate::keys::{env_secret_key, read_private_file};

/// A keyring of the one pair `ak` (from `--ak` or `NETLESS_AK`) and `NETLESS_SK`.
pub fn single(ak: Option<&str>) -> Result<Keyring, String> {
    let ak = ak.ok_or(
        "ak: no access key: set NETLESS_AK (or pass --ak) and NETLESS_SK, or pass --keys-file PATH",
    )?;
    let sk = env_secret_key("--keys-file")?;
    let mut keyring = Keyring::new();
    keyring.insert(KeyPair::new(ak, &sk).map_err(|e| e.to_string())?);
    Ok(keyring)
}

/// The keyring of the key file at `path`.
pub fn read(path: &Path) -> Result<Keyring, String> {
    let mut keyring = Keyring::new();
    let contents = read_private_file(path, "keys-file")?;
    let text = std::str::from_utf8(&contents)
        .map_err(|_| format!("keys-file: {} is not UTF-8", path.display()))?;
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (ak, sk) = line
            .split_once(|c: char| c.is_ascii_whitespace())
            .map(|(ak, sk)| (ak, sk.trim()))
            .filter(|(_, sk)| !sk.is_empty())
            .ok_or_else(|| {
                format!(
                    "keys-file: line {} of {} has no secret key after the access key",
                    n + 1,
                    path.display()
                )
            })?;
        let sk = SecretKey::new(sk).map_err(|e| e.to_string())?;
        keyring.insert(KeyPair::new(ak, &sk).map_err(|e| e.to_string())?);
    }
    if keyring.is_empty() {
        return Err(format!("keys-file: {} holds no key pair", path.display()));
    }
    Ok(keyring)
}
