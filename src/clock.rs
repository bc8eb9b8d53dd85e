//! The one source of time: the system clock, read where minting "now" and verifying without a
//! fixed time need it. A target whose clock is not the operating system's needs it here and
//! nowhere else.

/// The system clock in ms since the Unix epoch, saturating at `u64::MAX`; `None` before 1970.
pub(crate) fn unix_time_ms() -> Option<u64> {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(u64::try_from(since.as_millis()).unwrap_or(u64::MAX))
}
