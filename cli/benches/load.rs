//! Bounded load test of `netless-token serve`, loopback only: a fixed number of Room token
//! requests at a fixed concurrency over keep-alive connections, then it stops. Reports
//! requests per second and p50/p99 latency; exits non-zero when any request failed.
//!
//!   cargo bench --bench load                       100,000 requests, 64 at a time
//!   cargo bench --bench load -- 200000 128         requests, concurrency

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const AK: &str = "load-test-ak";
const SK: &str = "load-test-sk";

fn main() {
    let numbers: Vec<usize> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(|a| a.parse().expect("requests and concurrency are numbers"))
        .collect();
    let requests = numbers.first().copied().unwrap_or(100_000);
    let concurrency = numbers.get(1).copied().unwrap_or(64).max(1);

    let mut server = Command::new(env!("CARGO_BIN_EXE_netless-token"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("NETLESS_AK", AK)
        .env("NETLESS_SK", SK)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server");
    let mut line = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line.trim().trim_start_matches("listening on ").to_owned();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (latencies, failures, elapsed) = runtime.block_on(load(&base, requests, concurrency));
    let _ = server.kill();
    let _ = server.wait();

    let mut latencies = latencies;
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
    };
    let ms = |d: Option<&Duration>| d.map_or(f64::NAN, |d| d.as_secs_f64() * 1e3);
    println!(
        "load: {requests} requests, concurrency {concurrency}, {:.2} s: {:.0} requests/s, p50 {:.3} ms, p99 {:.3} ms, {failures} failed",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64(),
        ms(pct(0.50)),
        ms(pct(0.99)),
    );
    if failures > 0 {
        std::process::exit(1);
    }
}

async fn load(base: &str, requests: usize, concurrency: usize) -> (Vec<Duration>, usize, Duration) {
    let client = reqwest::Client::builder()
        .no_proxy()
        .pool_max_idle_per_host(concurrency)
        .build()
        .unwrap();
    let body =
        format!(r#"{{"accessKey":"{AK}","secretAccessKey":"{SK}","lifespan":0,"role":"admin"}}"#);
    let sdk: String = client
        .post(format!("{base}/v5/tokens/teams"))
        .header("region", "us-sv")
        .body(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = Arc::new(format!(
        "{base}/v5/tokens/rooms/a7e0a4d0c1a011eabc5b5d4c8e0aca69"
    ));
    let sdk = Arc::new(sdk);
    let start = Instant::now();
    let mut workers = tokio::task::JoinSet::new();
    for worker in 0..concurrency {
        let share = requests / concurrency + usize::from(worker < requests % concurrency);
        let (client, url, sdk) = (client.clone(), url.clone(), sdk.clone());
        workers.spawn(async move {
            let mut latencies = Vec::with_capacity(share);
            let mut failures = 0;
            for _ in 0..share {
                let sent = Instant::now();
                let response = client
                    .post(url.as_str())
                    .header("region", "us-sv")
                    .header("token", sdk.as_str())
                    .body(r#"{"lifespan":3600000,"role":"writer"}"#)
                    .send()
                    .await;
                let ok = match response {
                    Ok(r) => {
                        r.status().as_u16() == 201 && r.bytes().await.is_ok_and(|b| b.len() > 100)
                    }
                    Err(_) => false,
                };
                latencies.push(sent.elapsed());
                failures += usize::from(!ok);
            }
            (latencies, failures)
        });
    }
    let mut all = Vec::with_capacity(requests);
    let mut failures = 0;
    while let Some(done) = workers.join_next().await {
        let (latencies, failed) = done.unwrap();
        all.extend(latencies);
        failures += failed;
    }
    (all, failures, start.elapsed())
}
