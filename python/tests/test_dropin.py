"""The drop-in: the official Python file's calls, exactly as its README writes them."""

import inspect
import time

import netless_token
import pytest


def test_the_official_readme_calls_print_tokens_that_verify():
    from netless_token import sdk_token, room_token, task_token, ADMIN, WRITER, READER

    before = int(time.time() * 1000)
    sdk = sdk_token("netless", "x", 1000 * 60 * 10, role=ADMIN)
    room = room_token("netless", "x", 1000 * 60 * 10, role=READER, uuid="room uuid")
    task = task_token("netless", "x", 1000 * 60 * 10, role=WRITER, uuid="task uuid")
    after = int(time.time() * 1000)

    expected = [
        (sdk, netless_token.TokenKind.SDK, netless_token.Role.ADMIN, None),
        (room, netless_token.TokenKind.ROOM, netless_token.Role.READER, "room uuid"),
        (task, netless_token.TokenKind.TASK, netless_token.Role.WRITER, "task uuid"),
    ]
    for token, kind, role, uuid in expected:
        verified = netless_token.verify(token, "x", ak="netless", kind=kind)
        assert (verified.kind, verified.role, verified.uuid) == (kind, role, uuid)
        # Issued now: expireAt is now + 10 minutes.
        assert before + 600_000 <= verified.expire_at <= after + 600_000
        # A random UUID v4 nonce, as the Rust sdk_token draws it.
        assert len(verified.nonce) == 36 and verified.nonce[14] == "4"


def test_the_constants_are_the_official_strings():
    assert (netless_token.ADMIN, netless_token.WRITER, netless_token.READER) == ("0", "1", "2")


@pytest.mark.parametrize(
    "name,params",
    [
        ("sdk_token", ["access_key", "secret_access_key", "lifespan", "role"]),
        ("room_token", ["access_key", "secret_access_key", "lifespan", "role", "uuid"]),
        ("task_token", ["access_key", "secret_access_key", "lifespan", "role", "uuid"]),
    ],
)
def test_the_drop_in_has_the_official_names_order_and_keywords(name, params):
    fn = getattr(netless_token, name)
    assert list(inspect.signature(fn).parameters) == params
    # Every argument by keyword, as an app may call it.
    kwargs = dict(access_key="ak", secret_access_key="sk", lifespan=0, role=netless_token.READER)
    if "uuid" in params:
        kwargs["uuid"] = "u"
    token = fn(**kwargs)
    assert netless_token.verify(token, "sk").role is netless_token.Role.READER


def test_positional_calls_work_as_in_the_official_file():
    token = netless_token.room_token("ak", "sk", 60_000, "1", "room-1")
    decoded = netless_token.decode(token)
    assert (decoded.role, decoded.uuid) == (netless_token.Role.WRITER, "room-1")


def test_drop_in_tokens_differ_every_call():
    a = netless_token.sdk_token("ak", "sk", 0, "0")
    b = netless_token.sdk_token("ak", "sk", 0, "0")
    assert a != b
    assert netless_token.decode(a).nonce != netless_token.decode(b).nonce


def test_drop_in_refuses_what_the_service_would_reject():
    with pytest.raises(netless_token.MintError) as e:
        netless_token.room_token("ak", "sk", 0, "1", "")
    assert e.value.field == "uuid"
    with pytest.raises(netless_token.KeyPairError) as e:
        netless_token.sdk_token("ak", "", 0, "0")
    assert e.value.field == "sk"


def test_the_drop_in_takes_roles_as_mint_does_never_a_bare_int():
    # The official constants are the strings "0", "1" and "2" (an int there would be signed as a
    # JSON number); a word or a Role works too, and a bare int is refused as in mint.
    token = netless_token.room_token("ak", "sk", 0, netless_token.Role.READER, "u")
    assert netless_token.decode(token).role is netless_token.Role.READER
    token = netless_token.sdk_token("ak", "sk", 0, "writer")
    assert netless_token.decode(token).role is netless_token.Role.WRITER
    with pytest.raises(TypeError, match="^role: expected str or Role, not int .*may be swapped"):
        netless_token.sdk_token("ak", "sk", 600_000, 1)
    # Lifespan and role swapped: a role where the lifespan goes.
    with pytest.raises(TypeError, match=r"^lifespan: .*, not str \(role and lifespan may be swapped"):
        netless_token.sdk_token("ak", "sk", netless_token.ADMIN, 600_000)
    with pytest.raises(TypeError, match=r"^lifespan: .*, not Role \(role and lifespan may be swapped"):
        netless_token.task_token("ak", "sk", netless_token.Role.WRITER, 600_000, "u")
