//! The command line's grammar: commands, flags, and the parsers of lifespans and extra fields.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use netless_token::{Role, TokenKind};

const ABOUT: &str = "Mint, decode and verify NETLESS whiteboard tokens offline.";

const KEYS_HELP: &str = "\
Keys:
  The access key (AK) comes from --ak or NETLESS_AK. The secret key (SK) comes only from
  NETLESS_SK or --sk-file PATH (a file of mode 0600 holding the key; one trailing newline is
  ignored), never from an argument: every user of the machine can read a process's arguments.

Exit status: 0 success, 1 a refused input or token (or standard output closed before the
start, `>&-`), 2 a usage error, 141 standard output closed while writing (a reader that stopped,
as `| head`; whether that happens depends on timing: a token fits in a pipe's buffer).";

/// The whole command line.
#[derive(Parser)]
#[command(name = "netless-token", version, about = ABOUT, after_help = KEYS_HELP)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Subcommand)]
pub enum Command {
    /// Mint a token and print it, followed by a newline.
    #[command(after_help = "\
Examples:
  NETLESS_AK=my-ak NETLESS_SK=my-sk netless-token mint sdk --role admin --lifespan 1h
  netless-token mint room --role writer --lifespan 30d --uuid a7e0a4d0c1a011eabc5b5d4c8e0aca69 \\
      --ak my-ak --sk-file ~/.netless/sk
  # reproducible output, for golden tests:
  netless-token mint sdk --role 0 --lifespan never --issued-at 1700000000000 --nonce=-n1

Values that start with '-' take the --flag=value form.")]
    Mint(MintArgs),
    /// Decode a token and print its fields (no secret needed; nothing is verified).
    #[command(after_help = "\
Examples:
  netless-token decode NETLESSSDK_YWs9...
  echo NETLESSSDK_YWs9... | netless-token decode - --json")]
    Decode(DecodeArgs),
    /// Verify a token's signature and expiry; exit 0 and print its fields when valid,
    /// exit 1 with a one-line reason otherwise.
    #[command(after_help = "\
Examples:
  NETLESS_SK=my-sk netless-token verify NETLESSROOM_YWs9...
  netless-token verify - --sk-file ~/.netless/sk --kind room --leeway 5s < token.txt")]
    Verify(VerifyArgs),
    /// Answer the service's token REST endpoints locally (POST /v5/tokens/teams,
    /// /v5/tokens/rooms/{uuid}, /v5/tokens/tasks/{uuid}; GET /healthz).
    #[cfg(feature = "server")]
    #[command(after_help = crate::serve::HELP)]
    Serve(crate::serve::ServeArgs),
}

/// Where the key pair comes from.
#[derive(Args)]
pub struct KeyArgs {
    /// Access key (AK).
    #[arg(long, env = "NETLESS_AK")]
    pub ak: Option<String>,
    /// File holding the secret key (SK); must not be readable by group or others.
    #[arg(long, value_name = "PATH")]
    pub sk_file: Option<PathBuf>,
    /// Refused: a secret on the command line is visible to every user of the machine.
    #[arg(long, hide = true, value_name = "SK", allow_hyphen_values = true)]
    pub sk: Option<String>,
}

/// `mint`.
#[derive(Args)]
pub struct MintArgs {
    /// Token kind: sdk, room or task.
    #[arg(value_name = "KIND")]
    pub kind: TokenKind,
    /// Role: admin, writer, reader (or 0, 1, 2).
    #[arg(long)]
    pub role: Role,
    /// How long the token lives: milliseconds (600000), a number with ms, s, m, h or d
    /// (10m, 1h, 30d), or 0 / never for a token that never expires.
    #[arg(long, value_parser = parse_lifespan, allow_hyphen_values = true)]
    pub lifespan: u64,
    /// Room or task UUID (room and task tokens only).
    #[arg(long)]
    pub uuid: Option<String>,
    /// Nonce to use instead of a random UUID v4 (for reproducible output).
    #[arg(long)]
    pub nonce: Option<String>,
    /// Issue time in ms since the Unix epoch instead of now (for reproducible output).
    #[arg(long, value_name = "MS")]
    pub issued_at: Option<u64>,
    /// An extra field to sign and carry, as NAME=VALUE; may be repeated.
    #[arg(long, value_name = "NAME=VALUE", value_parser = parse_extra)]
    pub extra: Vec<(String, String)>,
    /// The key pair.
    #[command(flatten)]
    pub keys: KeyArgs,
}

/// `decode`.
#[derive(Args)]
pub struct DecodeArgs {
    /// The token, or - to read it from standard input.
    pub token: String,
    /// Print the fields as one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// `verify`.
#[derive(Args)]
pub struct VerifyArgs {
    /// The token, or - to read it from standard input.
    pub token: String,
    /// Require this kind: sdk, room or task.
    #[arg(long)]
    pub kind: Option<TokenKind>,
    /// Accept a token this long after its expireAt (same forms as --lifespan).
    #[arg(long, value_parser = parse_lifespan, default_value = "0", allow_hyphen_values = true)]
    pub leeway: u64,
    /// Check expiry at this time (ms since the Unix epoch) instead of now.
    #[arg(long, value_name = "MS")]
    pub now: Option<u64>,
    /// Print the fields as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// The key pair.
    #[command(flatten)]
    pub keys: KeyArgs,
}

/// A lifespan: `0` or `never`, plain milliseconds, or a number with `ms`, `s`, `m`, `h`, `d`.
pub fn parse_lifespan(text: &str) -> Result<u64, String> {
    const UNITS: [(&str, u64); 5] = [
        ("ms", 1),
        ("s", 1_000),
        ("m", 60_000),
        ("h", 3_600_000),
        ("d", 86_400_000),
    ];
    if text == "never" {
        return Ok(0);
    }
    let (digits, unit) = UNITS
        .iter()
        .find_map(|&(suffix, ms)| text.strip_suffix(suffix).map(|d| (d, ms)))
        .unwrap_or((text, 1));
    let bad = || {
        format!(
            "{text:?} is not a lifespan: use milliseconds, a number with ms, s, m, h or d \
             (10m, 1h, 30d), or 0 / never"
        )
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    digits
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(unit))
        .ok_or_else(|| format!("{text:?} is too long a lifespan"))
}

/// `NAME=VALUE`, split at the first `=`.
fn parse_extra(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .ok_or_else(|| format!("{text:?} is not NAME=VALUE"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifespans_take_every_documented_form() {
        for (text, ms) in [
            ("0", 0),
            ("never", 0),
            ("600000", 600_000),
            ("250ms", 250),
            ("45s", 45_000),
            ("10m", 600_000),
            ("1h", 3_600_000),
            ("30d", 2_592_000_000),
        ] {
            assert_eq!(parse_lifespan(text), Ok(ms), "{text}");
        }
        for bad in [
            "",
            "h",
            "-1",
            "+1",
            "1.5h",
            "1w",
            "1 h",
            "ten",
            "99999999999999999999",
        ] {
            assert!(parse_lifespan(bad).is_err(), "{bad:?}");
        }
        assert!(parse_lifespan("999999999999999999d")
            .unwrap_err()
            .contains("too long"));
    }

    #[test]
    fn the_grammar_is_consistent() {
        use clap::CommandFactory as _;
        Cli::command().debug_assert();
    }
}
