"""The secret key never appears in a repr, a str or an error message, in any form."""

import pickle
from datetime import timedelta

import netless_token as nt
import pytest

SENTINEL = "SeNtInEl-sk-7f3a9c"
FORMS = [SENTINEL, SENTINEL.encode().hex(), SENTINEL.encode().hex().upper(), repr(SENTINEL.encode())]


def assert_clean(obj):
    for text in (repr(obj), str(obj), repr(getattr(obj, "__dict__", ""))):
        for form in FORMS:
            assert form not in text, f"{form!r} in {text!r}"


def errors():
    """Every kind of error an operation with the sentinel secret can raise."""
    pair = nt.KeyPair("ak", SENTINEL)
    token = pair.mint("room", "writer", 1000, "u", issued_at=0, nonce="n")
    calls = [
        lambda: nt.mint("room", "ak", SENTINEL, "writer", 0),
        lambda: nt.mint("sdk", "ak", SENTINEL, "owner", 0),
        # A secret passed in the wrong position is not echoed either.
        lambda: nt.mint("sdk", "ak", "sk", SENTINEL, 0),
        lambda: nt.mint(SENTINEL, "ak", "sk", "admin", 0),
        lambda: nt.mint("sdk", "ak", SENTINEL, "admin", -1),
        lambda: nt.mint("sdk", "ak", SENTINEL, "admin", timedelta(microseconds=1)),
        lambda: nt.mint("sdk", "ak", SENTINEL, "admin", 0, extra={"sig": SENTINEL}),
        lambda: nt.mint("sdk", "ak", SENTINEL, "admin", 0, extra={"x": 1}),
        lambda: nt.mint("sdk", "", SENTINEL, "admin", 0),
        lambda: nt.room_token("ak", 1000, SENTINEL, "1", "u"),
        lambda: nt.room_token("ak", SENTINEL, 1000, SENTINEL, "u"),
        lambda: nt.verify(token, SENTINEL + "x"),
        lambda: nt.verify(token, SENTINEL, now=10**6),
        lambda: nt.verify(token, SENTINEL, now=0, kind="sdk"),
        lambda: nt.verify(token, SENTINEL, now=0, max_lifetime=1),
        lambda: nt.verify(token, SENTINEL, ak="other"),
        lambda: nt.verify(token[:-3], SENTINEL),
        lambda: nt.verify(token, SENTINEL, kind=SENTINEL),
        lambda: nt.verify(SENTINEL, SENTINEL),
        lambda: nt.decode(SENTINEL),
        lambda: pair.verify(token, now=10**6),
        lambda: nt.KeyPair("", SENTINEL),
        # The secret where a str goes, as bytes (a TypeError) or with a lone surrogate (which
        # Python's own UnicodeEncodeError would hold whole).
        lambda: nt.room_token(SENTINEL.encode(), "sk", 0, "1", "u"),
        lambda: nt.room_token(SENTINEL + "\ud800", "sk", 0, "1", "u"),
        lambda: nt.mint("sdk", "ak", "sk", "admin", 0, nonce=SENTINEL + "\ud800"),
        lambda: nt.decode(SENTINEL + "\ud800"),
        lambda: nt.verify(SENTINEL + "\ud800", "sk"),
        # A str that cannot be UTF-8: Python's own UnicodeEncodeError would hold it whole.
        lambda: nt.KeyPair("ak", "x\udc80" + SENTINEL),
        lambda: nt.mint("sdk", "ak", SENTINEL + "\ud800", "admin", 0),
    ]
    for call in calls:
        with pytest.raises(Exception) as e:
            call()
        yield e.value


def test_no_error_shows_the_secret():
    seen = list(errors())
    assert len(seen) == 29
    assert all(isinstance(e, nt.KeyPairError) for e in seen[-2:])
    for error in seen:
        assert_clean(error)
        assert_clean(error.args)
        assert_clean(error.__cause__)
        assert_clean(error.__context__)
        assert_clean(pickle.dumps(error, protocol=0).decode("latin-1"))


def test_no_object_shows_the_secret():
    pair = nt.KeyPair("ak", SENTINEL)
    assert repr(pair) == "KeyPair(access_key='ak', sk=[REDACTED])"
    token = pair.mint("room", "writer", 1000, "u", issued_at=0, nonce="n", extra={"k": "v"})
    for obj in (pair, nt.decode(token), nt.verify(token, SENTINEL, now=0), nt.decode(token).to_dict(), token):
        assert_clean(obj)


def test_the_key_pair_cannot_be_pickled_or_copied_out():
    pair = nt.KeyPair("ak", SENTINEL)
    with pytest.raises(TypeError):
        pickle.dumps(pair)
    assert not [name for name in dir(pair) if "sk" in name.lower() or "secret" in name.lower()]
