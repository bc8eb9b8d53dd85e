//! Auditing a token without its secret: the [`Finding`]s that say which tokens should not exist
//! (an SDK token that never expires, a lifetime past policy, an expiry written from local time),
//! under an [`AuditPolicy`] (the clock and the longest lifetime allowed).
//!
//! Everything here reads only what [`decode`] reads: no secret is needed, and nothing is
//! verified. `docs/audit.md` in the repository lists every code with what to do about it.

use core::fmt;
use core::str::FromStr;

use crate::clock;
use crate::decode::{decode, DecodedToken};
use crate::error::DecodeError;
use crate::kind::{ParseError, Role, TokenKind};

/// How much a finding matters, from [`Severity::Info`] to [`Severity::Critical`]; ordered, so
/// `severity >= Severity::High` reads as it should.
///
/// ```
/// use netless_token::Severity;
/// assert!(Severity::Critical > Severity::High);
/// assert_eq!("medium".parse::<Severity>(), Ok(Severity::Medium));
/// assert_eq!(Severity::Low.to_string(), "low");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing; nothing to fix (an expired token, text that is not a token).
    Info,
    /// A habit to change (an admin Room token, an expiry a few hours off).
    Low,
    /// A token that lives longer than it should.
    Medium,
    /// A credential that grants much for a long time: revoke and replace it.
    High,
    /// A master credential that never expires: rotate the key pair now.
    Critical,
}

impl Severity {
    /// Every severity, from the least to the most.
    pub const ALL: [Severity; 5] = [
        Severity::Info,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The lowercase word: `info`, `low`, `medium`, `high`, `critical`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = ParseError;

    /// Parses `info`, `low`, `medium`, `high` or `critical` (any letter case).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::ALL
            .into_iter()
            .find(|severity| severity.as_str().eq_ignore_ascii_case(s))
            .ok_or(ParseError::new(
                "severity",
                "info, low, medium, high, critical",
            ))
    }
}

/// What a finding is about: a stable code (`sdk-never-expires`), what it means and what to do.
/// `docs/audit.md` in the repository has the same table.
///
/// ```
/// use netless_token::FindingCode;
/// assert_eq!(FindingCode::SdkNeverExpires.as_str(), "sdk-never-expires");
/// assert!(FindingCode::ALL.iter().all(|code| !code.advice().is_empty()));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FindingCode {
    /// `sdk-never-expires`: an SDK token without `expireAt`. Critical when admin, high
    /// otherwise.
    SdkNeverExpires,
    /// `never-expires`: a Room or Task token without `expireAt`. Medium.
    NeverExpires,
    /// `long-lived`: valid for longer than the policy's maximum lifetime from now. Medium.
    LongLived,
    /// `local-clock-expiry`: the nonce's issue time and `expireAt` differ by a round lifespan
    /// shifted by whole hours, the mark of a generator that took local time for UTC. Medium
    /// when the token lives longer than meant, low when it expires early.
    LocalClockExpiry,
    /// `expires-before-issue`: `expireAt` is before the issue time the nonce records. Low.
    ExpiresBeforeIssue,
    /// `admin-room-token`: a Room token with the admin role. Low.
    AdminRoomToken,
    /// `expired`: the token has expired. Info.
    Expired,
    /// `malformed-token`: text that looks like a token and does not decode (see
    /// [`Finding::malformed`]). Info.
    MalformedToken,
}

impl FindingCode {
    /// Every code, in the order of the table in `docs/audit.md`.
    pub const ALL: [FindingCode; 8] = [
        FindingCode::SdkNeverExpires,
        FindingCode::NeverExpires,
        FindingCode::LongLived,
        FindingCode::LocalClockExpiry,
        FindingCode::ExpiresBeforeIssue,
        FindingCode::AdminRoomToken,
        FindingCode::Expired,
        FindingCode::MalformedToken,
    ];

    /// The stable code, such as `sdk-never-expires`.
    pub const fn as_str(self) -> &'static str {
        match self {
            FindingCode::SdkNeverExpires => "sdk-never-expires",
            FindingCode::NeverExpires => "never-expires",
            FindingCode::LongLived => "long-lived",
            FindingCode::LocalClockExpiry => "local-clock-expiry",
            FindingCode::ExpiresBeforeIssue => "expires-before-issue",
            FindingCode::AdminRoomToken => "admin-room-token",
            FindingCode::Expired => "expired",
            FindingCode::MalformedToken => "malformed-token",
        }
    }

    /// What the code means, in one line.
    pub const fn summary(self) -> &'static str {
        match self {
            FindingCode::SdkNeverExpires => {
                "An SDK token that never expires: whoever holds it can create rooms and mint \
                 any Room or Task token, forever"
            }
            FindingCode::NeverExpires => "A Room or Task token that never expires",
            FindingCode::LongLived => {
                "A token valid for longer than the policy's maximum lifetime from now"
            }
            FindingCode::LocalClockExpiry => {
                "An expiry a whole number of hours off a round lifespan: the generator took \
                 local time for UTC"
            }
            FindingCode::ExpiresBeforeIssue => {
                "An expiry before the issue time the nonce records: the token was dead when made"
            }
            FindingCode::AdminRoomToken => "A Room token with the admin role",
            FindingCode::Expired => "An expired token",
            FindingCode::MalformedToken => "Text that looks like a token and does not decode",
        }
    }

    /// What to do about it, in one line.
    pub const fn advice(self) -> &'static str {
        match self {
            FindingCode::SdkNeverExpires => {
                "Treat the key pair as leaked: rotate the secret key in the console, then mint \
                 SDK tokens only on a server, with a lifespan, never in client code or a \
                 repository"
            }
            FindingCode::NeverExpires => {
                "Mint Room and Task tokens per session with a lifespan (an hour or a day), \
                 never with lifespan 0"
            }
            FindingCode::LongLived => {
                "Shorten the lifespan to what one session needs, or raise the policy's limit \
                 if this lifetime is meant"
            }
            FindingCode::LocalClockExpiry => {
                "Compute expireAt from UTC (Date.now(), DateTime.UtcNow), not from local time \
                 (C#'s DateTime.Now)"
            }
            FindingCode::ExpiresBeforeIssue => {
                "Check the minting machine's clock and how the generator computes expireAt"
            }
            FindingCode::AdminRoomToken => {
                "Give clients writer or reader Room tokens; keep admin for the server"
            }
            FindingCode::Expired => {
                "Nothing to revoke; remove it from the repository if it is not a test fixture"
            }
            FindingCode::MalformedToken => {
                "Nothing, if it is a placeholder; otherwise it was cut or altered on the way"
            }
        }
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing an audit found about a token: a [`Severity`], a stable [`FindingCode`] and a
/// one-line message saying why, which holds no secret and never the token's signature.
///
/// ```
/// use netless_token::{decode, AuditPolicy, FindingCode, Severity};
/// let token = "NETLESSSDK_YWs9MzRsNzBoQ2dINFkxZ1BCYWpqbU5Ick9qM3FGeDFMWE5GY3R0Jm5vbmNlPTE1OTA3Mz\
///     kyOTgwOTUwMCZyb2xlPTAmc2lnPTY0NGY5ODQwMDMzZDA1MjcxNWE2NDc0MWQyMTExNzFhMGY0NWQ2YzZhZjZlZT\
///     c2YTA4YjNkNjFmZDc1NTJkMDM";
/// let findings = decode(token)?.audit(&AuditPolicy::new());
/// assert_eq!(findings[0].code(), FindingCode::SdkNeverExpires);
/// assert_eq!(findings[0].severity(), Severity::Critical);
/// println!("{}", findings[0]); // critical sdk-never-expires: an admin SDK token that never expires ...
/// # Ok::<(), netless_token::DecodeError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Finding {
    severity: Severity,
    code: FindingCode,
    message: String,
}

impl Finding {
    /// How much it matters.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// What it is about.
    pub fn code(&self) -> FindingCode {
        self.code
    }

    /// Why, in one line.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The finding for text that looks like a token and does not decode: `malformed-token`,
    /// info, with the decode error as its message. What a scanner reports for a cut or altered
    /// token.
    ///
    /// ```
    /// use netless_token::{decode, Finding, FindingCode, Severity};
    /// let error = decode("NETLESSROOM_YWs9").unwrap_err();
    /// let finding = Finding::malformed(&error);
    /// assert_eq!((finding.severity(), finding.code()), (Severity::Info, FindingCode::MalformedToken));
    /// assert!(finding.message().starts_with("does not decode: "));
    /// ```
    pub fn malformed(error: &DecodeError) -> Finding {
        Finding::new(
            Severity::Info,
            FindingCode::MalformedToken,
            format!("does not decode: {error}"),
        )
    }

    fn new(severity: Severity, code: FindingCode, message: String) -> Finding {
        Finding {
            severity,
            code,
            message,
        }
    }
}

/// `critical sdk-never-expires: an admin SDK token that never expires ...`
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.severity, self.code, self.message)
    }
}

/// What an audit holds a token against: the time it is checked at, and the longest lifetime
/// from then that is not reported (default 24 hours). Built like
/// [`Validation`](crate::Validation).
///
/// ```
/// use netless_token::AuditPolicy;
/// let policy = AuditPolicy::new().max_lifetime_ms(3_600_000).at(1_700_000_000_000);
/// assert_eq!(policy.max_lifetime(), 3_600_000);
/// assert_eq!(AuditPolicy::new().max_lifetime(), AuditPolicy::DEFAULT_MAX_LIFETIME_MS);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AuditPolicy {
    now_ms: Option<u64>,
    max_lifetime_ms: u64,
}

impl AuditPolicy {
    /// The default longest lifetime: 24 hours, in ms.
    pub const DEFAULT_MAX_LIFETIME_MS: u64 = 86_400_000;

    /// The system clock, and at most 24 hours of lifetime from now.
    pub const fn new() -> Self {
        AuditPolicy {
            now_ms: None,
            max_lifetime_ms: Self::DEFAULT_MAX_LIFETIME_MS,
        }
    }

    /// Reports tokens valid for more than `max_ms` after now (`long-lived`).
    pub const fn max_lifetime_ms(mut self, max_ms: u64) -> Self {
        self.max_lifetime_ms = max_ms;
        self
    }

    /// Audits at `now_ms` (ms since the Unix epoch) instead of the system clock.
    pub const fn at(mut self, now_ms: u64) -> Self {
        self.now_ms = Some(now_ms);
        self
    }

    /// The longest lifetime from now that is not reported, in ms.
    pub const fn max_lifetime(&self) -> u64 {
        self.max_lifetime_ms
    }
}

impl Default for AuditPolicy {
    fn default() -> Self {
        Self::new()
    }
}

/// Decodes `token` and audits it: [`decode`], then [`DecodedToken::audit`]. Needs no secret.
///
/// ```
/// use netless_token::{audit, AuditPolicy, FindingCode, KeyPair, Role, SecretKey, TokenRequest};
///
/// let pair = KeyPair::new("ak", &SecretKey::new("sk")?)?;
/// let token = pair.mint(&TokenRequest::room(0, Role::Writer, "room-1"), 0, "n")?;
/// let codes: Vec<FindingCode> = audit(&token, &AuditPolicy::new())?.iter().map(|f| f.code()).collect();
/// assert_eq!(codes, [FindingCode::NeverExpires]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn audit(token: &str, policy: &AuditPolicy) -> Result<Vec<Finding>, DecodeError> {
    Ok(decode(token)?.audit(policy))
}

impl DecodedToken {
    /// What this token should not be, most severe first; empty for a token with nothing to
    /// report. The checks, each a [`FindingCode`]: never expiring (an SDK token: critical when
    /// admin, high otherwise; a Room or Task token: medium), expired (info) or valid for more
    /// than the policy's maximum lifetime from now (medium), an admin Room token (low), and,
    /// where the nonce records when the token was issued, an `expireAt` before that time or a
    /// round lifespan off by whole hours (see `docs/audit.md`). When the policy sets no time
    /// and the system clock reads before 1970, the two checks that need now are skipped.
    ///
    /// ```
    /// use netless_token::{AuditPolicy, FindingCode, KeyPair, Role, SecretKey, Severity, TokenRequest};
    ///
    /// let pair = KeyPair::new("ak", &SecretKey::new("sk")?)?;
    /// // A UUID v1 nonce from 2020-05-29T08:01:38.095Z: the token was issued then.
    /// let nonce = "9f6fdbf0-a182-11ea-8000-000000000000";
    /// let issued = 1_590_739_298_095;
    /// // A 1-hour token whose expireAt was written from local time at UTC+8.
    /// let token = pair.mint(&TokenRequest::room(9 * 3_600_000, Role::Writer, "room-1"), issued, nonce)?;
    /// let findings = netless_token::decode(&token)?.audit(&AuditPolicy::new().at(issued));
    /// assert_eq!(findings[0].code(), FindingCode::LocalClockExpiry);
    /// assert_eq!(findings[0].severity(), Severity::Medium);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn audit(&self, policy: &AuditPolicy) -> Vec<Finding> {
        let mut findings = Vec::new();
        let now_ms = policy.now_ms.or_else(clock::unix_time_ms);
        match (self.expire_at(), now_ms) {
            (None, _) => findings.push(never_expires(self.kind(), self.role())),
            (Some(expire_at), Some(now)) if now >= expire_at => findings.push(Finding::new(
                Severity::Info,
                FindingCode::Expired,
                format!(
                    "expired {} ago (expireAt {expire_at})",
                    span(now - expire_at)
                ),
            )),
            (Some(expire_at), Some(now)) if expire_at - now > policy.max_lifetime_ms => findings
                .push(Finding::new(
                    Severity::Medium,
                    FindingCode::LongLived,
                    format!(
                        "valid for {} more (expireAt {expire_at}), past the limit of {}",
                        span(expire_at - now),
                        span(policy.max_lifetime_ms)
                    ),
                )),
            (Some(_), _) => {}
        }
        if self.kind() == TokenKind::Room && self.role() == Role::Admin {
            findings.push(Finding::new(
                Severity::Low,
                FindingCode::AdminRoomToken,
                "a Room token with the admin role; clients need writer or reader".to_owned(),
            ));
        }
        if let (Some(expire_at), Some(issued_at)) = (self.expire_at(), issued_at(self.nonce())) {
            findings.extend(implied_lifespan(issued_at, expire_at));
        }
        // Most severe first, in check order within a severity: five passes over a handful.
        let mut sorted = Vec::with_capacity(findings.len());
        for severity in Severity::ALL.into_iter().rev() {
            sorted.extend(findings.iter().filter(|f| f.severity == severity).cloned());
        }
        sorted
    }
}

/// `sdk-never-expires` or `never-expires`.
fn never_expires(kind: TokenKind, role: Role) -> Finding {
    let article = if role == Role::Admin { "an" } else { "a" };
    match kind {
        TokenKind::Sdk => Finding::new(
            if role == Role::Admin {
                Severity::Critical
            } else {
                Severity::High
            },
            FindingCode::SdkNeverExpires,
            format!(
                "{article} {role} SDK token that never expires (no expireAt): it can create \
                 rooms and mint Room and Task tokens until the key pair is rotated"
            ),
        ),
        TokenKind::Room | TokenKind::Task => Finding::new(
            Severity::Medium,
            FindingCode::NeverExpires,
            format!(
                "{article} {role} {} token that never expires (no expireAt)",
                if kind == TokenKind::Room {
                    "Room"
                } else {
                    "Task"
                }
            ),
        ),
    }
}

// ---- the issue time a nonce records ----

/// A UUID's 60-bit timestamp counts 100-ns intervals from 1582-10-15; this many of them lie
/// between that day and the Unix epoch.
const UUID_EPOCH_OFFSET: u64 = 0x01B2_1DD2_1381_4000;

/// The issue time, in ms since the Unix epoch, that a nonce records: a UUID v1 (its timestamp,
/// floored to the ms, as the JavaScript generator's `uuid.v1()` writes `Date.now()`), or the
/// service's 15 decimal digits (ms times 100, the last two digits a counter). `None` for any
/// other nonce, such as a UUID v4.
fn issued_at(nonce: &str) -> Option<u64> {
    let bytes = nonce.as_bytes();
    if bytes.len() == 15 && bytes.iter().all(u8::is_ascii_digit) {
        return nonce.parse::<u64>().ok().map(|n| n / 100);
    }
    uuid_v1_ms(bytes)
}

/// The ms of a UUID v1 in its 36-character form (any letter case), with the RFC 4122 variant.
fn uuid_v1_ms(text: &[u8]) -> Option<u64> {
    if text.len() != 36 || [8, 13, 18, 23].iter().any(|&at| text[at] != b'-') {
        return None;
    }
    let hex = |from: usize, to: usize| -> Option<u64> {
        let part = core::str::from_utf8(&text[from..to]).ok()?;
        if !part.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u64::from_str_radix(part, 16).ok()
    };
    let (time_low, time_mid, time_hi) = (hex(0, 8)?, hex(9, 13)?, hex(14, 18)?);
    let variant = hex(19, 20)?;
    hex(24, 36)?;
    if time_hi >> 12 != 1 || !(0x8..=0xb).contains(&variant) {
        return None;
    }
    let ticks = (time_hi & 0x0fff) << 48 | time_mid << 32 | time_low;
    Some(ticks.checked_sub(UUID_EPOCH_OFFSET)? / 10_000)
}

// ---- round lifespans, and local time taken for UTC ----

/// How far two clock readings of one mint may be apart: the nonce's time and `expireAt`'s are
/// read separately, and Windows' timer ticks every 15.6 ms.
const TICK_MS: i64 = 16;

const MINUTE: i64 = 60_000;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;

/// The minutes and hours a lifespan under a day is written in: below an hour, 1, 2, 3, 5, 10,
/// 15, 20, 30 or 45 minutes; below a day, the hours that divide a day.
const ROUND_UNDER_A_DAY: [i64; 16] = [
    MINUTE,
    2 * MINUTE,
    3 * MINUTE,
    5 * MINUTE,
    10 * MINUTE,
    15 * MINUTE,
    20 * MINUTE,
    30 * MINUTE,
    45 * MINUTE,
    HOUR,
    2 * HOUR,
    3 * HOUR,
    4 * HOUR,
    6 * HOUR,
    8 * HOUR,
    12 * HOUR,
];

/// The UTC offsets of the world's time zones, in whole hours, from UTC-12 to UTC+14: the
/// fewest hours first, east before west.
const OFFSETS: [i64; 26] = [
    1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7, 8, -8, 9, -9, 10, -10, 11, -11, 12, -12, 13,
    14,
];

/// The round lifespan `ms` is, within [`TICK_MS`]: one of [`ROUND_UNDER_A_DAY`], or a whole
/// number of days.
fn round(ms: i64) -> Option<i64> {
    let near = |round: i64| ms.abs_diff(round) <= TICK_MS.unsigned_abs();
    if let Some(&round) = ROUND_UNDER_A_DAY.iter().find(|&&r| near(r)) {
        return Some(round);
    }
    let days = ms.saturating_add(TICK_MS).div_euclid(DAY);
    (days >= 1 && near(days * DAY)).then_some(days * DAY)
}

/// The findings on the lifespan implied by the nonce's issue time and `expireAt`:
/// `local-clock-expiry` when it is not round but a round lifespan plus or minus whole hours
/// (the fewest hours that fit), else `expires-before-issue` when it is negative.
fn implied_lifespan(issued_at: u64, expire_at: u64) -> Option<Finding> {
    // Both are below 2^63 for any time a clock writes; past it there is nothing to say.
    let implied = i64::try_from(expire_at).ok()? - i64::try_from(issued_at).ok()?;
    if round(implied).is_some() {
        return None;
    }
    let shifted = OFFSETS.into_iter().find_map(|hours| {
        round(implied.saturating_sub(hours * HOUR)).map(|lifespan| (lifespan, hours))
    });
    if let Some((lifespan, hours)) = shifted {
        let (severity, effect) = if hours > 0 {
            (Severity::Medium, "lives longer than meant")
        } else {
            (Severity::Low, "expires early")
        };
        return Some(Finding::new(
            severity,
            FindingCode::LocalClockExpiry,
            format!(
                "expireAt is {} after the issue time the nonce records ({issued_at}): a {} \
                 lifespan shifted by {hours:+} h, so the token {effect}; the generator took \
                 local time (UTC{hours:+}) for UTC",
                signed_span(implied),
                signed_span(lifespan)
            ),
        ));
    }
    (implied < -TICK_MS).then(|| {
        Finding::new(
            Severity::Low,
            FindingCode::ExpiresBeforeIssue,
            format!(
                "expireAt is {} before the issue time the nonce records ({issued_at}): the \
                 token was expired when it was made",
                span(implied.unsigned_abs())
            ),
        )
    })
}

/// A length of time that may be negative, as people write it: `1h`, `-4h 50m`.
fn signed_span(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    format!("{sign}{}", span(ms.unsigned_abs()))
}

/// A length of time as people write it: `1h`, `2d 3h 0.5s`, `0s`.
fn span(ms: u64) -> String {
    let (days, hours, minutes) = (ms / 86_400_000, ms / 3_600_000 % 24, ms / 60_000 % 60);
    let (seconds, millis) = (ms / 1000 % 60, ms % 1000);
    let mut parts = Vec::new();
    for (n, unit) in [(days, "d"), (hours, "h"), (minutes, "m")] {
        if n > 0 {
            parts.push(format!("{n}{unit}"));
        }
    }
    match (seconds, millis) {
        (0, 0) if !parts.is_empty() => {}
        (s, 0) => parts.push(format!("{s}s")),
        (s, ms) => parts.push(format!("{s}.{ms:03}").trim_end_matches('0').to_owned() + "s"),
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_written_as_people_write_them() {
        assert_eq!(span(0), "0s");
        assert_eq!(span(3_600_000), "1h");
        assert_eq!(signed_span(-(4 * 3_600_000 + 50 * 60_000)), "-4h 50m");
        assert_eq!(signed_span(3_600_000), "1h");
        assert_eq!(span(2 * 86_400_000 + 3 * 3_600_000 + 500), "2d 3h 0.5s");
        assert_eq!(span(12), "0.012s");
        assert_eq!(span(61_000), "1m 1s");
    }

    #[test]
    fn uuid_v1_times_are_read_and_other_nonces_are_not() {
        // Python: (uuid.UUID("9f6fdbf0-a182-11ea-a000-000000000000").time - 0x01B21DD213814000) // 10000
        assert_eq!(
            issued_at("9f6fdbf0-a182-11ea-a000-000000000000"),
            Some(1_590_739_298_095)
        );
        assert_eq!(
            issued_at("9F6FDBF0-A182-11EA-A000-000000000000"),
            Some(1_590_739_298_095)
        );
        assert_eq!(issued_at("159073929809500"), Some(1_590_739_298_095));
        for other in [
            "9f6fdbf0-a182-41ea-a000-000000000000", // version 4
            "9f6fdbf0-a182-11ea-c000-000000000000", // another variant
            "9f6fdbf0-a182-11ea-a000-00000000000g",
            "9f6fdbf0a18211eaa000000000000000",
            "15907392980950",
            "1590739298095000",
            "+59073929809500",
            "",
        ] {
            assert_eq!(issued_at(other), None, "{other}");
        }
        // Before 1970.
        assert_eq!(issued_at("00000000-0000-1000-8000-000000000000"), None);
    }

    #[test]
    fn round_lifespans_are_the_listed_ones_within_a_tick() {
        assert_eq!(round(HOUR), Some(HOUR));
        assert_eq!(round(HOUR + 16), Some(HOUR));
        assert_eq!(round(HOUR - 16), Some(HOUR));
        assert_eq!(round(HOUR + 17), None);
        assert_eq!(round(9 * HOUR), None);
        assert_eq!(round(7 * MINUTE), None);
        assert_eq!(round(30 * DAY + 3), Some(30 * DAY));
        assert_eq!(round(0), None);
        assert_eq!(round(-HOUR), None);
    }
}
