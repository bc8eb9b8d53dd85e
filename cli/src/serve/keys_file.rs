//! The key pairs `serve` accepts: from `--keys-file` (one `ACCESS_KEY SECRET_KEY` pair per line,
//! mode 0600) or from `NETLESS_AK` and `NETLESS_SK`.

use std::path::Path;

use netless_token::{KeyPair, Keyring, SecretKey};

use crate::keys::{env_secret_key, read_private_file};

/// The keyring from `path`, or from the environment when there is none.
pub fn keyring(path: Option<&Path>) -> Result<Keyring, String> {
    let mut keyring = Keyring::new();
    let Some(path) = path else {
        let ak = std::env::var("NETLESS_AK").map_err(|_| {
            "ak: no access key: set NETLESS_AK and NETLESS_SK, or pass --keys-file PATH"
        })?;
        let sk = env_secret_key("--keys-file")?;
        keyring.insert(KeyPair::new(&ak, &sk).map_err(|e| e.to_string())?);
        return Ok(keyring);
    };
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
