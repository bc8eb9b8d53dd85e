//! The one source of time: the system clock, read where minting "now" and verifying without a
//! fixed time need it. A target whose clock is not the operating system's needs it here and
//! nowhere else: in a JavaScript host (`wasm32-unknown-unknown`) it is `Date.now()`.

/// The system clock in ms since the Unix epoch, saturating at `u64::MAX`; `None` before 1970.
#[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
pub(crate) fn unix_time_ms() -> Option<u64> {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(u64::try_from(since.as_millis()).unwrap_or(u64::MAX))
}

/// `Date.now()` in ms since the Unix epoch, saturating at `u64::MAX`; `None` before 1970 (or
/// for a clock that reads NaN). `SystemTime::now()` panics on this target.
#[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
pub(crate) fn unix_time_ms() -> Option<u64> {
    let ms = js_sys::Date::now().floor();
    // Float-to-integer casts saturate; NaN and negative times are refused first.
    (ms >= 0.0).then_some(ms as u64)
}
