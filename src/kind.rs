//! The vocabulary of a token: which kind it is and which role it grants.

use core::fmt;
use core::str::FromStr;

/// The three kinds of NETLESS token, told apart by their prefix.
///
/// ```
/// use netless_token::TokenKind;
/// assert_eq!("room".parse::<TokenKind>(), Ok(TokenKind::Room));
/// assert_eq!(TokenKind::Room.prefix(), "NETLESSROOM_");
/// assert_eq!(TokenKind::Room.to_string(), "room");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TokenKind {
    /// A team-wide SDK token (`NETLESSSDK_`); carries no `uuid`.
    Sdk,
    /// A token for one room (`NETLESSROOM_`); its `uuid` is the room UUID.
    Room,
    /// A token for one file-conversion task (`NETLESSTASK_`); its `uuid` is the task UUID.
    Task,
}

impl TokenKind {
    /// Every kind, in a fixed order.
    pub const ALL: [TokenKind; 3] = [TokenKind::Sdk, TokenKind::Room, TokenKind::Task];

    /// The prefix a token of this kind starts with, such as `NETLESSSDK_`.
    pub const fn prefix(self) -> &'static str {
        match self {
            TokenKind::Sdk => "NETLESSSDK_",
            TokenKind::Room => "NETLESSROOM_",
            TokenKind::Task => "NETLESSTASK_",
        }
    }

    /// The lowercase name used on the command line and in `Display`: `sdk`, `room`, `task`.
    pub const fn as_str(self) -> &'static str {
        match self {
            TokenKind::Sdk => "sdk",
            TokenKind::Room => "room",
            TokenKind::Task => "task",
        }
    }

    /// Whether a token of this kind must carry a `uuid` (Room and Task) or must not (SDK).
    pub const fn needs_uuid(self) -> bool {
        !matches!(self, TokenKind::Sdk)
    }

    /// The kind for exactly its lowercase word, `sdk`, `room` or `task`; nothing else. For
    /// interfaces that spell the kind one way only (a JSON API, a language binding); `FromStr`
    /// also takes any letter case.
    ///
    /// ```
    /// use netless_token::TokenKind;
    /// assert_eq!(TokenKind::from_word("room"), Some(TokenKind::Room));
    /// assert_eq!(TokenKind::from_word("Room"), None);
    /// ```
    pub fn from_word(word: &str) -> Option<TokenKind> {
        TokenKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == word)
    }

    /// The kind whose prefix starts `token`, and the rest of `token` after that prefix.
    pub(crate) fn split_prefix(token: &str) -> Option<(TokenKind, &str)> {
        TokenKind::ALL
            .into_iter()
            .find_map(|kind| token.strip_prefix(kind.prefix()).map(|rest| (kind, rest)))
    }
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a [`TokenKind`], a [`Role`] or a [`Severity`](crate::Severity) from
/// text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    what: &'static str,
    expected: &'static str,
}

impl ParseError {
    /// The error of parsing `what` (`"kind"`, `"role"`, ...), which must be one of `expected`.
    pub(crate) const fn new(what: &'static str, expected: &'static str) -> Self {
        ParseError { what, expected }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} must be one of {}", self.what, self.expected)
    }
}

impl std::error::Error for ParseError {}

impl FromStr for TokenKind {
    type Err = ParseError;

    /// Parses `sdk`, `room` or `task` (any letter case).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TokenKind::ALL
            .into_iter()
            .find(|kind| kind.as_str().eq_ignore_ascii_case(s))
            .ok_or(ParseError {
                what: "kind",
                expected: "sdk, room, task",
            })
    }
}

/// What a token allows. A smaller number is more power: admin `0`, writer `1`, reader `2`.
///
/// `FromStr` takes the word or the digit; `Display` prints the word, [`Role::as_digit`] the
/// digit the token carries.
///
/// ```
/// use netless_token::Role;
/// assert_eq!("writer".parse::<Role>(), Ok(Role::Writer));
/// assert_eq!("1".parse::<Role>(), Ok(Role::Writer));
/// assert_eq!(Role::Writer.as_digit(), "1");
/// assert_eq!(Role::Writer.to_string(), "writer");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// `0`: full control, including disabling rooms.
    Admin,
    /// `1`: may write on the whiteboard and manage rooms.
    Writer,
    /// `2`: may only join read-only.
    Reader,
}

impl Role {
    /// Every role, from most to least power.
    pub const ALL: [Role; 3] = [Role::Admin, Role::Writer, Role::Reader];

    /// The digit a token carries: `"0"`, `"1"` or `"2"`.
    pub const fn as_digit(self) -> &'static str {
        match self {
            Role::Admin => "0",
            Role::Writer => "1",
            Role::Reader => "2",
        }
    }

    /// The word: `admin`, `writer` or `reader`.
    pub const fn as_word(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Writer => "writer",
            Role::Reader => "reader",
        }
    }

    /// The role for exactly the digit `"0"`, `"1"` or `"2"`, as a token carries it; nothing else.
    ///
    /// ```
    /// use netless_token::Role;
    /// assert_eq!(Role::from_digit("2"), Some(Role::Reader));
    /// assert_eq!(Role::from_digit("02"), None);
    /// ```
    pub fn from_digit(digit: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_digit() == digit)
    }

    /// The role for exactly its lowercase word, `admin`, `writer` or `reader`; nothing else.
    /// The service's REST API spells roles this way; `FromStr` also takes digits and any
    /// letter case.
    ///
    /// ```
    /// use netless_token::Role;
    /// assert_eq!(Role::from_word("writer"), Some(Role::Writer));
    /// assert_eq!(Role::from_word("Writer"), None);
    /// assert_eq!(Role::from_word("1"), None);
    /// ```
    pub fn from_word(word: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.as_word() == word)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_word())
    }
}

impl FromStr for Role {
    type Err = ParseError;

    /// Parses the word (`admin`, `writer`, `reader`, any letter case) or the digit (`0`, `1`, `2`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::from_digit(s)
            .or_else(|| {
                Role::ALL
                    .into_iter()
                    .find(|role| role.as_word().eq_ignore_ascii_case(s))
            })
            .ok_or(ParseError {
                what: "role",
                expected: "admin, writer, reader, 0, 1, 2",
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_from_word_and_digit_and_nothing_else() {
        for (text, role) in [
            ("admin", Role::Admin),
            ("ADMIN", Role::Admin),
            ("0", Role::Admin),
            ("writer", Role::Writer),
            ("1", Role::Writer),
            ("reader", Role::Reader),
            ("2", Role::Reader),
        ] {
            assert_eq!(text.parse::<Role>(), Ok(role), "{text:?}");
        }
        for bad in ["", "3", "00", " 0", "0 ", "adm", "-1", "+1"] {
            let err = bad.parse::<Role>().unwrap_err();
            assert!(err.to_string().starts_with("role "), "{bad:?}: {err}");
        }
    }

    #[test]
    fn role_digit_parsing_is_exact() {
        assert_eq!(Role::from_digit("0"), Some(Role::Admin));
        assert_eq!(Role::from_digit("admin"), None);
        assert_eq!(Role::from_digit("00"), None);
    }

    #[test]
    fn kinds_parse_and_split_their_prefix() {
        assert_eq!("SDK".parse::<TokenKind>(), Ok(TokenKind::Sdk));
        assert!("rooms".parse::<TokenKind>().is_err());
        assert_eq!(
            TokenKind::split_prefix("NETLESSTASK_abc"),
            Some((TokenKind::Task, "abc"))
        );
        assert_eq!(TokenKind::split_prefix("netlesstask_abc"), None);
        assert_eq!(TokenKind::split_prefix("NETLESSROOM"), None);
    }
}
