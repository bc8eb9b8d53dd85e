//! `serve`'s flags, and the settings it runs with, derived from them in one place.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use netless_token::Keyring;

use super::keys_file;
use super::log::LogFormat;

/// `serve --help`'s closing text.
pub const HELP: &str = "\
Examples:
  NETLESS_AK=my-ak NETLESS_SK=my-sk netless-token serve
  netless-token serve --listen 0.0.0.0:8787 --keys-file /etc/netless/keys --log-format json

  curl -s -X POST http://127.0.0.1:8787/v5/tokens/teams -H 'region: us-sv' \\
       -H 'content-type: application/json' \\
       -d '{\"accessKey\":\"my-ak\",\"secretAccessKey\":\"my-sk\",\"lifespan\":3600000,\"role\":\"admin\"}'

Keys come from NETLESS_AK and NETLESS_SK, or from --keys-file: a file of mode 0600 with one
'ACCESS_KEY SECRET_KEY' pair per line ('#' starts a comment line); an access key may appear on
several lines while its secret rotates. One line per request is logged on stderr, without
headers or bodies; a slow or closed stderr never holds up a request (lines that cannot be
written in time are dropped and counted). Limits: body 16 KiB, request line and headers 8 KiB.
On SIGINT or SIGTERM the server stops accepting, answers every further request with
'Connection: close', closes idle connections after --drain, and exits once the last connection
closes, or after --grace at most.";

/// `serve`'s flags.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8787", value_name = "ADDR:PORT")]
    listen: SocketAddr,
    /// Access key (AK) of the one key pair served, with NETLESS_SK as its secret (not used with
    /// --keys-file).
    #[arg(long, env = "NETLESS_AK")]
    ak: Option<String>,
    /// File of 'ACCESS_KEY SECRET_KEY' lines (mode 0600) instead of NETLESS_AK / NETLESS_SK.
    #[arg(long, value_name = "PATH")]
    keys_file: Option<PathBuf>,
    /// Layout of the log on stderr: one plain line per event, or one JSON object per line.
    #[arg(long, value_enum, default_value = "text", value_name = "FORMAT")]
    log_format: LogFormat,
    /// Listen backlog: connections the kernel queues before they are accepted (capped by
    /// net.core.somaxconn).
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..))]
    backlog: u32,
    /// Connections served at once; past it a new connection gets a 503 at once and is closed.
    #[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    max_connections: u32,
    /// Time a request may take, body included; past it the answer is 408.
    #[arg(long, default_value = "10s", value_parser = positive_duration, value_name = "DURATION")]
    request_timeout: Duration,
    /// Time a connection may take to send a request's headers, idle keep-alive waits included;
    /// past it the connection is closed.
    #[arg(long, default_value = "30s", value_parser = positive_duration, value_name = "DURATION")]
    idle_timeout: Duration,
    /// After SIGINT or SIGTERM: how long open connections may still send requests (each
    /// answered with 'Connection: close') before idle ones are closed.
    #[arg(long, default_value = "1s", value_parser = duration, value_name = "DURATION")]
    drain: Duration,
    /// After SIGINT or SIGTERM: the longest the server waits for requests in progress before it
    /// exits anyway.
    #[arg(long, default_value = "10s", value_parser = duration, value_name = "DURATION")]
    grace: Duration,
}

/// A duration such as `10s`, `500ms`, `1m`.
fn duration(text: &str) -> Result<Duration, String> {
    humantime::parse_duration(text).map_err(|e| format!("{e} (for example 10s or 500ms)"))
}

/// A duration above zero.
fn positive_duration(text: &str) -> Result<Duration, String> {
    match duration(text)? {
        Duration::ZERO => Err("must be above zero".into()),
        d => Ok(d),
    }
}

/// Everything `serve` runs with, flags resolved and keys read.
pub struct Settings {
    /// `--listen`.
    pub listen: SocketAddr,
    /// The key pairs: from `--keys-file`, or the one of `--ak` (or `NETLESS_AK`) and `NETLESS_SK`.
    pub keyring: Keyring,
    /// `--log-format`.
    pub log_format: LogFormat,
    /// `--backlog`.
    pub backlog: u32,
    /// `--max-connections`.
    pub max_connections: usize,
    /// `--request-timeout`.
    pub request_timeout: Duration,
    /// `--idle-timeout`.
    pub idle_timeout: Duration,
    /// `--drain`, at most `--grace`.
    pub drain: Duration,
    /// `--grace`.
    pub grace: Duration,
}

impl TryFrom<ServeArgs> for Settings {
    /// Why the keys could not be read, naming the flag or variable at fault.
    type Error = String;

    fn try_from(args: ServeArgs) -> Result<Self, String> {
        let keyring = match &args.keys_file {
            Some(path) => keys_file::read(path)?,
            None => keys_file::single(args.ak.as_deref())?,
        };
        Ok(Settings {
            listen: args.listen,
            keyring,
            log_format: args.log_format,
            backlog: args.backlog,
            max_connections: args.max_connections as usize,
            request_timeout: args.request_timeout,
            idle_timeout: args.idle_timeout,
            drain: args.drain.min(args.grace),
            grace: args.grace,
        })
    }
}
