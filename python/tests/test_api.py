"""mint, decode, verify and KeyPair: the semantics the README and the stub promise."""

import doctest
import pickle
import types
from datetime import datetime, timedelta, timezone

import netless_token as nt
import pytest

AK, SK = "BUxxxxxxrc", "CxxxxxxxauY3"
NONCE = "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
T0 = 1_700_000_000_000
# From official-js.jsonl: sdk, admin, lifespan 0, issued T0 with NONCE.
SDK_ADMIN_T0 = (
    "NETLESSSDK_YWs9QlV4eHh4eHhyYyZub25jZT02YmE3YjgxMC05ZGFkLTExZDEtODBiNC0wMGMwNGZkNDMwYzgmcm9sZT0wJnNpZz05ODY3YjBiMzZhMWMyZTFkNzQ5ZjBhMDYzMGRmOTFiOGNiYzQ3NzFhODJjMzVjN2YyNWIwYWQ2OTZhNmQ0NGJm"
)


def test_the_module_docstring_example_runs():
    result = doctest.testmod(nt, raise_on_error=False, verbose=False)
    assert result.attempted >= 5
    assert result.failed == 0


@pytest.mark.parametrize("kind", ["sdk", "SDK", nt.TokenKind.SDK])
@pytest.mark.parametrize("role", ["admin", "ADMIN", "0", nt.Role.ADMIN])
def test_every_spelling_of_kind_and_role_mints_the_same_token(kind, role):
    assert nt.mint(kind, AK, SK, role, 0, issued_at=T0, nonce=NONCE) == SDK_ADMIN_T0


def test_times_as_datetime_and_timedelta_equal_their_milliseconds():
    at = datetime.fromtimestamp(T0 / 1000, tz=timezone.utc)
    by_int = nt.mint("room", AK, SK, "writer", 3_600_000, "u", issued_at=T0, nonce="n")
    by_objects = nt.mint("room", AK, SK, "writer", timedelta(hours=1), "u", issued_at=at, nonce="n")
    assert by_int == by_objects
    # Another time zone, the same instant.
    at_plus8 = at.astimezone(timezone(timedelta(hours=8)))
    assert nt.mint("room", AK, SK, "writer", 3_600_000, "u", issued_at=at_plus8, nonce="n") == by_int


def test_an_issue_time_with_microseconds_is_floored_to_the_millisecond():
    at = datetime.fromtimestamp(T0 / 1000, tz=timezone.utc) + timedelta(microseconds=999)
    token = nt.mint("sdk", AK, SK, "admin", 1000, issued_at=at, nonce="n")
    assert nt.decode(token).expire_at == T0 + 1000


def test_lifespan_zero_never_expires_and_other_lifespans_set_expire_at():
    assert nt.decode(nt.mint("sdk", AK, SK, "admin", 0, issued_at=T0, nonce="n")).expire_at is None
    assert nt.decode(nt.mint("sdk", AK, SK, "admin", 1, issued_at=T0, nonce="n")).expire_at == T0 + 1


def test_default_issue_time_is_now_and_default_nonce_is_a_fresh_uuid4():
    pair = nt.KeyPair(AK, SK)
    fixed_nonce = nt.decode(pair.mint("sdk", "admin", 1000, nonce="mine"))
    assert fixed_nonce.nonce == "mine"
    fixed_time = [nt.decode(pair.mint("sdk", "admin", 1000, issued_at=T0)) for _ in range(2)]
    assert [d.expire_at for d in fixed_time] == [T0 + 1000, T0 + 1000]
    a, b = (d.nonce for d in fixed_time)
    assert a != b and len(a) == 36 and a[14] == "4" and a[19] in "89ab"


def test_extra_fields_are_signed_carried_and_decoded_in_order():
    token = nt.mint("room", AK, SK, "reader", 0, "u", issued_at=T0, nonce="n", extra={"b": "x y", "10": "é"})
    decoded = nt.decode(token)
    assert isinstance(decoded.extra, types.MappingProxyType)
    assert dict(decoded.extra) == {"10": "é", "b": "x y"}
    assert list(decoded.extra) == ["10", "b"]  # the reference generator's order
    with pytest.raises(TypeError):
        decoded.extra["c"] = "z"
    verified = nt.verify(token, SK)
    assert dict(verified.extra) == {"10": "é", "b": "x y"}
    assert ("b", "x y") in decoded.fields()
    assert decoded.canonical_json() == '{"10":"é","ak":"BUxxxxxxrc","b":"x y","nonce":"n","role":"2","uuid":"u"}'


def test_decoded_tokens_are_immutable_with_a_plain_dict_and_a_short_sig_in_repr():
    decoded = nt.decode(nt.mint("room", AK, SK, "writer", 1000, "room-1", issued_at=T0, nonce="n"))
    with pytest.raises(AttributeError):
        decoded.ak = "other"
    assert decoded.to_dict() == {
        "kind": "room",
        "ak": AK,
        "nonce": "n",
        "role": "writer",
        "expire_at": T0 + 1000,
        "uuid": "room-1",
        "sig": decoded.sig,
        "extra": {},
    }
    text = repr(decoded)
    assert text.startswith("DecodedToken(kind='room', ak='BUxxxxxxrc', nonce='n', role='writer', ")
    assert decoded.sig[:8] + "…" in text and decoded.sig not in text


def test_equal_tokens_compare_and_hash_equal_and_verified_is_a_distinct_class():
    token = nt.mint("sdk", AK, SK, "admin", 0, issued_at=T0, nonce="n")
    decoded, verified = nt.decode(token), nt.verify(token, SK)
    assert decoded == nt.decode(token) and hash(decoded) == hash(nt.decode(token))
    assert decoded == verified and hash(decoded) == hash(verified)
    assert decoded != nt.decode(nt.mint("sdk", AK, SK, "admin", 0, issued_at=T0, nonce="m"))
    assert decoded != token
    assert not isinstance(decoded, nt.VerifiedToken)
    assert isinstance(verified, nt.VerifiedToken) and isinstance(verified, nt.DecodedToken)
    assert repr(verified).startswith("VerifiedToken(")
    with pytest.raises(TypeError):
        nt.VerifiedToken()
    with pytest.raises(TypeError):
        nt.DecodedToken()


def test_verify_checks_kind_expiry_leeway_and_lifetime():
    token = nt.mint("room", AK, SK, "writer", 1000, "u", issued_at=T0, nonce="n")
    expire_at = T0 + 1000
    assert nt.verify(token, SK, now=expire_at - 1).expire_at == expire_at
    with pytest.raises(nt.ExpiredError) as e:
        nt.verify(token, SK, now=expire_at)
    assert (e.value.expire_at, e.value.now, e.value.leeway, e.value.field) == (expire_at, expire_at, 0, "expireAt")
    assert nt.verify(token, SK, now=expire_at + 499, leeway=timedelta(milliseconds=500))
    with pytest.raises(nt.ExpiredError):
        nt.verify(token, SK, now=expire_at + 500, leeway=500)
    now = datetime.fromtimestamp((expire_at - 1) / 1000, tz=timezone.utc)
    assert nt.verify(token, SK, now=now, kind=nt.TokenKind.ROOM)
    with pytest.raises(nt.WrongKindError) as e:
        nt.verify(token, SK, now=T0, kind="task")
    assert (e.value.expected, e.value.found) == (nt.TokenKind.TASK, nt.TokenKind.ROOM)
    with pytest.raises(nt.LifetimeError) as e:
        nt.verify(token, SK, now=T0, max_lifetime=999)
    assert (e.value.expire_at, e.value.max_lifetime) == (expire_at, 999)
    assert nt.verify(token, SK, now=T0, max_lifetime=timedelta(seconds=1))
    forever = nt.mint("sdk", AK, SK, "admin", 0, issued_at=T0, nonce="n")
    with pytest.raises(nt.LifetimeError) as e:
        nt.verify(forever, SK, max_lifetime=10**9)
    assert e.value.expire_at is None


def test_verify_with_ak_requires_that_access_key():
    token = nt.mint("sdk", AK, SK, "admin", 0, issued_at=T0, nonce="n")
    assert nt.verify(token, SK, ak=AK)
    with pytest.raises(nt.UnknownAccessKeyError) as e:
        nt.verify(token, SK, ak="another")
    assert e.value.field == "ak"


def test_key_pair_mints_and_verifies_like_the_functions():
    pair = nt.KeyPair(AK, SK)
    assert pair.access_key == AK
    assert pair.mint("sdk", "admin", 0, issued_at=T0, nonce=NONCE) == SDK_ADMIN_T0
    assert pair.verify(SDK_ADMIN_T0, kind="sdk") == nt.decode(SDK_ADMIN_T0)
    with pytest.raises(nt.UnknownAccessKeyError):
        nt.KeyPair("other", SK).verify(SDK_ADMIN_T0)
    with pytest.raises(nt.SignatureError):
        nt.KeyPair(AK, "other").verify(SDK_ADMIN_T0)


def test_secret_as_str_bytes_or_bytearray_is_the_same_key():
    for sk in (SK, SK.encode(), bytearray(SK.encode())):
        assert nt.mint("sdk", AK, sk, "admin", 0, issued_at=T0, nonce=NONCE) == SDK_ADMIN_T0
        assert nt.verify(SDK_ADMIN_T0, sk)


def test_enums_read_and_print_as_documented():
    assert nt.TokenKind.ROOM == "room" and str(nt.TokenKind.ROOM) == "room"
    assert nt.TokenKind.ROOM.prefix == "NETLESSROOM_"
    assert nt.TokenKind("Task") is nt.TokenKind.TASK
    assert nt.Role.WRITER == 1 and str(nt.Role.WRITER) == "writer" and f"{nt.Role.WRITER}" == "writer"
    assert nt.Role("writer") is nt.Role("1") is nt.Role(1) is nt.Role.WRITER
    assert (nt.Role.READER.digit, nt.Role.READER.word) == ("2", "reader")
    with pytest.raises(ValueError):
        nt.Role("owner")


def test_errors_pickle_with_their_field_and_details():
    with pytest.raises(nt.ExpiredError) as e:
        nt.verify(nt.mint("sdk", AK, SK, "admin", 1, issued_at=T0, nonce="n"), SK, now=T0 + 1)
    again = pickle.loads(pickle.dumps(e.value))
    assert type(again) is nt.ExpiredError
    assert (again.field, again.message, again.expire_at, str(again)) == (
        "expireAt", e.value.message, T0 + 1, str(e.value),
    )


def test_a_role_given_as_the_lifespan_is_refused_not_minted():
    # mint takes the role before the lifespan; the official calls take the lifespan first. A Role
    # is an int, so the swapped call would otherwise mint a reader token that lives 2 ms.
    with pytest.raises(TypeError, match=r"^lifespan: .*, not Role \(role and lifespan may be swapped"):
        nt.mint("room", "ak", "sk", "admin", nt.Role.READER, "u")
    pair = nt.KeyPair("ak", "sk")
    with pytest.raises(TypeError, match=r"^lifespan: .*, not Role \(role and lifespan may be swapped"):
        pair.mint("room", "admin", nt.Role.WRITER, "u")
    with pytest.raises(TypeError, match=r"^leeway: expected int \(ms\) or datetime.timedelta, not Role$"):
        nt.verify(pair.mint("sdk", "admin", 0), "sk", leeway=nt.Role.ADMIN)


def test_a_bare_int_role_is_refused_saying_role_and_lifespan_may_be_swapped():
    # The newcomer's call, role and lifespan swapped: were 0 a role, this would mint an admin
    # token that expires in 1 ms.
    with pytest.raises(TypeError) as e:
        nt.mint("sdk", AK, SK, 0, 1)
    assert str(e.value).startswith("role: expected str or Role, not int (role and lifespan may be swapped")
    with pytest.raises(TypeError, match="^role: expected str or Role, not int .*may be swapped"):
        nt.KeyPair(AK, SK).mint("sdk", 2, 60_000)
    # A Role is an int too, and is taken by identity; a bool is no role either.
    assert nt.mint("sdk", AK, SK, nt.Role.ADMIN, 0, issued_at=T0, nonce=NONCE) == SDK_ADMIN_T0
    with pytest.raises(TypeError, match="^role: expected str or Role, not bool$"):
        nt.mint("sdk", AK, SK, False, 0)


def test_comparing_with_another_type_defers_to_python():
    decoded = nt.decode(nt.mint("sdk", "ak", "sk", "admin", 0, issued_at=0, nonce="n"))
    assert decoded.__eq__("a string") is NotImplemented
    assert decoded != "a string" and not (decoded == 1)
