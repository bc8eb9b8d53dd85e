//! The one source of randomness: the operating system's generator, through `getrandom`. Every
//! random byte the crate uses (the nonces of `nonce.rs`) is drawn here, so a target without an
//! operating system's generator needs a backend here and nowhere else. In a JavaScript host
//! (`wasm32-unknown-unknown`), getrandom's `wasm_js` backend calls `crypto.getRandomValues`;
//! under WASI, `random_get`.

/// Fills `buf` with random bytes from the operating system's generator; `false` when it has
/// none to give (the buffer is then not to be used).
pub(crate) fn fill(buf: &mut [u8]) -> bool {
    getrandom::fill(buf).is_ok()
}
