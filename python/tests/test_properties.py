"""Properties over generated inputs: decode(mint(x)) gives x back, and verify accepts a token
but refuses it after any changed byte."""

import string

import netless_token as nt
from hypothesis import given, settings
from hypothesis import strategies as st

KNOWN = {"ak", "nonce", "role", "expireat", "sig", "uuid"}

# Any text without surrogates (which UTF-8 cannot carry), including quotes, controls and
# non-ASCII: what the official Python file signs wrongly.
text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=24)
# Not the format's names, nor `__proto__`, which JavaScript drops, so no exact token carries it.
extra_names = text.filter(lambda name: name.lower() not in KNOWN and name != "__proto__")


@st.composite
def requests(draw):
    kind = draw(st.sampled_from(list(nt.TokenKind)))
    return {
        "kind": kind,
        "ak": draw(text),
        "sk": draw(st.one_of(text, st.binary(min_size=1, max_size=40))),
        "role": draw(st.sampled_from(list(nt.Role))),
        "lifespan": draw(st.integers(0, 10**12)),
        "uuid": None if kind is nt.TokenKind.SDK else draw(text),
        "issued_at": draw(st.integers(0, 2**52)),
        "nonce": draw(text),
        "extra": draw(st.dictionaries(extra_names, text, max_size=3)),
    }


def mint(r):
    return nt.mint(
        r["kind"], r["ak"], r["sk"], r["role"], r["lifespan"], r["uuid"],
        issued_at=r["issued_at"], nonce=r["nonce"], extra=r["extra"],
    )


@settings(max_examples=300, deadline=None)
@given(requests())
def test_decode_of_mint_gives_back_every_input(r):
    token = mint(r)
    decoded = nt.decode(token)
    assert decoded.kind is r["kind"]
    assert decoded.ak == r["ak"]
    assert decoded.nonce == r["nonce"]
    assert decoded.role is r["role"]
    assert decoded.uuid == r["uuid"]
    assert decoded.expire_at == (r["issued_at"] + r["lifespan"] if r["lifespan"] else None)
    assert dict(decoded.extra) == r["extra"]
    assert decoded.to_token() == token
    assert nt.verify(token, r["sk"], now=r["issued_at"]) == decoded


@settings(max_examples=200, deadline=None)
@given(requests(), st.data())
def test_verify_refuses_the_token_after_any_changed_byte(r, data):
    token = mint(r)
    raw = token.encode()
    at = data.draw(st.integers(0, len(raw) - 1), label="at")
    new = data.draw(st.sampled_from(string.ascii_letters + string.digits + "-_=+/. %"), label="byte")
    altered = raw[:at] + new.encode() + raw[at + 1 :]
    if altered == raw:
        return
    try:
        nt.verify(altered.decode(), r["sk"], now=r["issued_at"], kind=r["kind"])
    except nt.VerifyError:
        pass
    else:
        raise AssertionError(f"accepted {altered!r}, changed at byte {at}")


@settings(max_examples=100, deadline=None)
@given(requests(), st.binary(min_size=1, max_size=40))
def test_verify_refuses_another_secret(r, other):
    sk = r["sk"].encode() if isinstance(r["sk"], str) else r["sk"]
    if other == sk:
        return
    token = mint(r)
    try:
        nt.verify(token, other, now=r["issued_at"])
    except nt.SignatureError:
        pass
    else:
        raise AssertionError("accepted with another secret")
