"""Mint, decode and verify NETLESS whiteboard tokens (SDK, Room and Task) offline, byte for
byte what the official JavaScript generator prints, from a Rust core.

A drop-in for the official Python file (same names, arguments and constants)::

    >>> from netless_token import sdk_token, room_token, task_token, ADMIN, WRITER, READER
    >>> token = room_token("netless", "x", 1000 * 60 * 10, role=READER, uuid="room uuid")
    >>> token.startswith("NETLESSROOM_")
    True

The pure core, reproducible byte for byte with a fixed issue time and nonce::

    >>> import netless_token as nt
    >>> nt.mint("sdk", "BUxxxxxxrc", "CxxxxxxxauY3", "admin", 0,
    ...         issued_at=1_700_000_000_000, nonce="6ba7b810-9dad-11d1-80b4-00c04fd430c8")
    'NETLESSSDK_YWs9QlV4eHh4eHhyYyZub25jZT02YmE3YjgxMC05ZGFkLTExZDEtODBiNC0wMGMwNGZkNDMwYzgmcm9sZT0wJnNpZz05ODY3YjBiMzZhMWMyZTFkNzQ5ZjBhMDYzMGRmOTFiOGNiYzQ3NzFhODJjMzVjN2YyNWIwYWQ2OTZhNmQ0NGJm'

A key pair keys the HMAC once and serves every thread; anyone can decode a token, only the
secret's holder can verify it::

    >>> pair = nt.KeyPair("BUxxxxxxrc", "CxxxxxxxauY3")
    >>> token = pair.mint(nt.TokenKind.ROOM, nt.Role.WRITER, 3_600_000, "a7e0a4d0c1a011eabc5b5d4c8e0aca69")
    >>> nt.decode(token).uuid
    'a7e0a4d0c1a011eabc5b5d4c8e0aca69'
    >>> verified = nt.verify(token, "CxxxxxxxauY3", kind="room")
    >>> verified.role
    <Role.WRITER: 1>
    >>> try:
    ...     nt.verify(token, "another secret")
    ... except nt.SignatureError as e:
    ...     print(e.field, "|", e)
    sig | sig: does not match (another secret key, or the token was altered)

A keyring holds the keys a service verifies with: several access keys, and several secrets of
one while it rotates. ``minter`` is the newest pair; tokens of every secret held verify::

    >>> keyring = nt.Keyring()
    >>> keyring.insert(pair)
    >>> keyring.insert(nt.KeyPair("BUxxxxxxrc", "the next secret"))
    >>> keyring.verify(token, kind="room").uuid
    'a7e0a4d0c1a011eabc5b5d4c8e0aca69'
    >>> nt.decode(keyring.minter("BUxxxxxxrc").mint("sdk", "reader", 60_000)).role
    <Role.READER: 2>
    >>> keyring.retire_oldest("BUxxxxxxrc"), len(keyring), pair in keyring
    (True, 1, False)

A role is a word, a digit string or a ``Role``, never a bare int: ``mint`` takes the role
before the lifespan, the drop-in after it, and a swapped call would mint an admin token::

    >>> nt.mint("sdk", "BUxxxxxxrc", "CxxxxxxxauY3", 0, 1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    TypeError: role: expected str or Role, not int (role and lifespan may be swapped: ...)

An audit reads a token without its secret and says what it should not be: here, the
documentation's admin SDK token, which never expires::

    >>> doc = ("NETLESSSDK_YWs9MzRsNzBoQ2dINFkxZ1BCYWpqbU5Ick9qM3FGeDFMWE5GY3R0Jm5vbmNlPTE1OTA3Mzky"
    ...        "OTgwOTUwMCZyb2xlPTAmc2lnPTY0NGY5ODQwMDMzZDA1MjcxNWE2NDc0MWQyMTExNzFhMGY0NWQ2YzZhZjZl"
    ...        "ZTc2YTA4YjNkNjFmZDc1NTJkMDM")
    >>> [(f.severity, f.code) for f in nt.audit(doc)]
    [(<Severity.CRITICAL: 4>, 'sdk-never-expires')]
    >>> nt.audit(token, max_lifetime=30 * 60_000)  # doctest: +ELLIPSIS
    [Finding(severity='medium', code='long-lived', message='valid for ...')]

Errors: every error is a ``TokenError`` (a ``ValueError``) with ``field`` and ``message``:
``MintError``, ``DecodeError`` and ``VerifyError``, and under ``VerifyError`` the cases a caller
branches on (``ExpiredError``, ``SignatureError``, ...). A wrong type is a ``TypeError`` that
names the argument. No message or ``repr`` ever holds a secret key.
"""

from ._base import (
    DecodeError,
    ExpiredError,
    KeyPairError,
    LifetimeError,
    MalformedTokenError,
    MintError,
    Role,
    Severity,
    SignatureError,
    TokenError,
    TokenKind,
    UnknownAccessKeyError,
    VerifyError,
    WrongKindError,
)
from ._native import (
    MAX_EXPIRE_AT,
    MAX_TOKEN_LEN,
    DecodedToken,
    Finding,
    KeyPair,
    Keyring,
    VerifiedToken,
    audit,
    decode,
    mint,
    room_token,
    sdk_token,
    task_token,
    verify,
)

ADMIN = "0"
"""The admin role, as the official Python generator spells it: ``"0"``."""
WRITER = "1"
"""The writer role, as the official Python generator spells it: ``"1"``."""
READER = "2"
"""The reader role, as the official Python generator spells it: ``"2"``."""

__version__ = "0.1.0"

__all__ = [
    "ADMIN",
    "WRITER",
    "READER",
    "sdk_token",
    "room_token",
    "task_token",
    "mint",
    "decode",
    "verify",
    "audit",
    "KeyPair",
    "Keyring",
    "DecodedToken",
    "VerifiedToken",
    "Finding",
    "TokenKind",
    "Role",
    "Severity",
    "TokenError",
    "MintError",
    "DecodeError",
    "VerifyError",
    "KeyPairError",
    "MalformedTokenError",
    "SignatureError",
    "ExpiredError",
    "LifetimeError",
    "WrongKindError",
    "UnknownAccessKeyError",
    "MAX_TOKEN_LEN",
    "MAX_EXPIRE_AT",
]

# The classes are defined in submodules; name them as the package that exports them, so that
# tracebacks and reprs say `netless_token.ExpiredError`, and pickles refer to the public name.
for _name in __all__:
    _obj = globals()[_name]
    if isinstance(_obj, type) and _obj.__module__.startswith("netless_token."):
        _obj.__module__ = "netless_token"
del _name, _obj
