"""The public vectors: the JavaScript reference, the official ports, the documentation tokens."""

import netless_token as nt
import pytest


def test_the_vector_files_hold_what_they_should(official_js, official_ports):
    # Guards against an empty or truncated file making every parametrized test vanish.
    assert len(official_js) == 64
    assert len(official_ports) == 220
    assert sum(row["service_accepts"] for row in official_ports) > 0
    assert sum(not row["service_accepts"] for row in official_ports) > 0


def test_mint_is_byte_identical_to_the_javascript_reference(js_vector):
    v = js_vector
    token = nt.mint(
        v["kind"], v["ak"], v["sk"], v["role"], v["lifespan"], v.get("uuid"),
        issued_at=v["now"], nonce=v["nonce"],
    )
    assert token == v["token"]


def test_a_key_pair_mints_the_same_as_the_reference(js_vector):
    v = js_vector
    pair = nt.KeyPair(v["ak"], v["sk"].encode())
    token = pair.mint(v["kind"], nt.Role(int(v["role"])), v["lifespan"], v.get("uuid"), issued_at=v["now"], nonce=v["nonce"])
    assert token == v["token"]


def test_reference_tokens_decode_to_their_inputs_and_verify(js_vector):
    v = js_vector
    decoded = nt.decode(v["token"])
    assert (decoded.kind, decoded.ak, decoded.nonce, decoded.role.digit, decoded.uuid) == (
        v["kind"], v["ak"], v["nonce"], v["role"], v.get("uuid"),
    )
    assert decoded.expire_at == (v["now"] + v["lifespan"] if v["lifespan"] else None)
    assert decoded.to_token() == v["token"]
    verified = nt.verify(v["token"], v["sk"], now=v["now"], kind=v["kind"], ak=v["ak"])
    assert isinstance(verified, nt.VerifiedToken)
    assert verified == decoded


def test_official_port_tokens_verify_exactly_when_the_service_accepts_them(port_vector):
    v = port_vector
    if v["service_accepts"]:
        verified = nt.verify(v["token"], v["sk"], now=v["verify_at"])
        assert verified.kind == v["kind"]
        assert verified.ak == v["ak"]
        for name, value in (v.get("fields") or {}).items():
            actual = verified.role.digit if name == "role" else getattr(verified, name)
            assert actual == value, name
    else:
        with pytest.raises(nt.VerifyError):
            nt.verify(v["token"], v["sk"], now=v["verify_at"])


DOC_TOKENS = [
    (
        "NETLESSSDK_YWs9MzRsNzBoQ2dINFkxZ1BCYWpqbU5Ick9qM3FGeDFMWE5GY3R0Jm5vbmNlPTE1OTA3MzkyOTgwOTUwMCZyb2xlPTAmc2lnPTY0NGY5ODQwMDMzZDA1MjcxNWE2NDc0MWQyMTExNzFhMGY0NWQ2YzZhZjZlZTc2YTA4YjNkNjFmZDc1NTJkMDM",
        "sdk",
        "ak=34l70hCgH4Y1gPBajjmNHrOj3qFx1LXNFctt&nonce=159073929809500&role=0&sig=644f9840033d052715a64741d211171a0f45d6c6af6ee76a08b3d61fd7552d03",
    ),
    (
        "NETLESSROOM_YWs9eGQxSE5UY2h3REozaG44M1V1SmZ4OE15cWxmOTlkSU9WRUVzJm5vbmNlPTE1OTA3Mzk3NjUxNjQwMCZyb2xlPTAmc2lnPWNmZWUwMmEzYWE5NjY5NzVmNGJhZTQwMjJiODcxYzg4MzQ3MTIwMWRmYzI2MThjMjRhOTg3ODFmMTVkNmNkYWQmdXVpZD0xNzFmZWYxMDdlMDAxMWVhYTU1ZTZkOWE0ZTA3OGRhNA",
        "room",
        "ak=xd1HNTchwDJ3hn83UuJfx8Myqlf99dIOVEEs&nonce=159073976516400&role=0&sig=cfee02a3aa966975f4bae4022b871c883471201dfc2618c24a98781f15d6cdad&uuid=171fef107e0011eaa55e6d9a4e078da4",
    ),
    (
        "NETLESSTASK_YWs9eGQxSE5UY2h3REozaG44M1V1SmZ4OE15cWxmOTlkSU9WRUVzJm5vbmNlPTE1OTA3NDAyMjg4ODEwMCZyb2xlPTAmc2lnPTUyMTY0ZjRlZmE5NzViYWJlNjgyOWU0ZDE5MGUzNDhhZjBiYzY5N2Q3NWM3ZThmNjFjNzExZTJjMjYwODI3ZjImdXVpZD0wMGQ0ZTAxNWRmNGM0ODg0ODBjM2Y4YTI0ZDA1M2ViMQ",
        "task",
        "ak=xd1HNTchwDJ3hn83UuJfx8Myqlf99dIOVEEs&nonce=159074022888100&role=0&sig=52164f4efa975babe6829e4d190e348af0bc697d75c7e8f61c711e2c260827f2&uuid=00d4e015df4c488480c3f8a24d053eb1",
    ),
]


@pytest.mark.parametrize("token,kind,query", DOC_TOKENS, ids=["sdk", "room", "task"])
def test_documentation_tokens_decode_to_their_fields_and_re_encode_identically(token, kind, query):
    decoded = nt.decode(token)
    fields = dict(pair.split("=", 1) for pair in query.split("&"))
    assert decoded.kind is nt.TokenKind(kind)
    assert decoded.ak == fields["ak"]
    assert decoded.nonce == fields["nonce"]
    assert decoded.role is nt.Role.ADMIN
    assert decoded.sig == fields["sig"]
    assert decoded.uuid == fields.get("uuid")
    assert decoded.expire_at is None
    assert dict(decoded.extra) == {}
    assert decoded.to_token() == token
    # The secrets are unknown: any guess is a signature mismatch, not a crash.
    with pytest.raises(nt.SignatureError):
        nt.verify(token, "not the secret")
