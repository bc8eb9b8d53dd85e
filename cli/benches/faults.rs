//! Fault scenarios of `netless-token serve` that need many connections, loopback only and
//! bounded: every scenario has a fixed size and stops. Prints one line of figures per scenario
//! and exits non-zero when a scenario's guarantee does not hold.
//!
//!   cargo bench --bench faults
//!
//! 1. `slow-headers`: 1,000 clients each send 6 KiB of an unfinished header and hold; then
//!    1,000 clients each try to send 400 KB of header. Server RSS (VmHWM, Linux) is reported.
//! 2. `burst`: 2,000 sequential connects; counts connects that took over 0.9 s (a SYN retry).
//! 3. `cap`: 1,500 held connections against the default cap of 1,024; times the 503s.
//! 4. `shutdown`: 64 keep-alive clients sending back to back, SIGTERM mid-way; counts requests
//!    lost (sent in full, never answered) and the time to exit.
//! 5. `stalled-log`: 64 clients, 100,000 requests, stderr a pipe nobody reads.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The access key the server runs with.
const AK: &str = "faults-ak";
/// Its secret key.
const SK: &str = "faults-sk";
/// The cheapest request.
const HEALTHZ: &[u8] = b"GET /healthz HTTP/1.1\r\nhost: bench\r\n\r\n";

fn main() {
    let mut failed = false;
    failed |= slow_headers();
    failed |= burst();
    failed |= cap();
    failed |= shutdown();
    failed |= stalled_log();
    if failed {
        std::process::exit(1);
    }
}

/// A running server and its address.
struct Server {
    /// The server process.
    child: Child,
    /// Where it listens.
    addr: SocketAddr,
}

impl Server {
    /// Starts the server with `args`, its stderr going to `stderr`.
    fn start(args: &[&str], stderr: Stdio) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_netless-token"))
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(args)
            .env("NETLESS_AK", AK)
            .env("NETLESS_SK", SK)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .expect("start the server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .trim_start_matches("listening on http://")
            .parse()
            .expect("an address");
        Server { child, addr }
    }

    /// The server's resident memory now and at its peak, in KiB (Linux only; 0 elsewhere).
    fn rss_kib(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }

    /// Sends SIGTERM.
    fn terminate(&self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
    }

    /// Waits at most `limit` for the exit; its success, or `None` when still running.
    fn wait_at_most(&mut self, limit: Duration) -> Option<bool> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status.success());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A connection with generous timeouts.
fn connect(addr: SocketAddr) -> std::io::Result<TcpStream> {
    let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    Ok(stream)
}

/// Reads one response's status and whether it closes the connection; `None` on EOF or error.
fn read_response(reader: &mut BufReader<TcpStream>) -> Option<(u16, bool)> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let status = line.split(' ').nth(1)?.parse().ok()?;
    let (mut length, mut close) = (0usize, false);
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end().to_ascii_lowercase();
        if header.is_empty() {
            break;
        }
        if let Some(v) = header.strip_prefix("content-length:") {
            length = v.trim().parse().ok()?;
        }
        close |= header == "connection: close";
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((status, close))
}

/// Scenario 1: memory with 1,000 slow header senders, then 1,000 oversized headers.
fn slow_headers() -> bool {
    const CLIENTS: usize = 1_000;
    let mut server = Server::start(&["--max-connections", "2048"], Stdio::null());
    let (base, _) = server.rss_kib();
    let mut held = Vec::with_capacity(CLIENTS);
    let partial = format!(
        "GET /healthz HTTP/1.1\r\nhost: bench\r\nx-slow: {}",
        "s".repeat(6 * 1024)
    );
    for _ in 0..CLIENTS {
        if let Ok(mut stream) = connect(server.addr) {
            let _ = stream.write_all(partial.as_bytes());
            held.push(stream);
        }
    }
    std::thread::sleep(Duration::from_secs(1));
    let (holding, _) = server.rss_kib();
    // Now 1,000 clients try 400 KB of header each (8 threads): each is cut at the limit.
    let answered_431 = Arc::new(AtomicUsize::new(0));
    let addr = server.addr;
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let answered_431 = answered_431.clone();
            std::thread::spawn(move || {
                let big = format!(
                    "GET /healthz HTTP/1.1\r\nhost: bench\r\nx-big: {}",
                    "b".repeat(400_000)
                );
                for _ in 0..CLIENTS / 8 {
                    let Ok(mut stream) = connect(addr) else {
                        continue;
                    };
                    // The server answers and closes long before 400 KB: the write may fail.
                    let _ = stream.write_all(big.as_bytes());
                    let mut reader = BufReader::new(stream);
                    if let Some((431, _)) = read_response(&mut reader) {
                        answered_431.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for thread in threads {
        let _ = thread.join();
    }
    let (after, peak) = server.rss_kib();
    server.terminate();
    let start = Instant::now();
    let exited = server.wait_at_most(Duration::from_secs(15));
    let exit = start.elapsed();
    drop(held);
    println!(
        "slow-headers: {} clients holding 6 KiB unfinished headers: RSS {:.1} MiB (idle {:.1} MiB); \
         {} of {CLIENTS} 400 KB headers answered 431; RSS after {:.1} MiB, peak {:.1} MiB; \
         SIGTERM with them held: exit {exited:?} after {:.2} s",
        CLIENTS,
        holding as f64 / 1024.0,
        base as f64 / 1024.0,
        answered_431.load(Ordering::Relaxed),
        after as f64 / 1024.0,
        peak as f64 / 1024.0,
        exit.as_secs_f64(),
    );
    // Tens of MiB at most, and the held headers do not hold the exit past the drain window
    // (1 s) by much.
    peak > 64 * 1024 || exited != Some(true) || exit > Duration::from_secs(5)
}

/// Scenario 2: one-second stalls in 2,000 sequential connects.
fn burst() -> bool {
    const CONNECTS: usize = 2_000;
    let server = Server::start(&[], Stdio::null());
    let mut stalls = 0;
    let mut failures = 0;
    let start = Instant::now();
    for _ in 0..CONNECTS {
        let began = Instant::now();
        match TcpStream::connect_timeout(&server.addr, Duration::from_secs(5)) {
            Ok(stream) => drop(stream),
            Err(_) => failures += 1,
        }
        if began.elapsed() > Duration::from_millis(900) {
            stalls += 1;
        }
    }
    println!(
        "burst: {CONNECTS} sequential connects in {:.2} s: {stalls} one-second stalls, {failures} failed",
        start.elapsed().as_secs_f64()
    );
    stalls > 0 || failures > 0
}

/// Scenario 3: the connection cap.
fn cap() -> bool {
    const CONNECTIONS: usize = 1_500;
    let server = Server::start(&[], Stdio::null());
    let mut held = Vec::with_capacity(CONNECTIONS);
    let mut refused = 0;
    let mut slowest = Duration::ZERO;
    for _ in 0..CONNECTIONS {
        let Ok(mut stream) = connect(server.addr) else {
            continue;
        };
        // A request on each: the first 1,024 are served (and stay open), the rest get 503.
        let began = Instant::now();
        let _ = stream.write_all(HEALTHZ);
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        match read_response(&mut reader) {
            Some((503, _)) => {
                refused += 1;
                slowest = slowest.max(began.elapsed());
            }
            Some(_) => held.push(stream),
            None => {}
        }
    }
    let (rss, _) = server.rss_kib();
    println!(
        "cap: {CONNECTIONS} connections at the default cap of 1024: {} served and held, {refused} answered 503 \
         (slowest 503 in {:.1} ms); RSS {:.1} MiB",
        held.len(),
        slowest.as_secs_f64() * 1e3,
        rss as f64 / 1024.0
    );
    held.len() != 1024 || refused != CONNECTIONS - 1024
}

/// Scenario 4: SIGTERM under keep-alive load.
fn shutdown() -> bool {
    const CLIENTS: usize = 64;
    let mut server = Server::start(&[], Stdio::null());
    let addr = server.addr;
    let answered = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let answered = answered.clone();
            std::thread::spawn(move || {
                let Ok(mut stream) = connect(addr) else {
                    return (0, 0);
                };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut lost = 0;
                for _ in 0..1_000_000 {
                    if stream.write_all(HEALTHZ).is_err() {
                        break;
                    }
                    match read_response(&mut reader) {
                        Some((_, close)) => {
                            answered.fetch_add(1, Ordering::Relaxed);
                            if close {
                                break;
                            }
                        }
                        None => {
                            lost += 1;
                            break;
                        }
                    }
                }
                (1, lost)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs(1));
    let before = answered.load(Ordering::Relaxed);
    server.terminate();
    let start = Instant::now();
    let exited = server.wait_at_most(Duration::from_secs(15));
    let exit = start.elapsed();
    let lost: usize = clients
        .into_iter()
        .map(|c| c.join().unwrap_or((0, 1)).1)
        .sum();
    println!(
        "shutdown: {CLIENTS} keep-alive clients, {before} answered before SIGTERM, {} after; \
         {lost} lost; exit {exited:?} {:.3} s after SIGTERM",
        answered.load(Ordering::Relaxed) - before,
        exit.as_secs_f64()
    );
    lost > 0 || exited != Some(true)
}

/// Scenario 5: load with a stalled stderr.
fn stalled_log() -> bool {
    const CLIENTS: usize = 64;
    const REQUESTS: usize = 100_000;
    // A pipe nobody reads: the server's stderr stalls once 64 KiB are queued in it.
    let mut server = Server::start(&[], Stdio::piped());
    let _stalled = server.child.stderr.take();
    let addr = server.addr;
    let start = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|_| {
            std::thread::spawn(move || {
                let Ok(mut stream) = connect(addr) else {
                    return (0, REQUESTS / CLIENTS);
                };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let (mut ok, mut failed) = (0, 0);
                for _ in 0..REQUESTS / CLIENTS {
                    if stream.write_all(HEALTHZ).is_ok()
                        && matches!(read_response(&mut reader), Some((200, _)))
                    {
                        ok += 1;
                    } else {
                        failed += 1;
                    }
                }
                (ok, failed)
            })
        })
        .collect();
    let (ok, failed) = clients
        .into_iter()
        .map(|c| c.join().unwrap_or((0, 0)))
        .fold((0, 0), |(a, b), (c, d)| (a + c, b + d));
    let elapsed = start.elapsed();
    server.terminate();
    let exited = server.wait_at_most(Duration::from_secs(15));
    println!(
        "stalled-log: {ok} requests answered, {failed} failed in {:.2} s ({:.0}/s) with stderr stalled; \
         SIGTERM: exit {exited:?}",
        elapsed.as_secs_f64(),
        ok as f64 / elapsed.as_secs_f64()
    );
    failed > 0 || exited != Some(true)
}
