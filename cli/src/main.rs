//! `netless-token`: mint, decode, verify and audit NETLESS tokens from the command line, find
//! them in a tree of files, and serve the service's token endpoints locally. A thin shell over the `netless-token` library: every token
//! operation is a call any library user makes too.

#![forbid(unsafe_code)]

mod args;
mod commands;
mod failure;
mod keys;
mod output;
mod scan;
#[cfg(feature = "server")]
mod serve;

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;

use args::{Cli, Command};
use failure::Failure;
use output::Out;

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
            let mut out = Out::new()?;
            out.text(e.render())?;
            return out.flush();
        }
        Kind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let commands = if cfg!(feature = "server") {
                "mint, decode, verify, audit, scan or serve"
            } else {
                "mint, decode, verify, audit or scan"
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
        Command::Mint(args) => commands::mint(args),
        Command::Decode(args) => commands::decode(args),
        Command::Verify(args) => commands::verify(args),
        Command::Audit(args) => commands::audit(args),
        Command::Scan(args) => scan::run(args),
        #[cfg(feature = "server")]
        Command::Serve(args) => serve::run(args),
    }
}
