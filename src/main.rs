//! `netless-token`: mint, decode and verify NETLESS tokens from the command line. A thin shell
//! over the library: every token operation is a call a library user makes too.

#![forbid(unsafe_code)]

#[cfg(feature = "server")]
mod serve;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use netless_token::{
    decode, random_nonce, unix_time_ms, verify, DecodedToken, KeyPair, Role, SecretKey, TokenKind,
    TokenRequest, Validation, MAX_TOKEN_LEN,
};

const ABOUT: &str = "Mint, decode and verify NETLESS whiteboard tokens offline.";

const KEYS_HELP: &str = "\
Keys:
  The access key (AK) comes from --ak or NETLESS_AK. The secret key (SK) comes only from
  NETLESS_SK or --sk-file PATH (a file of mode 0600 holding the key; one trailing newline is
  ignored), never from an argument: every user of the machine can read a process's arguments.";

#[derive(Parser)]
#[command(name = "netless-token", version, about = ABOUT, after_help = KEYS_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
    #[command(after_help = "\
Examples:
  NETLESS_AK=my-ak NETLESS_SK=my-sk netless-token serve
  netless-token serve --listen 0.0.0.0:8787 --keys-file /etc/netless/keys

  curl -s -X POST http://127.0.0.1:8787/v5/tokens/teams -H 'region: us-sv' \\
       -H 'content-type: application/json' \\
       -d '{\"accessKey\":\"my-ak\",\"secretAccessKey\":\"my-sk\",\"lifespan\":3600000,\"role\":\"admin\"}'

Keys come from NETLESS_AK and NETLESS_SK, or from --keys-file: a file of mode 0600 with one
'ACCESS_KEY SECRET_KEY' pair per line ('#' starts a comment line); an access key may appear on
several lines while its secret rotates. One line per request is logged on stderr, without
headers or bodies. SIGINT or SIGTERM stops the server after the requests in flight.")]
    Serve(ServeArgs),
}

#[cfg(feature = "server")]
#[derive(Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8787", value_name = "ADDR:PORT")]
    listen: std::net::SocketAddr,
    /// File of 'ACCESS_KEY SECRET_KEY' lines (mode 0600) instead of NETLESS_AK / NETLESS_SK.
    #[arg(long, value_name = "PATH")]
    keys_file: Option<PathBuf>,
}

#[derive(Args)]
struct KeyArgs {
    /// Access key (AK).
    #[arg(long, env = "NETLESS_AK")]
    ak: Option<String>,
    /// File holding the secret key (SK); must not be readable by group or others.
    #[arg(long, value_name = "PATH")]
    sk_file: Option<PathBuf>,
    /// Refused: a secret on the command line is visible to every user of the machine.
    #[arg(long, hide = true, value_name = "SK", allow_hyphen_values = true)]
    sk: Option<String>,
}

#[derive(Args)]
struct MintArgs {
    /// Token kind: sdk, room or task.
    #[arg(value_name = "KIND")]
    kind: TokenKind,
    /// Role: admin, writer, reader (or 0, 1, 2).
    #[arg(long)]
    role: Role,
    /// How long the token lives: milliseconds (600000), a number with ms, s, m, h or d
    /// (10m, 1h, 30d), or 0 / never for a token that never expires.
    #[arg(long, value_parser = parse_lifespan, allow_hyphen_values = true)]
    lifespan: u64,
    /// Room or task UUID (room and task tokens only).
    #[arg(long)]
    uuid: Option<String>,
    /// Nonce to use instead of a random UUID v4 (for reproducible output).
    #[arg(long)]
    nonce: Option<String>,
    /// Issue time in ms since the Unix epoch instead of now (for reproducible output).
    #[arg(long, value_name = "MS")]
    issued_at: Option<u64>,
    /// An extra field to sign and carry, as NAME=VALUE; may be repeated.
    #[arg(long, value_name = "NAME=VALUE", value_parser = parse_extra)]
    extra: Vec<(String, String)>,
    #[command(flatten)]
    keys: KeyArgs,
}

#[derive(Args)]
struct DecodeArgs {
    /// The token, or - to read it from standard input.
    token: String,
    /// Print the fields as one JSON object.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct VerifyArgs {
    /// The token, or - to read it from standard input.
    token: String,
    /// Require this kind: sdk, room or task.
    #[arg(long)]
    kind: Option<TokenKind>,
    /// Accept a token this long after its expireAt (same forms as --lifespan).
    #[arg(long, value_parser = parse_lifespan, default_value = "0", allow_hyphen_values = true)]
    leeway: u64,
    /// Check expiry at this time (ms since the Unix epoch) instead of now.
    #[arg(long, value_name = "MS")]
    now: Option<u64>,
    /// Print the fields as one JSON object.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    keys: KeyArgs,
}

/// A lifespan: `0` or `never`, plain milliseconds, or a number with `ms`, `s`, `m`, `h`, `d`.
fn parse_lifespan(text: &str) -> Result<u64, String> {
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

fn parse_extra(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .ok_or_else(|| format!("{text:?} is not NAME=VALUE"))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                print!("{e}");
                return ExitCode::SUCCESS;
            }
            if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                eprintln!(
                    "netless-token: a command is required: mint, decode or verify (see --help)"
                );
                return ExitCode::from(2);
            }
            // clap's message spans several lines; its first paragraph says what is wrong.
            let rendered = e.to_string();
            let what: Vec<&str> = rendered
                .lines()
                .take_while(|line| !line.trim().is_empty())
                .map(str::trim)
                .collect();
            let what = what.join(" ");
            let what = what.strip_prefix("error: ").unwrap_or(&what);
            let hint = if e.kind() == ErrorKind::UnknownArgument {
                "a value starting with '-' takes the --flag=value form; see --help"
            } else {
                "see --help"
            };
            eprintln!("netless-token: {what} ({hint})");
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Command::Mint(args) => run_mint(args),
        Command::Decode(args) => run_decode(args),
        Command::Verify(args) => run_verify(args),
        #[cfg(feature = "server")]
        Command::Serve(args) => run_serve(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("netless-token: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run_mint(args: MintArgs) -> Result<(), String> {
    let ak = args
        .keys
        .ak
        .clone()
        .ok_or("ak: no access key: pass --ak or set NETLESS_AK")?;
    let sk = secret_key(&args.keys)?;
    let pair = KeyPair::new(&ak, &sk).map_err(|e| e.to_string())?;
    let extra: Vec<(&str, &str)> = args
        .extra
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = TokenRequest::new(args.kind, args.role, args.lifespan, args.uuid.as_deref())
        .with_extra(&extra);
    // What mint_now does, with either part fixed when given.
    let issued_at = match args.issued_at {
        Some(ms) => ms,
        None => unix_time_ms().ok_or("clock: the system clock reads before 1970")?,
    };
    let nonce = args.nonce.unwrap_or_else(random_nonce);
    let token = pair
        .mint(&request, issued_at, &nonce)
        .map_err(|e| e.to_string())?;
    println!("{token}");
    Ok(())
}

fn run_decode(args: DecodeArgs) -> Result<(), String> {
    let token = token_text(&args.token)?;
    let decoded = decode(&token).map_err(|e| e.to_string())?;
    print_fields(&decoded, args.json, None);
    Ok(())
}

fn run_verify(args: VerifyArgs) -> Result<(), String> {
    let token = token_text(&args.token)?;
    let sk = secret_key(&args.keys)?;
    let mut validation = Validation::new().leeway_ms(args.leeway);
    if let Some(kind) = args.kind {
        validation = validation.expect_kind(kind);
    }
    if let Some(now) = args.now {
        validation = validation.at(now);
    }
    let decoded = match &args.keys.ak {
        Some(ak) => KeyPair::new(ak, &sk)
            .map_err(|e| e.to_string())?
            .verify(&token, &validation),
        None => verify(&token, &sk, &validation),
    }
    .map_err(|e| e.to_string())?;
    print_fields(&decoded, args.json, Some("valid"));
    Ok(())
}

/// The secret key from `--sk-file` or `NETLESS_SK`; an SK on the command line is refused.
fn secret_key(keys: &KeyArgs) -> Result<SecretKey, String> {
    if keys.sk.is_some() {
        return Err(
            "sk: refusing a secret key on the command line, where every user of the \
                    machine can read it; use NETLESS_SK or --sk-file PATH"
                .into(),
        );
    }
    match &keys.sk_file {
        Some(path) => read_sk_file(path),
        None => env_secret_key(),
    }
}

/// The secret key from `NETLESS_SK`.
fn env_secret_key() -> Result<SecretKey, String> {
    match std::env::var_os("NETLESS_SK") {
        Some(value) => {
            let value = value
                .into_string()
                .map_err(|_| "sk: NETLESS_SK is not valid UTF-8")?;
            SecretKey::new(value).map_err(|e| format!("{e} (NETLESS_SK)"))
        }
        None => Err("sk: no secret key: set NETLESS_SK or pass --sk-file PATH".into()),
    }
}

fn read_sk_file(path: &Path) -> Result<SecretKey, String> {
    let mut contents = read_private_file(path, "sk-file")?;
    SecretKey::from_file_contents(std::mem::take(&mut *contents))
        .map_err(|e| format!("{e} (in {})", path.display()))
}

/// Reads a file that holds secrets, refusing one that group or others may read (with the
/// `chmod` that fixes it). The contents are wiped from memory when dropped.
fn read_private_file(path: &Path, option: &str) -> Result<zeroize::Zeroizing<Vec<u8>>, String> {
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
    let mut contents = zeroize::Zeroizing::new(Vec::new());
    file.take(1024 * 1024)
        .read_to_end(&mut contents)
        .map_err(|e| format!("{option}: cannot read {shown}: {e}"))?;
    Ok(contents)
}

#[cfg(feature = "server")]
fn run_serve(args: ServeArgs) -> Result<(), String> {
    let mut keyring = netless_token::Keyring::new();
    match &args.keys_file {
        Some(path) => {
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
                let sk = SecretKey::new(sk.to_owned()).map_err(|e| e.to_string())?;
                keyring.insert(KeyPair::new(ak, &sk).map_err(|e| e.to_string())?);
            }
            if keyring.is_empty() {
                return Err(format!("keys-file: {} holds no key pair", path.display()));
            }
        }
        None => {
            let ak = std::env::var("NETLESS_AK").map_err(|_| {
                "ak: no access key: set NETLESS_AK and NETLESS_SK, or pass --keys-file PATH"
            })?;
            let sk = env_secret_key()?;
            keyring.insert(KeyPair::new(&ak, &sk).map_err(|e| e.to_string())?);
        }
    }
    serve::run(args.listen, keyring)
}

/// The token from the argument, or from standard input for `-` (one trailing newline and
/// surrounding whitespace dropped; at most a little over the token limit is read).
fn token_text(arg: &str) -> Result<String, String> {
    if arg != "-" {
        return Ok(arg.to_owned());
    }
    let mut text = String::new();
    std::io::stdin()
        .take(MAX_TOKEN_LEN as u64 + 64)
        .read_to_string(&mut text)
        .map_err(|e| format!("token: cannot read standard input: {e}"))?;
    Ok(text.trim().to_owned())
}

/// A value as printed in the readable output: as it is, or quoted and escaped when it holds
/// control characters, quotes or is empty, so every field stays on its line.
fn printable(value: &str) -> String {
    if value.is_empty()
        || value.chars().any(|c| c.is_control() || c == '"')
        || value.trim() != value
    {
        format!("{value:?}")
    } else {
        value.to_owned()
    }
}

fn print_fields(token: &DecodedToken, json: bool, status: Option<&str>) {
    if json {
        println!("{}", token.to_json());
        return;
    }
    if let Some(status) = status {
        println!("{status}");
    }
    println!("kind      {}", token.kind());
    println!("ak        {}", printable(token.ak()));
    println!("nonce     {}", printable(token.nonce()));
    println!("role      {} ({})", token.role(), token.role().as_digit());
    match token.expire_at() {
        Some(ms) => println!("expireAt  {ms} ({})", iso8601(ms)),
        None => println!("expireAt  never"),
    }
    if let Some(uuid) = token.uuid() {
        println!("uuid      {}", printable(uuid));
    }
    for (name, value) in token.extra() {
        println!("extra     {} = {}", printable(name), printable(value));
    }
    println!("sig       {}", token.sig_hex());
}

/// `ms` since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ` (proleptic Gregorian, UTC).
fn iso8601(ms: u64) -> String {
    let days = ms / 86_400_000;
    let rem = ms % 86_400_000;
    // Howard Hinnant's civil_from_days, for days since 1970-01-01 (non-negative here).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
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
    fn iso8601_matches_known_instants() {
        // Instants checked against `new Date(ms).toISOString()` in node.
        assert_eq!(iso8601(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso8601(1_700_000_000_600), "2023-11-14T22:13:20.600Z");
        assert_eq!(iso8601(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(iso8601(4_102_444_799_999), "2099-12-31T23:59:59.999Z");
    }
}
