//! Finding token-shaped text in one file's bytes, read in chunks: a prefix (`NETLESSSDK_`,
//! `NETLESSROOM_`, `NETLESSTASK_`, found with `memchr`'s `memmem`) and the base64url run after
//! it, wherever it stands (after a quote, `=`, a backtick, a space, inside JSON or a URL). Each
//! one is told by its line and column; a file with a NUL byte is binary and yields nothing.

use std::io::{self, Read};

use memchr::memmem;
use netless_token::MAX_TOKEN_LEN;

/// What every prefix starts with; searched for first, then the rest of the prefix is checked.
const NEEDLE: &[u8] = b"NETLESS";

/// The prefixes after [`NEEDLE`].
const KINDS: [&[u8]; 3] = [b"SDK_", b"ROOM_", b"TASK_"];

/// The longest prefix, `NETLESSROOM_`.
const LONGEST_PREFIX: usize = 12;

/// Fewer base64url characters than this after a prefix is a placeholder (`NETLESSSDK_xxx`,
/// `NETLESSROOM_YWs9...`), not a token; a real token has well over 100.
pub const MIN_PAYLOAD: usize = 32;

/// The most of one candidate kept: one byte past the longest token, so that decoding a longer
/// run says it is too long.
const MAX_CANDIDATE: usize = MAX_TOKEN_LEN + 1;

/// Bytes read at a time.
pub const CHUNK: usize = 256 * 1024;

/// One token-shaped string: where it starts, and its text (at most [`MAX_CANDIDATE`] bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hit {
    /// The line, from 1.
    pub line: u64,
    /// The column, from 1, in characters (Unicode code points).
    pub column: u64,
    /// The prefix and the base64url run after it (ASCII).
    pub text: String,
}

/// What a file holds.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Text, with these token-shaped strings in it.
    Text(Vec<Hit>),
    /// A NUL byte: a binary file, not searched further.
    Binary,
}

/// A searcher with its buffer, reused for file after file by one thread.
pub struct Finder {
    needle: memmem::Finder<'static>,
    buf: Vec<u8>,
    chunk: usize,
}

impl Finder {
    /// A finder that reads `chunk` bytes at a time.
    pub fn new(chunk: usize) -> Self {
        Finder {
            needle: memmem::Finder::new(NEEDLE),
            buf: vec![0; chunk + MAX_CANDIDATE + LONGEST_PREFIX],
            chunk,
        }
    }

    /// Every token-shaped string in what `reader` gives, to its end.
    pub fn find(&mut self, mut reader: impl Read) -> io::Result<Outcome> {
        let mut hits = Vec::new();
        let mut at = Position::default();
        // buf[..filled] holds unsearched bytes from `searched` on; before it, bytes kept only
        // because a candidate or a prefix may continue into the next chunk.
        let (mut filled, mut searched) = (0, 0);
        let mut in_long_run = false;
        loop {
            let read = read_some(&mut reader, &mut self.buf[filled..filled + self.chunk])?;
            if memchr::memchr(0, &self.buf[filled..filled + read]).is_some() {
                return Ok(Outcome::Binary);
            }
            filled += read;
            let eof = read == 0;
            let buf = &self.buf[..filled];
            if in_long_run {
                searched += base64url_run(&buf[searched..]);
                in_long_run = searched == filled && !eof;
            }
            let mut pending = None;
            while let Some(found) = self.needle.find(&buf[searched..]) {
                let start = searched + found;
                let Some(prefix) = prefix_len(&buf[start..]) else {
                    if start + LONGEST_PREFIX > filled && !eof {
                        pending = Some(start);
                        break;
                    }
                    searched = start + 1;
                    continue;
                };
                let end = start + prefix + base64url_run(&buf[start + prefix..]);
                if end == filled && !eof {
                    if end - start <= MAX_CANDIDATE {
                        pending = Some(start);
                        break;
                    }
                    // Longer than any token, and not ended yet: report what is kept, skip the rest.
                    hits.push(at.hit(buf, start, start + MAX_CANDIDATE));
                    in_long_run = true;
                    searched = end;
                    break;
                }
                if end - start - prefix >= MIN_PAYLOAD {
                    hits.push(at.hit(buf, start, end.min(start + MAX_CANDIDATE)));
                }
                searched = end;
            }
            if eof {
                return Ok(Outcome::Text(hits));
            }
            // Keep what may still hold the start of a token: a pending candidate, or the last
            // bytes, which may start a prefix that the next chunk completes.
            let keep = pending.unwrap_or_else(|| {
                let tail = filled.saturating_sub(NEEDLE.len() - 1);
                if in_long_run {
                    filled
                } else {
                    searched.max(tail)
                }
            });
            at.advance(buf, keep);
            self.buf.copy_within(keep..filled, 0);
            filled -= keep;
            searched = searched.max(keep) - keep;
            at.counted = 0;
        }
    }
}

/// Reads into `buf` until it is full or the reader ends; an interrupted read is retried.
fn read_some(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut total = 0;
    while total < buf.len() {
        match reader.read(&mut buf[total..]) {
            Ok(0) => break,
            Ok(n) => total += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(total)
}

/// The length of the prefix `text` starts with (`text` starts with [`NEEDLE`]), if any.
fn prefix_len(text: &[u8]) -> Option<usize> {
    let rest = &text[NEEDLE.len()..];
    KINDS
        .iter()
        .find(|kind| rest.starts_with(kind))
        .map(|kind| NEEDLE.len() + kind.len())
}

/// How many base64url characters (`A-Z a-z 0-9 - _`) `text` starts with.
fn base64url_run(text: &[u8]) -> usize {
    text.iter()
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .unwrap_or(text.len())
}

/// The line and column reached at `counted`, an index of the buffer.
#[derive(Clone, Copy, Debug, Default)]
struct Position {
    counted: usize,
    /// Newlines before `counted`.
    newlines: u64,
    /// Characters between the last newline and `counted`.
    column: u64,
}

impl Position {
    /// Counts the lines and characters of `buf[counted..to]`.
    fn advance(&mut self, buf: &[u8], to: usize) {
        let text = &buf[self.counted..to];
        let newlines = text.iter().filter(|&&b| b == b'\n').count();
        match memchr::memrchr(b'\n', text) {
            Some(last) => {
                self.newlines += newlines as u64;
                self.column = characters(&text[last + 1..]);
            }
            None => self.column += characters(text),
        }
        self.counted = to;
    }

    /// The hit `buf[start..end]`.
    fn hit(&mut self, buf: &[u8], start: usize, end: usize) -> Hit {
        self.advance(buf, start);
        Hit {
            line: self.newlines + 1,
            column: self.column + 1,
            text: String::from_utf8_lossy(&buf[start..end]).into_owned(),
        }
    }
}

/// The characters of UTF-8 `text`: its bytes that do not continue a character.
fn characters(text: &[u8]) -> u64 {
    text.iter().filter(|&&b| (b as i8) >= -0x40).count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "NETLESSROOM_YWs9eGQxSE5UY2h3REozaG44M1V1SmZ4OE15cWxmOTlkSU9WRUVzJm5vbmNl";

    fn find(text: &[u8], chunk: usize) -> Outcome {
        Finder::new(chunk).find(text).unwrap()
    }

    fn hits(text: &str) -> Vec<(u64, u64, String)> {
        match find(text.as_bytes(), CHUNK) {
            Outcome::Text(hits) => hits
                .into_iter()
                .map(|hit| (hit.line, hit.column, hit.text))
                .collect(),
            Outcome::Binary => panic!("binary"),
        }
    }

    #[test]
    fn tokens_are_found_after_any_delimiter_with_their_line_and_column() {
        let text =
            format!("a = \"{TOKEN}\"\nTOKEN={TOKEN}\n  `{TOKEN}`,\té {TOKEN}\n?token%3D{TOKEN}%26");
        let t = TOKEN.to_owned();
        assert_eq!(
            hits(&text),
            [
                (1, 6, t.clone()),
                (2, 7, t.clone()),
                (3, 4, t.clone()),
                (3, 4 + TOKEN.len() as u64 + 5, t.clone()),
                (4, 10, t.clone()),
            ]
        );
    }

    #[test]
    fn placeholders_and_other_words_are_not_tokens() {
        let text =
            "NETLESSROOM_... NETLESSSDK_YWs9... NETLESSXYZ_abcdefghijklmnopqrstuvwxyz0123456789 \
                    netlessroom_YWs9eGQxSE5UY2h3REozaG44M1V1SmZ4OE15cWxmOTlkSU9WRUVz NETLESS";
        assert_eq!(hits(text), []);
    }

    #[test]
    fn a_nul_byte_makes_a_file_binary() {
        let mut bytes = format!("{TOKEN}\n").into_bytes();
        bytes.extend_from_slice(b"\0rest");
        assert_eq!(find(&bytes, CHUNK), Outcome::Binary);
        assert_eq!(find(&bytes, 3), Outcome::Binary);
    }

    #[test]
    fn a_run_longer_than_any_token_is_cut_to_one_byte_past_the_limit() {
        let long = format!("x {TOKEN}{}\n{TOKEN}", "A".repeat(10_000));
        for chunk in [7, 100, 4096, CHUNK] {
            let Outcome::Text(found) = find(long.as_bytes(), chunk) else {
                panic!("binary")
            };
            assert_eq!(found.len(), 2, "chunk {chunk}");
            assert_eq!(found[0].text.len(), MAX_CANDIDATE, "chunk {chunk}");
            assert_eq!((found[1].line, found[1].column), (2, 1), "chunk {chunk}");
        }
    }

    #[test]
    fn every_chunk_size_finds_the_same() {
        let mut text = String::new();
        for i in 0..40 {
            text.push_str(&"é".repeat(i % 7));
            text.push_str(if i % 3 == 0 { "\n" } else { " = " });
            text.push_str(TOKEN);
            text.push_str(&"y".repeat(i));
            text.push_str(" NETLESS NETLESSSDK_ NETLESSTASK_");
        }
        let expected = find(text.as_bytes(), CHUNK);
        let Outcome::Text(all) = &expected else {
            panic!("binary")
        };
        assert_eq!(all.len(), 40);
        for chunk in 1..64 {
            assert_eq!(find(text.as_bytes(), chunk), expected, "chunk {chunk}");
        }
    }
}
