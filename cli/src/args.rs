//! The command line's grammar: commands, flags, and the parsers of lifespans and extra fields.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use netless_token::{AuditPolicy, Role, Severity, TokenKind};

const ABOUT: &str = "Mint, decode and verify NETLESS whiteboard tokens offline.";

const KEYS_HELP: &str = "\
Keys (mint, verify):
  The access key (AK) comes from --ak or NETLESS_AK. The secret key (SK) comes only from
  NETLESS_SK or --sk-file PATH (a file of mode 0600 holding the key; one trailing newline is
  ignored), never from an argument: every user of the machine can read a process's arguments.

Exit status: 0 success, 1 a refused input or token (or standard output closed before the
start, `>&-`; for audit and scan, a finding at or above --fail-on), 2 a usage error, 141 standard output closed while writing (a reader that stopped,
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
    /// Audit one token without its secret: print its kind, role, access key and expiry, and
    /// what it should not be (a master token that never expires, a lifetime past policy, ...).
    #[command(after_help = "\
Examples:
  netless-token audit NETLESSSDK_YWs9...
  pbpaste | netless-token audit - --json
  netless-token audit NETLESSROOM_YWs9... --max-lifetime 1h --fail-on medium

Exit status: 0 no finding at or above --fail-on, 1 one or more (or a token that does not
decode), 2 a usage error. docs/audit.md lists every finding code and what to do about it.")]
    Audit(AuditArgs),
    /// Find tokens in files and audit each: walks PATHs as ripgrep does (.gitignore honoured,
    /// binary files skipped) and prints where each token is and what it should not be; never
    /// a whole token.
    #[command(after_help = "\
Examples:
  netless-token scan .
  netless-token scan src config .env --fail-on medium
  netless-token scan . --format sarif > netless-token.sarif   # for code-scanning tools
  netless-token scan . --format json | jq -r .code

Hidden files (.env) are searched; .git is not. Text that looks like a token (a prefix and at
least 32 base64url characters) and does not decode is reported once, as info.

Exit status: 0 nothing at or above --fail-on, 1 findings at or above it, 2 a usage error (a
PATH that does not exist among them).")]
    Scan(ScanArgs),
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

/// The audit policy and the exit threshold, shared by `audit` and `scan`.
#[derive(Args)]
pub struct PolicyArgs {
    /// Exit 1 when a finding is at this severity or above: critical, high, medium, low, info.
    #[arg(long, value_name = "SEVERITY", default_value = "high")]
    pub fail_on: Severity,
    /// Report tokens valid for longer than this from now (same forms as --lifespan).
    #[arg(long, value_parser = parse_lifespan, default_value = "24h", allow_hyphen_values = true)]
    pub max_lifetime: u64,
    /// Audit at this time (ms since the Unix epoch) instead of now.
    #[arg(long, value_name = "MS")]
    pub now: Option<u64>,
}

impl PolicyArgs {
    /// The library's policy for these flags.
    pub fn policy(&self) -> AuditPolicy {
        let policy = AuditPolicy::new().max_lifetime_ms(self.max_lifetime);
        match self.now {
            Some(now) => policy.at(now),
            None => policy,
        }
    }
}

/// `audit`.
#[derive(Args)]
pub struct AuditArgs {
    /// The token, or - to read it from standard input.
    pub token: String,
    /// Print the token's fields and the findings as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// The policy and the exit threshold.
    #[command(flatten)]
    pub policy: PolicyArgs,
}

/// How `scan` prints what it found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One block per token: where, what, and its findings, then a summary.
    Table,
    /// One JSON object per finding, one per line.
    Json,
    /// SARIF 2.1.0, which code-scanning tools read.
    Sarif,
}

/// `scan`.
#[derive(Args)]
pub struct ScanArgs {
    /// Files and folders to search (default: the current folder).
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Also search files that .gitignore, .ignore and .rgignore leave out.
    #[arg(long)]
    pub no_ignore: bool,
    /// The policy and the exit threshold.
    #[command(flatten)]
    pub policy: PolicyArgs,
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
