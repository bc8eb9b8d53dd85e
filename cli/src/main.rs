//! `netless-token`: mint, decode and verify NETLESS tokens from the command line, and serve the
//! service's token endpoints locally. A thin shell over the `netless-token` library: every token
//! operation is a call any library user makes too.

#![forbid(unsafe_code)]

mod args;
mod keys;
mod output;
#[cfg(feature = "server")]
mod serve;

use std::io::{ErrorKind, Read as _, Write as _};
use std::process::ExitCode;

use clap::Parser as _;
use netless_token::{decode, KeyPair, TokenRequest, Validation, MAX_TOKEN_LEN};

use args::{Cli, Command, DecodeArgs, MintArgs, VerifyArgs};
use output::{print_fields, Out};

/// Why the program stops without success, and so its exit status.
pub enum Failure {
    /// A refused input or token: exit 1, with one line on standard error.
    Refused(String),
    /// A usage error: exit 2, with one line on standard error.
    Usage(String),
    /// Standard output was closed early (`| head`): exit 141, as a shell reports a process
    /// ended by SIGPIPE, and nothing printed.
    ClosedStdout,
}

impl Failure {
    /// The failure of a write to standard output.
    pub fn from_stdout(e: std::io::Error) -> Self {
        if e.kind() == ErrorKind::BrokenPipe {
            Failure::ClosedStdout
        } else {
            Failure::Refused(format!("stdout: cannot write: {e}"))
        }
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::Refused(message)
    }
}

/// Exit status for a closed standard output: 128 + SIGPIPE, what shells report for `cat`.
const EXIT_CLOSED_STDOUT: u8 = 141;

fn main() -> ExitCode {
    let result = match Cli::try_parse() {
        Ok(cli) => run(cli.command),
        Err(e) => clap_failure(&e),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::ClosedStdout) => ExitCode::from(EXIT_CLOSED_STDOUT),
        Err(Failure::Refused(message)) => {
            report(&message);
            ExitCode::FAILURE
        }
        Err(Failure::Usage(message)) => {
            report(&message);
            ExitCode::from(2)
        }
    }
}

/// One line on standard error. A closed standard error is ignored: there is nowhere else to
/// say it, and the exit status still tells.
fn report(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "netless-token: {message}");
}

/// What clap's refusal becomes: help and version on standard output, any other error as one
/// line that keeps clap's suggestion of a similar flag or command.
fn clap_failure(e: &clap::Error) -> Result<(), Failure> {
    use clap::error::{ContextKind, ContextValue, ErrorKind as Kind};
    match e.kind() {
        Kind::DisplayHelp | Kind::DisplayVersion => {
            let mut out = Out::new();
            out.text(e.render())?;
            return out.flush();
        }
        Kind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let commands = if cfg!(feature = "server") {
                "mint, decode, verify or serve"
            } else {
                "mint, decode or verify"
            };
            return Err(Failure::Usage(format!(
                "a command is required: {commands} (see --help)"
            )));
        }
        _ => {}
    }
    // clap's message spans several lines; its first paragraph says what is wrong.
    let rendered = e.render().to_string();
    let what: Vec<&str> = rendered
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .map(str::trim)
        .collect();
    let what = what.join(" ");
    let what = what.strip_prefix("error: ").unwrap_or(&what);
    let suggested = [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand]
        .into_iter()
        .find_map(|kind| match e.get(kind) {
            Some(ContextValue::String(s)) => Some(s.clone()),
            Some(ContextValue::Strings(s)) => Some(s.join("' or '")),
            _ => None,
        });
    let hint = match suggested {
        Some(similar) => format!("did you mean '{similar}'? see --help"),
        None if e.kind() == Kind::UnknownArgument => {
            "a value starting with '-' takes the --flag=value form; see --help".into()
        }
        None => "see --help".into(),
    };
    Err(Failure::Usage(format!("{what} ({hint})")))
}

fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Mint(args) => run_mint(args),
        Command::Decode(args) => run_decode(args),
        Command::Verify(args) => run_verify(args),
        #[cfg(feature = "server")]
        Command::Serve(args) => serve::run(args),
    }
}

fn run_mint(args: MintArgs) -> Result<(), Failure> {
    let sk = keys::secret_key(&args.keys)?;
    let ak = args
        .keys
        .ak
        .as_deref()
        .ok_or("ak: no access key: pass --ak or set NETLESS_AK".to_owned())?;
    let pair = KeyPair::new(ak, &sk).map_err(|e| e.to_string())?;
    let extra: Vec<(&str, &str)> = args
        .extra
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = TokenRequest::new(args.kind, args.lifespan, args.role, args.uuid.as_deref())
        .with_extra(&extra);
    let token = match (args.issued_at, &args.nonce) {
        (None, None) => pair.mint_now(&request),
        // What mint_now does, with the part given fixed.
        (issued_at, nonce) => {
            let issued_at = match issued_at {
                Some(ms) => ms,
                None => unix_time_ms()?,
            };
            let nonce = nonce.clone().unwrap_or_else(random_nonce);
            pair.mint(&request, issued_at, &nonce)
        }
    }
    .map_err(|e| e.to_string())?;
    let mut out = Out::new();
    out.line(token)?;
    out.flush()
}

fn run_decode(args: DecodeArgs) -> Result<(), Failure> {
    let token = token_text(&args.token)?;
    let decoded = decode(&token).map_err(|e| e.to_string())?;
    let mut out = Out::new();
    print_fields(&mut out, &decoded, args.json, None)?;
    out.flush()
}

fn run_verify(args: VerifyArgs) -> Result<(), Failure> {
    let token = token_text(&args.token)?;
    let sk = keys::secret_key(&args.keys)?;
    let mut validation = Validation::new().leeway_ms(args.leeway);
    if let Some(kind) = args.kind {
        validation = validation.expect_kind(kind);
    }
    if let Some(now) = args.now {
        validation = validation.at(now);
    }
    // Without --ak, the token's own access key is taken: the secret alone decides.
    let ak = match &args.keys.ak {
        Some(ak) => ak.clone(),
        None => decode(&token).map_err(|e| e.to_string())?.ak().to_owned(),
    };
    let pair = KeyPair::new(&ak, &sk).map_err(|e| e.to_string())?;
    let verified = pair
        .verify(&token, &validation)
        .map_err(|e| e.to_string())?;
    let mut out = Out::new();
    print_fields(&mut out, &verified, args.json, Some("valid"))?;
    out.flush()
}

/// The token from the argument, or from standard input for `-` (surrounding whitespace
/// dropped; at most a little over the token limit is read).
fn token_text(arg: &str) -> Result<String, Failure> {
    if arg != "-" {
        return Ok(arg.to_owned());
    }
    let mut text = String::new();
    std::io::stdin()
        .take(MAX_TOKEN_LEN as u64 + 64)
        .read_to_string(&mut text)
        .map_err(|e| format!("token: cannot read standard input: {e}"))?;
    let token = text.trim();
    if token.is_empty() {
        return Err(Failure::Refused(
            "token: standard input was empty; pipe a token in, or pass it as an argument".into(),
        ));
    }
    Ok(token.to_owned())
}

/// The system clock in ms since the Unix epoch.
fn unix_time_ms() -> Result<u64, Failure> {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|_| "clock: the system clock reads before 1970".to_owned())?;
    Ok(u64::try_from(since.as_millis()).unwrap_or(u64::MAX))
}

/// A random UUID v4, lowercase, like the nonce of every token the library mints now.
fn random_nonce() -> String {
    uuid::Uuid::new_v4().to_string()
}
