//! Fresh nonces: random UUID v4 texts, as the official Go and Java generators use.
//!
//! The randomness comes from the operating system's CSPRNG (`entropy.rs`), drawn a block at a
//! time into a per-thread buffer: one system call costs about as much as a whole mint (some
//! 450 ns here), so each call serves 64 nonces. No byte is handed out twice within a process.
//! A nonce only has to be unique, not secret, so the buffer is not wiped. After `fork`, parent
//! and child share what was left in the buffer; a process that forks and mints in both should
//! mint with explicit nonces, or only in one of them.

use std::cell::RefCell;

use crate::codec::hex;
use crate::entropy;

/// Random bytes drawn per system call: 64 nonces' worth.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
const BLOCK: usize = 16 * 64;

/// In a JavaScript host, `crypto.getRandomValues` costs some 5 µs a call whatever it fills up
/// to 16 KiB (Node 20): 1,024 nonces' worth a call keeps that under 10 ns a nonce.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
const BLOCK: usize = 16 * 1024;

/// The thread's unused random bytes: `buf[used..]`.
struct Pool {
    buf: [u8; BLOCK],
    used: usize,
}

thread_local! {
    static POOL: RefCell<Pool> = const { RefCell::new(Pool { buf: [0; BLOCK], used: BLOCK }) };
}

/// 16 fresh random bytes from the thread's pool, refilled from the OS when empty; `None` when
/// the OS has no randomness to give.
fn random_16() -> Option<[u8; 16]> {
    // `try_with`: no panic when a thread-local destructor mints after the pool is gone.
    POOL.try_with(|pool| {
        let mut pool = pool.try_borrow_mut().ok()?;
        if pool.used == BLOCK {
            if !entropy::fill(&mut pool.buf) {
                return None;
            }
            pool.used = 0;
        }
        let at = pool.used;
        pool.used += 16;
        pool.buf[at..at + 16].try_into().ok()
    })
    .ok()
    .flatten()
}

/// A random UUID v4 in its 36-character lowercase text form; `None` when the OS has no
/// randomness to give.
pub(crate) fn uuid_v4() -> Option<[u8; 36]> {
    let mut bytes = random_16()?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    Some(hex::uuid_text(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_v4_has_the_v4_layout() {
        for _ in 0..100 {
            let text = uuid_v4().unwrap();
            let text = core::str::from_utf8(&text).unwrap();
            let groups: Vec<&str> = text.split('-').collect();
            assert_eq!(
                groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12],
                "{text}"
            );
            assert!(groups[2].starts_with('4'), "{text}");
            assert!(
                matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'),
                "{text}"
            );
            assert!(text
                .bytes()
                .all(|b| b == b'-' || b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        }
    }

    #[test]
    #[cfg_attr(target_family = "wasm", ignore = "no threads under WASI")]
    fn nonces_do_not_repeat_across_refills_and_threads() {
        use std::collections::HashSet;
        // Several pools' worth on each of two threads.
        let draw = || (0..300).map(|_| uuid_v4().unwrap()).collect::<Vec<_>>();
        let other = std::thread::spawn(draw).join().unwrap();
        let all: HashSet<[u8; 36]> = draw().into_iter().chain(other).collect();
        assert_eq!(all.len(), 600);
    }
}
