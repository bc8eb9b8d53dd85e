//! The server's log: `tracing` events laid out by `tracing-subscriber` (plain text or JSON), and
//! written to standard error by a thread of their own, so that a slow, stalled or closed log
//! sink can never block or fail a request, nor hold up shutdown.
//!
//! Lines wait in a bounded queue ([`QUEUE_LINES`]); when it is full a line is dropped and counted,
//! and the count is reported on a line of its own once the queue has drained, or at exit. A
//! failed write (a closed pipe, a full disk) is ignored. Nothing here ever panics.

use std::fmt;
use std::io::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::sync::Arc;
use std::time::Duration;

use tracing::field::{Field, Visit};
use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::time::{FormatTime as _, SystemTime};
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, MakeWriter};
use tracing_subscriber::registry::LookupSpan;

/// How many log lines may wait for the log sink before new ones are dropped.
pub const QUEUE_LINES: usize = 2048;
/// The most bytes the writer thread hands the sink in one write.
const BATCH_BYTES: usize = 64 * 1024;

/// How log lines are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// One plain line per event, such as 'POST /v5/tokens/teams 201 0.412ms'.
    Text,
    /// One JSON object per line, for log collectors: timestamp, level, message and the event's
    /// fields (method, path, status, ms for a request).
    Json,
}

/// What the writer thread receives.
enum Message {
    /// One formatted log line.
    Line(Vec<u8>),
    /// Write what is queued, report drops, then answer.
    Flush(SyncSender<()>),
}

/// The sending side of the log queue: what `tracing-subscriber` writes formatted lines into.
struct Sink {
    /// The bounded queue to the writer thread.
    queue: SyncSender<Message>,
    /// Lines dropped because the queue was full, since the start.
    dropped: Arc<AtomicU64>,
}

/// One event's writer: hands its line to the queue without ever waiting.
struct SinkWriter<'a>(&'a Sink);

impl io::Write for SinkWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.0.queue.try_send(Message::Line(buf.to_vec())) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                self.0.dropped.fetch_add(1, Ordering::Relaxed);
            }
            // The writer thread is gone (it never is while the process runs): nothing to do.
            Err(TrySendError::Disconnected(_)) => {}
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Sink {
    type Writer = SinkWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        SinkWriter(self)
    }
}

/// The log, once installed: lets the server flush it at exit.
pub struct Log {
    /// The queue to the writer thread, for the flush at exit.
    queue: SyncSender<Message>,
}

impl Log {
    /// Installs the log as the process's `tracing` subscriber and starts its writer thread.
    pub fn install(format: LogFormat) -> Log {
        let (queue, lines) = mpsc::sync_channel(QUEUE_LINES);
        let dropped = Arc::new(AtomicU64::new(0));
        let thread_dropped = dropped.clone();
        // Without a thread, lines still queue and are dropped when the queue is full.
        let _ = std::thread::Builder::new()
            .name("netless-token-log".into())
            .spawn(move || write_lines(&lines, &thread_dropped, format));
        let sink = Sink {
            queue: queue.clone(),
            dropped,
        };
        let builder = tracing_subscriber::fmt()
            .with_writer(sink)
            .with_ansi(false)
            .with_max_level(tracing::Level::INFO);
        // Another subscriber can only be there already in tests; keeping it is harmless.
        let _ = match format {
            LogFormat::Text => builder.event_format(Plain).try_init(),
            LogFormat::Json => builder
                .json()
                .flatten_event(true)
                .with_current_span(false)
                .with_span_list(false)
                .try_init(),
        };
        Log { queue }
    }

    /// Writes what is queued and reports dropped lines, waiting at most `wait`: a stalled sink
    /// cannot hold the exit.
    pub fn finish(self, wait: Duration) {
        let (done, flushed) = mpsc::sync_channel(1);
        if self.queue.try_send(Message::Flush(done)).is_ok() {
            match flushed.recv_timeout(wait) {
                Ok(()) | Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
            }
        }
    }
}

/// The writer thread: writes queued lines to standard error in batches, ignoring failed
/// writes, and reports dropped lines once the queue is empty.
fn write_lines(lines: &Receiver<Message>, dropped: &AtomicU64, format: LogFormat) {
    let mut reported = 0;
    let mut batch = Vec::with_capacity(BATCH_BYTES);
    while let Ok(first) = lines.recv() {
        let mut next = Some(first);
        let mut answer = None;
        let mut drained = false;
        while let Some(message) = next.take() {
            match message {
                Message::Line(line) => batch.extend_from_slice(&line),
                Message::Flush(done) => {
                    answer = Some(done);
                    drained = true;
                    break;
                }
            }
            if batch.len() >= BATCH_BYTES {
                break;
            }
            match lines.try_recv() {
                Ok(message) => next = Some(message),
                Err(_) => drained = true,
            }
        }
        let mut stderr = io::stderr().lock();
        // EPIPE, ENOSPC and the like: the line is lost, the server goes on.
        let _ = stderr.write_all(&batch);
        batch.clear();
        let now = dropped.load(Ordering::Relaxed);
        if drained && now > reported {
            let _ = stderr.write_all(drop_report(now - reported, format).as_bytes());
            reported = now;
        }
        let _ = stderr.flush();
        drop(stderr);
        if let Some(done) = answer {
            let _ = done.try_send(());
        }
    }
}

/// The line that reports `count` dropped lines, in the log's layout.
fn drop_report(count: u64, format: LogFormat) -> String {
    let message =
        format!("netless-token: {count} log line(s) dropped: stderr was not read fast enough");
    match format {
        LogFormat::Text => format!("{message}\n"),
        LogFormat::Json => {
            let mut timestamp = String::new();
            let _ = SystemTime.format_time(&mut Writer::new(&mut timestamp));
            let line = serde_json::json!({
                "timestamp": timestamp,
                "level": "WARN",
                "message": message,
                "dropped": count,
                "target": module_path!(),
            });
            format!("{line}\n")
        }
    }
}

/// The plain text layout: the event's message alone, one line.
struct Plain;

impl<S, N> FormatEvent<S, N> for Plain
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let mut message = MessageText(String::new());
        event.record(&mut message);
        writeln!(writer, "{}", message.0)
    }
}

/// Collects an event's `message` field.
struct MessageText(String);

impl Visit for MessageText {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            use fmt::Write as _;
            let _ = write!(self.0, "{value:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_queue_drops_and_counts_lines_without_waiting() {
        let (queue, lines) = mpsc::sync_channel(2);
        let sink = Sink {
            queue,
            dropped: Arc::new(AtomicU64::new(0)),
        };
        for _ in 0..5 {
            assert_eq!(sink.make_writer().write(b"line\n").unwrap(), 5);
        }
        assert_eq!(sink.dropped.load(Ordering::Relaxed), 3);
        assert_eq!(lines.try_iter().count(), 2);
        // No writer thread at all: still no error and no wait.
        drop(lines);
        assert_eq!(sink.make_writer().write(b"line\n").unwrap(), 5);
    }

    #[test]
    fn the_drop_report_is_one_line_in_either_layout() {
        let text = drop_report(3, LogFormat::Text);
        assert!(
            text.starts_with("netless-token: 3 log line(s) dropped"),
            "{text}"
        );
        assert_eq!(text.matches('\n').count(), 1);
        let json = drop_report(3, LogFormat::Json);
        assert_eq!(json.matches('\n').count(), 1);
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["dropped"], 3);
        assert_eq!(value["level"], "WARN");
        assert!(value["timestamp"].as_str().is_some_and(|t| !t.is_empty()));
    }
}
