"""Every error class: what raises it, its place in the hierarchy, its field and message."""

import inspect
from datetime import datetime, timedelta

import netless_token as nt
import pytest

AK, SK, T0 = "ak", "sk", 1_700_000_000_000
TOKEN = nt.mint("room", AK, SK, "writer", 1000, "u", issued_at=T0, nonce="n")


def test_the_hierarchy_lets_callers_catch_at_every_level():
    assert issubclass(nt.TokenError, ValueError)
    for cls in (nt.MintError, nt.DecodeError, nt.VerifyError):
        assert issubclass(cls, nt.TokenError)
    for cls in (nt.SignatureError, nt.ExpiredError, nt.LifetimeError, nt.WrongKindError,
                nt.UnknownAccessKeyError, nt.MalformedTokenError, nt.KeyPairError):
        assert issubclass(cls, nt.VerifyError)
    assert issubclass(nt.MalformedTokenError, nt.DecodeError)
    assert issubclass(nt.KeyPairError, nt.MintError)
    # The builtin KeyError is not shadowed, and a key error is not a lookup error.
    assert not hasattr(nt, "KeyError") and not issubclass(nt.KeyPairError, KeyError)
    assert nt.ExpiredError.__module__ == "netless_token"


def check(exc_info, cls, field):
    """The exception is exactly `cls`, names `field`, and its message is `field: reason`."""
    e = exc_info.value
    assert type(e) is cls, type(e)
    assert e.field == field
    assert str(e) == e.message
    assert e.message.startswith(field + ": ") or e.message.startswith(f'"{field}": ')
    assert "\n" not in e.message


@pytest.mark.parametrize(
    "call,field",
    [
        (lambda: nt.mint("room", AK, SK, "writer", 0), "uuid"),
        (lambda: nt.mint("sdk", AK, SK, "writer", 0, "u"), "uuid"),
        (lambda: nt.mint("room", AK, SK, "writer", 0, ""), "uuid"),
        (lambda: nt.mint("sdk", AK, SK, "writer", 0, nonce=""), "nonce"),
        (lambda: nt.mint("sdk", AK, SK, "owner", 0), "role"),
        (lambda: nt.mint("sdk", AK, SK, "3", 0), "role"),
        (lambda: nt.mint("sdk", AK, SK, "-1", 0), "role"),
        (lambda: nt.mint("sdk", AK, SK, " 0", 0), "role"),
        (lambda: nt.mint("pdf", AK, SK, "admin", 0), "kind"),
        (lambda: nt.mint("sdk", AK, SK, "admin", -1), "lifespan"),
        (lambda: nt.mint("sdk", AK, SK, "admin", 2**64), "lifespan"),
        (lambda: nt.mint("sdk", AK, SK, "admin", timedelta(milliseconds=-1)), "lifespan"),
        (lambda: nt.mint("sdk", AK, SK, "admin", timedelta(microseconds=1500)), "lifespan"),
        (lambda: nt.mint("sdk", AK, SK, "admin", 1, issued_at=2**53), "expireAt"),
        (lambda: nt.mint("sdk", AK, SK, "admin", 1, issued_at=-1), "issued_at"),
        (lambda: nt.mint("sdk", AK, SK, "admin", 1, issued_at=datetime(2024, 1, 1)), "issued_at"),
        (lambda: nt.mint("sdk", AK, SK, "admin", 0, extra={"role": "0"}), "role"),
        (lambda: nt.mint("sdk", AK, SK, "admin", 0, extra={"Sig": "0"}), "Sig"),
        (lambda: nt.mint("sdk", AK, SK, "admin", 0, extra={"": "0"}), '""'),
        (lambda: nt.mint("sdk", AK, SK, "admin", 0, nonce="x" * 5000), "token"),
    ],
)
def test_mint_errors_name_the_field(call, field):
    with pytest.raises(nt.MintError) as e:
        call()
    check(e, nt.MintError, field)


@pytest.mark.parametrize(
    "call,field",
    [
        (lambda: nt.KeyPair(AK, ""), "sk"),
        (lambda: nt.KeyPair(AK, b""), "sk"),
        (lambda: nt.KeyPair("", SK), "ak"),
        (lambda: nt.mint("sdk", AK, "", "admin", 0), "sk"),
        (lambda: nt.mint("sdk", "", SK, "admin", 0), "ak"),
        (lambda: nt.verify(TOKEN, ""), "sk"),
        (lambda: nt.sdk_token(AK, "", 0, "0"), "sk"),
    ],
)
def test_an_empty_key_raises_key_pair_error_which_is_both_mint_and_verify_error(call, field):
    with pytest.raises(nt.KeyPairError) as e:
        call()
    check(e, nt.KeyPairError, field)
    assert isinstance(e.value, nt.MintError) and isinstance(e.value, nt.VerifyError)


@pytest.mark.parametrize(
    "token,field",
    [
        ("", "prefix"),
        ("netlesssdk_abc", "prefix"),
        ("NETLESSSDK_", "payload"),
        ("NETLESSSDK_!!!!", "payload"),
        ("NETLESSSDK_" + "A" * 5000, "token"),
        (TOKEN[:-6], "payload"),
    ],
)
def test_decode_errors_name_the_part_and_verify_raises_them_as_malformed(token, field):
    with pytest.raises(nt.DecodeError) as e:
        nt.decode(token)
    check(e, nt.DecodeError, field)
    with pytest.raises(nt.MalformedTokenError) as e:
        nt.verify(token, SK)
    check(e, nt.MalformedTokenError, field)
    assert isinstance(e.value, nt.DecodeError)


def test_verify_errors_have_their_own_classes():
    with pytest.raises(nt.SignatureError) as e:
        nt.verify(TOKEN, "other", now=T0)
    check(e, nt.SignatureError, "sig")
    with pytest.raises(nt.ExpiredError) as e:
        nt.verify(TOKEN, SK, now=T0 + 1000)
    check(e, nt.ExpiredError, "expireAt")
    with pytest.raises(nt.LifetimeError) as e:
        nt.verify(TOKEN, SK, now=T0, max_lifetime=1)
    check(e, nt.LifetimeError, "expireAt")
    with pytest.raises(nt.WrongKindError) as e:
        nt.verify(TOKEN, SK, now=T0, kind="sdk")
    check(e, nt.WrongKindError, "kind")
    with pytest.raises(nt.UnknownAccessKeyError) as e:
        nt.verify(TOKEN, SK, now=T0, ak="other")
    check(e, nt.UnknownAccessKeyError, "ak")


def test_the_signature_is_checked_before_the_policy():
    # An altered token that is also expired and of the wrong kind: the signature speaks first.
    with pytest.raises(nt.SignatureError):
        nt.verify(TOKEN, "other", now=T0 + 10**6, kind="task")


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"leeway": -1}, "leeway"),
        ({"leeway": timedelta(microseconds=1)}, "leeway"),
        ({"now": -1}, "now"),
        ({"now": datetime(2024, 1, 1)}, "now"),
        ({"max_lifetime": -5}, "max_lifetime"),
        ({"kind": "pdf"}, "kind"),
    ],
)
def test_bad_policy_values_raise_verify_error_naming_the_argument(kwargs, field):
    with pytest.raises(nt.VerifyError) as e:
        nt.verify(TOKEN, SK, **kwargs)
    check(e, nt.VerifyError, field)


@pytest.mark.parametrize(
    "call",
    [
        lambda: nt.mint("sdk", AK, SK, True, 0),
        lambda: nt.mint("sdk", AK, SK, 1.0, 0),
        lambda: nt.mint("sdk", AK, SK, 0, 0),
        lambda: nt.mint("sdk", AK, SK, 3, 0),
        lambda: nt.sdk_token(AK, SK, 0, 1),
        lambda: nt.mint("sdk", AK, SK, "admin", True),
        lambda: nt.mint("sdk", AK, SK, "admin", 1.5),
        lambda: nt.mint("sdk", AK, SK, "admin", "1000"),
        lambda: nt.mint(1, AK, SK, "admin", 0),
        lambda: nt.mint("sdk", AK, 123, "admin", 0),
        lambda: nt.mint("sdk", AK, SK, "admin", 0, extra={"a": 1}),
        lambda: nt.mint("sdk", AK, SK, "admin", 0, extra={1: "a"}),
        lambda: nt.mint("sdk", AK, SK, "admin", 0, extra=[("a", "b")]),
        lambda: nt.mint("sdk", AK, SK, "admin", 1, issued_at=1.5),
        lambda: nt.mint("sdk", AK, SK, "admin", 1, issued_at=datetime(2024, 1, 1).date()),
        lambda: nt.verify(TOKEN, SK, now=True),
        lambda: nt.verify(TOKEN, None),
        lambda: nt.decode(b"NETLESSSDK_"),
        lambda: nt.room_token(AK, SK, 0, "1", None),
    ],
)
def test_arguments_of_the_wrong_type_raise_type_error(call):
    with pytest.raises(TypeError):
        call()


KEYRING = nt.Keyring()
KEYRING.insert(nt.KeyPair(AK, SK))
# Each function and method with arguments that work; every argument in its signature is then
# given a value of a wrong type, in turn.
VALID = [
    (nt.sdk_token, dict(access_key=AK, secret_access_key=SK, lifespan=0, role="admin")),
    (nt.room_token, dict(access_key=AK, secret_access_key=SK, lifespan=0, role="admin", uuid="u")),
    (nt.task_token, dict(access_key=AK, secret_access_key=SK, lifespan=0, role="admin", uuid="u")),
    (nt.mint, dict(kind="room", ak=AK, sk=SK, role="writer", lifespan=0, uuid="u", issued_at=T0,
                   nonce="n", extra={})),
    (nt.decode, dict(token=TOKEN)),
    (nt.verify, dict(token=TOKEN, sk=SK, ak=AK, kind="room", leeway=0, now=T0, max_lifetime=10**6)),
    (nt.KeyPair, dict(ak=AK, sk=SK)),
    (nt.KeyPair(AK, SK).mint, dict(kind="room", role="writer", lifespan=0, uuid="u", issued_at=T0,
                                   nonce="n", extra={})),
    (nt.KeyPair(AK, SK).verify, dict(token=TOKEN, kind="room", leeway=0, now=T0, max_lifetime=10**6)),
    (KEYRING.insert, dict(pair=nt.KeyPair(AK, SK))),
    (KEYRING.retire_oldest, dict(ak="not held")),
    (KEYRING.remove, dict(ak="not held")),
    (KEYRING.minter, dict(ak=AK)),
    (KEYRING.verify, dict(token=TOKEN, kind="room", leeway=0, now=T0, max_lifetime=10**6)),
]
# A value of a wrong type for each argument, with a text that must not show in the message.
TIMES = {"lifespan", "leeway", "max_lifetime", "issued_at", "now"}


def wrong_value(name):
    if name in TIMES:
        return "SeNtInEl"
    if name == "role":
        return 9.87654321
    return 987654321


@pytest.mark.parametrize(
    "fn,kwargs", VALID, ids=[getattr(fn, "__qualname__", fn.__name__) for fn, _ in VALID]
)
def test_every_argument_names_itself_in_its_type_error_without_its_value(fn, kwargs):
    params = inspect.signature(fn).parameters
    assert set(params) == set(kwargs), "the table misses an argument"
    fn(**kwargs)  # the arguments work as given
    for name in params:
        bad = wrong_value(name)
        with pytest.raises(TypeError) as e:
            fn(**{**kwargs, name: bad})
        message = str(e.value)
        assert message.startswith(f"{name}: expected "), message
        assert f"not {type(bad).__name__}" in message, message
        assert str(bad) not in message and repr(bad) not in message, message


def test_a_missing_environment_variable_is_named():
    # os.environ.get("NETLESS_AK") is None when the variable is not set.
    with pytest.raises(TypeError, match=r"^access_key: expected str, not NoneType$"):
        nt.room_token(None, SK, 60_000, "1", "room-1")
    with pytest.raises(TypeError, match=r"^secret_access_key: expected str or bytes, not NoneType$"):
        nt.room_token(AK, None, 60_000, "1", "room-1")


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: nt.mint("sdk", AK, SK, "admin", 0, issuedat=0), "mint() got an unexpected keyword argument 'issuedat'"),
        (lambda: nt.verify(TOKEN, SK, leway=5), "verify() got an unexpected keyword argument 'leway'"),
        (lambda: nt.KeyPair(AK, SK).verify(TOKEN, ak=AK), "KeyPair.verify() got an unexpected keyword argument 'ak'"),
        (lambda: nt.KeyPair(AK, SK).mint("sdk", "admin", 0, sk=SK), "KeyPair.mint() got an unexpected keyword argument 'sk'"),
    ],
)
def test_an_unknown_keyword_raises_the_type_error_python_gives(call, name):
    with pytest.raises(TypeError) as e:
        call()
    assert str(e.value) == name
