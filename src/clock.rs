//! The system clock, read where minting "now" and verifying without a fixed time need it.

/// The system clock in ms since the Unix epoch; `None` before 1970.
pub(crate) fn unix_time_ms() -> Option<u64> {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(u64::try_from(since.as_millis()).unwrap_or(u64::MAX))
}
