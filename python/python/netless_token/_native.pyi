"""Types of ``netless_token._native``, the Rust extension: the functions and classes that
``netless_token`` re-exports. The enums and exception classes are typed in ``_base.py`` itself,
and the package's own names in ``__init__.py``."""

from datetime import datetime, timedelta
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union, final

from ._base import Role, Severity, TokenKind

MAX_TOKEN_LEN: int
"""The longest token, in bytes, that ``decode`` accepts and minting produces: 4096."""
MAX_EXPIRE_AT: int
"""The latest ``expireAt`` minting produces: 2**53 - 1 ms."""

_KindLike = Union[TokenKind, str]
"""A kind: a ``TokenKind`` or ``"sdk"``, ``"room"``, ``"task"`` (any letter case)."""
_RoleLike = Union[Role, str]
"""A role: a ``Role``, ``"admin"``, ``"writer"``, ``"reader"`` (any letter case), ``"0"``, ``"1"``
or ``"2"``; never a bare ``int`` (role and lifespan swapped would mint an admin token)."""
_Millis = Union[int, timedelta]
"""A length of time: int ms, or a ``timedelta`` of whole milliseconds; never negative."""
_Instant = Union[int, datetime]
"""An instant: int ms since the Unix epoch, or an aware ``datetime`` (floored to the ms)."""
_SecretLike = Union[str, bytes, bytearray]
"""A secret key: text (its UTF-8 is the HMAC key) or bytes; never empty."""

def sdk_token(access_key: str, secret_access_key: _SecretLike, lifespan: _Millis, role: _RoleLike) -> str:
    """Mints an SDK token now with a random nonce, as the official ``sdk_token``."""

def room_token(
    access_key: str, secret_access_key: _SecretLike, lifespan: _Millis, role: _RoleLike, uuid: str
) -> str:
    """Mints a Room token for room ``uuid`` now with a random nonce, as the official ``room_token``."""

def task_token(
    access_key: str, secret_access_key: _SecretLike, lifespan: _Millis, role: _RoleLike, uuid: str
) -> str:
    """Mints a Task token for task ``uuid`` now with a random nonce, as the official ``task_token``."""

def mint(
    kind: _KindLike,
    ak: str,
    sk: _SecretLike,
    role: _RoleLike,
    lifespan: _Millis,
    uuid: Optional[str] = None,
    *,
    issued_at: Optional[_Instant] = None,
    nonce: Optional[str] = None,
    extra: Optional[Mapping[str, str]] = None,
) -> str:
    """Mints one token. ``lifespan`` 0 never expires; ``uuid`` is required for Room and Task
    tokens and refused for SDK tokens; ``issued_at`` defaults to now and ``nonce`` to a random
    UUID v4. Raises ``MintError`` (``KeyPairError`` for an empty key), ``TypeError``."""

def decode(token: str) -> DecodedToken:
    """Decodes a token without its secret; nothing is verified. Raises ``DecodeError``."""

def verify(
    token: str,
    sk: _SecretLike,
    *,
    ak: Optional[str] = None,
    kind: Optional[_KindLike] = None,
    leeway: Optional[_Millis] = 0,
    now: Optional[_Instant] = None,
    max_lifetime: Optional[_Millis] = None,
) -> VerifiedToken:
    """Verifies the signature (constant time), then ``ak``, ``kind``, expiry (``now``, default
    the system clock, with ``leeway``) and ``max_lifetime``. Raises a ``VerifyError``."""

def audit(
    token: str,
    *,
    max_lifetime: Optional[_Millis] = None,
    now: Optional[_Instant] = None,
) -> List[Finding]:
    """Audits a token without its secret: the findings, most severe first. ``max_lifetime``
    defaults to 24 hours, ``now`` to the system clock. Raises ``DecodeError``."""

@final
class Finding:
    """One thing ``audit`` found about a token. Immutable and hashable."""

    @property
    def severity(self) -> Severity:
        """How much it matters."""
    @property
    def code(self) -> str:
        """The stable code, such as ``"sdk-never-expires"``."""
    @property
    def message(self) -> str:
        """Why, in one line; never a secret or the signature."""
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

class DecodedToken:
    """A well-formed token's fields, not trusted. Immutable and hashable; ``repr`` shows only
    the first 8 hex digits of ``sig``. Made only by ``decode`` (and, as ``VerifiedToken``, by
    ``verify``)."""

    @property
    def kind(self) -> TokenKind:
        """The kind, from the prefix."""
    @property
    def ak(self) -> str:
        """The access key."""
    @property
    def nonce(self) -> str:
        """The nonce."""
    @property
    def role(self) -> Role:
        """The role."""
    @property
    def expire_at(self) -> Optional[int]:
        """ms since the Unix epoch; ``None`` for a token that never expires."""
    @property
    def uuid(self) -> Optional[str]:
        """The room or task UUID; ``None`` for an SDK token."""
    @property
    def sig(self) -> str:
        """The signature: 64 lowercase hex digits."""
    @property
    def extra(self) -> Mapping[str, str]:
        """The extra fields in the token's order, read-only."""
    def fields(self) -> List[Tuple[str, str]]:
        """Every signed field (``sig`` left out) in canonical order, values as carried."""
    def canonical_json(self) -> str:
        """The JSON text the signature covers."""
    def to_token(self) -> str:
        """The token in canonical form (the token decoded, for exact generators)."""
    def to_dict(self) -> Dict[str, Any]:
        """``kind``, ``ak``, ``nonce``, ``role`` (word), ``expire_at``, ``uuid``, ``sig`` and
        ``extra`` (a dict) as plain values."""
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class VerifiedToken(DecodedToken):
    """A token whose signature and policy ``verify`` checked. Only ``verify`` and
    ``KeyPair.verify`` make one; a ``DecodedToken`` is never one."""

@final
class KeyPair:
    """An access key and its secret key, the HMAC keyed once; immutable, shareable between
    threads. ``repr`` shows the access key only."""

    def __new__(cls, ak: str, sk: _SecretLike) -> KeyPair: ...
    @property
    def access_key(self) -> str:
        """The access key."""
    def mint(
        self,
        kind: _KindLike,
        role: _RoleLike,
        lifespan: _Millis,
        uuid: Optional[str] = None,
        *,
        issued_at: Optional[_Instant] = None,
        nonce: Optional[str] = None,
        extra: Optional[Mapping[str, str]] = None,
    ) -> str:
        """``netless_token.mint`` with this pair's keys."""
    def verify(
        self,
        token: str,
        *,
        kind: Optional[_KindLike] = None,
        leeway: Optional[_Millis] = 0,
        now: Optional[_Instant] = None,
        max_lifetime: Optional[_Millis] = None,
    ) -> VerifiedToken:
        """``netless_token.verify`` with this pair's keys; the token's access key must be this
        pair's (else ``UnknownAccessKeyError``)."""

@final
class Keyring:
    """The key pairs a service verifies with: several access keys, and several secrets of one
    access key while it rotates. Safe to share between threads; does not pickle."""

    def __new__(cls) -> Keyring: ...
    def insert(self, pair: KeyPair) -> None:
        """Adds ``pair``; an access key may have several secrets, the newest last."""
    def retire_oldest(self, ak: str) -> bool:
        """Removes the oldest secret of ``ak``; returns whether there was one."""
    def remove(self, ak: str) -> int:
        """Removes every secret of ``ak``; returns how many there were."""
    def minter(self, ak: str) -> Optional[KeyPair]:
        """The newest key pair of ``ak``, to mint with; ``None`` for an access key not held."""
    def verify(
        self,
        token: str,
        *,
        kind: Optional[_KindLike] = None,
        leeway: Optional[_Millis] = 0,
        now: Optional[_Instant] = None,
        max_lifetime: Optional[_Millis] = None,
    ) -> VerifiedToken:
        """``KeyPair.verify`` with every secret of the token's access key."""
    def __len__(self) -> int:
        """The number of access keys held."""
    def __bool__(self) -> bool: ...
    def __contains__(self, pair: KeyPair, /) -> bool:
        """Whether ``pair`` (its access key with the same secret) is held."""
