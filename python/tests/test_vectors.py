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


def test_documentation_tokens_decode_to_their_fields_and_re_encode_identically(doc_token):
    token, kind, query = doc_token["token"], doc_token["kind"], doc_token["query"]
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


def test_every_malformed_token_is_refused_naming_the_field_the_rust_tests_name(malformed):
    """tests/data/malformed-tokens.jsonl, the same file the Rust and JavaScript tests read."""
    with pytest.raises(nt.DecodeError) as refused:
        nt.decode(malformed["token"])
    e = refused.value
    assert e.field == malformed["field"]
    assert str(e).startswith(malformed["field"] + ": ")
    if "message" in malformed:
        assert str(e) == malformed["message"]
    if "contains" in malformed:
        assert malformed["contains"] in str(e)
    # verify refuses it the same way, before touching the key.
    with pytest.raises(nt.MalformedTokenError) as refused:
        nt.verify(malformed["token"], "any secret")
    assert (refused.value.field, str(refused.value)) == (e.field, str(e))


def test_extra_fields_come_out_in_the_reference_generators_order():
    """tests/data/extra-field-order.jsonl: what node's reference generator printed."""
    from conftest import _jsonl

    [v] = _jsonl("extra-field-order.jsonl")
    token = nt.mint(
        v["kind"], v["ak"], v["sk"], v["role"], v["lifespan"], v["uuid"],
        issued_at=v["issued_at"], nonce=v["nonce"], extra=dict(v["extra"]),
    )
    assert token == v["token"]
    decoded = nt.decode(token)
    assert decoded.canonical_json() == v["json"]
    assert [name for name, _ in decoded.fields()] == list(__import__("json").loads(v["json"]))
