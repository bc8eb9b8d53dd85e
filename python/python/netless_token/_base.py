"""The pure-Python part of netless_token: the enums and the exception classes.

The Rust extension (``netless_token._native``) returns these enum members and raises these
exceptions; they live in Python so that they are ordinary ``enum`` members and ordinary
exception classes (picklable, subclassable, multiply inherited). ``netless_token`` re-exports
every public name of this module.

Typed here, in the source; the stub ``_native.pyi`` covers only the extension. The annotations
are never evaluated, so that importing the package does not import ``typing``, which would
take longer than the rest of the import.
"""

from __future__ import annotations

import enum


class TokenKind(str, enum.Enum):
    """The three kinds of NETLESS token, told apart by their prefix.

    A ``str`` enum: ``TokenKind.ROOM == "room"``. ``TokenKind("ROOM")`` also works (any
    letter case).
    """

    SDK = "sdk"
    """A team-wide SDK token (``NETLESSSDK_``); carries no ``uuid``."""
    ROOM = "room"
    """A token for one room (``NETLESSROOM_``); its ``uuid`` is the room UUID."""
    TASK = "task"
    """A token for one file-conversion task (``NETLESSTASK_``); its ``uuid`` is the task UUID."""

    @property
    def prefix(self) -> str:
        """The prefix a token of this kind starts with, such as ``"NETLESSROOM_"``."""
        return "NETLESS" + self.value.upper() + "_"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def _missing_(cls, value: object) -> TokenKind | None:
        if isinstance(value, str):
            for member in cls:
                if member.value == value.lower():
                    return member
        return None


class _Worded(enum.IntEnum):
    """An ``int`` enum whose members are also read and written as their lowercase names."""

    @property
    def word(self) -> str:
        """The member's name in lowercase: ``"writer"``, ``"high"``."""
        return self.name.lower()

    def __str__(self) -> str:
        return self.word

    def __format__(self, spec: str) -> str:
        return format(self.word, spec)

    @classmethod
    def _missing_(cls, value: object) -> _Worded | None:
        if isinstance(value, str):
            for member in cls:
                if value.lower() == member.word:
                    return member
        return None


class Role(_Worded):
    """What a token allows; a smaller number is more power.

    An ``int`` enum whose value is the digit the token carries: ``Role.WRITER == 1``.
    ``Role("writer")``, ``Role("1")`` and ``Role(1)`` are all ``Role.WRITER``; ``str()`` gives
    the word.
    """

    ADMIN = 0
    """``0``: full control, including disabling rooms."""
    WRITER = 1
    """``1``: may write on the whiteboard and manage rooms."""
    READER = 2
    """``2``: may only join read-only."""

    @property
    def digit(self) -> str:
        """The digit the token carries: ``"0"``, ``"1"`` or ``"2"``."""
        return str(self.value)

    @classmethod
    def _missing_(cls, value: object) -> Role | None:
        if isinstance(value, str):
            for member in cls:
                if value == member.digit:
                    return member
        return super()._missing_(value)


class Severity(_Worded):
    """How much an audit finding matters, from ``INFO`` to ``CRITICAL``.

    An ``int`` enum, so severities order: ``finding.severity >= Severity.HIGH``.
    ``Severity("high")`` (any letter case) is ``Severity.HIGH``; ``str()`` gives the word.
    """

    INFO = 0
    """Worth knowing; nothing to fix (an expired token)."""
    LOW = 1
    """A habit to change (an admin Room token, an expiry a few hours off)."""
    MEDIUM = 2
    """A token that lives longer than it should."""
    HIGH = 3
    """A credential that grants much for a long time: revoke and replace it."""
    CRITICAL = 4
    """A master credential that never expires: rotate the key pair now."""


class TokenError(ValueError):
    """The base of every error netless_token raises for a bad token or a bad argument value.

    ``field`` names the token field or argument at fault (``"ak"``, ``"expireAt"``,
    ``"lifespan"``, ...); ``message`` is the whole one-line message, ``"field: reason"``,
    the same text as ``str(error)``. No message ever holds a secret key.
    """

    field: str
    message: str

    def __init__(self, message: str, field: str = "", **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        for name, value in details.items():
            setattr(self, name, value)

    def __reduce__(self) -> tuple[object, ...]:
        details = {k: v for k, v in self.__dict__.items() if k not in ("message", "field")}
        return (_rebuild, (type(self), self.message, self.field, details))


def _rebuild(
    cls: type[TokenError], message: str, field: str, details: dict[str, object]
) -> TokenError:
    """Unpickles a ``TokenError``: its class, called as the extension calls it."""
    return cls(message, field, **details)


class MintError(TokenError):
    """A token could not be minted: a missing or unexpected ``uuid``, an empty nonce, a bad
    role or lifespan, a bad extra field, an ``expireAt`` out of range. Nothing was minted."""


class DecodeError(TokenError):
    """A string is not a well-formed token. Says nothing about whether a token is authentic."""


class VerifyError(TokenError):
    """A token is not accepted. Every failure of ``verify`` is a ``VerifyError``; the subclasses
    tell the common cases apart."""


class KeyPairError(MintError, VerifyError):
    """The access key or secret key is empty (``field`` is ``"ak"`` or ``"sk"``). Raised by
    ``KeyPair()``, and by the minting and verifying calls that take a key, so it is both a
    ``MintError`` and a ``VerifyError``."""


class MalformedTokenError(VerifyError, DecodeError):
    """``verify`` was given a string that is not a well-formed token: both a ``VerifyError``
    (``verify`` failed) and a ``DecodeError`` (the same reason ``decode`` gives)."""


class SignatureError(VerifyError):
    """The signature does not match: another secret key signed it, or the token was altered.
    ``field`` is ``"sig"``."""


class ExpiredError(VerifyError):
    """The token has expired. ``expire_at``, ``now`` and ``leeway`` (all ms) say when."""

    expire_at: int
    now: int
    leeway: int


class LifetimeError(VerifyError):
    """The token stays valid longer than ``max_lifetime`` after now, or never expires.
    ``expire_at`` (ms, or ``None`` for never), ``now`` and ``max_lifetime`` (ms) say by how
    much."""

    expire_at: int | None
    now: int
    max_lifetime: int


class WrongKindError(VerifyError):
    """The token is of another kind than required. ``expected`` and ``found`` are
    ``TokenKind`` members; ``field`` is ``"kind"``."""

    expected: TokenKind
    found: TokenKind


class UnknownAccessKeyError(VerifyError):
    """The token's access key is not the one verified against. ``field`` is ``"ak"``."""
