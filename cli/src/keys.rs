//! Where the command line gets its secret key: `NETLESS_SK` or a private key file, never an
//! argument. Every buffer that held a secret is wiped when dropped.

use std::io::Read as _;
use std::path::Path;

use netless_token::SecretKey;
use zeroize::{Zeroize as _, Zeroizing};

use crate::failure::Failure;

/// The secret key from `--sk-file` or `NETLESS_SK`; an SK given on the command line
/// (`sk_on_command_line`) is a usage error.
pub fn secret_key(sk_on_command_line: bool, sk_file: Option<&Path>) -> Result<SecretKey, Failure> {
    if sk_on_command_line {
        return Err(Failure::Usage(
            "sk: refusing a secret key on the command line, where every user of the machine \
             can read it; use NETLESS_SK or --sk-file PATH"
                .into(),
        ));
    }
    match sk_file {
        Some(path) => read_sk_file(path).map_err(Failure::Refused),
        None => env_secret_key("--sk-file").map_err(Failure::Refused),
    }
}

/// The secret key from `NETLESS_SK`. Without it, the message names `file_flag`, the flag of the
/// calling command that reads keys from a file instead (`--sk-file`, or `serve`'s `--keys-file`).
pub fn env_secret_key(file_flag: &str) -> Result<SecretKey, String> {
    match std::env::var_os("NETLESS_SK") {
        Some(value) => {
            let value = value
                .into_string()
                .map_err(|_| "sk: NETLESS_SK is not valid UTF-8")?;
            SecretKey::new(value).map_err(|e| format!("{e} (NETLESS_SK)"))
        }
        None => Err(format!(
            "sk: no secret key: set NETLESS_SK or pass {file_flag} PATH"
        )),
    }
}

/// The secret key from the key file at `path` (`--sk-file`).
fn read_sk_file(path: &Path) -> Result<SecretKey, String> {
    let mut contents = read_private_file(path, "sk-file")?;
    key_from_file_contents(std::mem::take(&mut *contents))
        .map_err(|e| format!("{e} (in {})", path.display()))
}

/// A key from the contents of a key file: one trailing `\n` or `\r\n` is dropped, as editors
/// and `echo` add one. The buffer is moved into the key, and what is cut off is wiped.
fn key_from_file_contents(mut contents: Vec<u8>) -> Result<SecretKey, netless_token::KeyError> {
    let keep = contents
        .strip_suffix(b"\r\n")
        .or_else(|| contents.strip_suffix(b"\n"))
        .map_or(contents.len(), <[u8]>::len);
    contents[keep..].zeroize();
    contents.truncate(keep);
    SecretKey::from_bytes(contents)
}

/// Reads a file that holds secrets, refusing one that group or others may read (with the
/// `chmod` that fixes it). The contents are wiped from memory when dropped.
pub fn read_private_file(path: &Path, option: &str) -> Result<Zeroizing<Vec<u8>>, String> {
    let shown = path.display();
    let file =
        std::fs::File::open(path).map_err(|e| format!("{option}: cannot open {shown}: {e}"))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("{option}: cannot read {shown}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("{option}: {shown} is not a regular file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(format!(
                "{option}: {shown} has mode {mode:04o}, so other users may read it; \
                 make it private with: chmod 600 {shown}"
            ));
        }
    }
    // A key file is a few lines; anything much longer is not one, so read no more than that.
    // The buffer is sized up front: a Vec that grew would free its old copies unwiped.
    const MAX: u64 = 1024 * 1024;
    let capacity = usize::try_from(meta.len().min(MAX) + 1).unwrap_or(0);
    let mut contents = Zeroizing::new(Vec::with_capacity(capacity));
    file.take(MAX)
        .read_to_end(&mut contents)
        .map_err(|e| format!("{option}: cannot read {shown}: {e}"))?;
    Ok(contents)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `key` is the HMAC key `expected`: the same token comes out of both.
    fn same_key(key: &SecretKey, expected: &str) -> bool {
        use netless_token::{KeyPair, Role, TokenRequest};
        let request = TokenRequest::sdk(0, Role::Admin);
        let mint = |sk: &SecretKey| KeyPair::new("ak", sk).unwrap().mint(&request, 0, "n");
        mint(key) == mint(&SecretKey::new(expected).unwrap())
    }

    #[test]
    fn file_contents_lose_one_line_ending_only() {
        let key = |text: &[u8]| key_from_file_contents(text.to_vec());
        assert!(same_key(&key(b"abc\r\n").unwrap(), "abc"));
        assert!(same_key(&key(b"abc\n\n").unwrap(), "abc\n"));
        assert!(same_key(&key(b" abc ").unwrap(), " abc "));
        assert!(!same_key(&key(b"abc\n\n").unwrap(), "abc"));
        assert_eq!(key(b"\n").unwrap_err().field(), "sk");
    }
}
