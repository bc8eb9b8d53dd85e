"""audit: the library's findings from Python. Each expectation is worked out here from the
token's fields and the rules of docs/audit.md, not taken from an earlier run, and the Rust
tests (tests/audit.rs) hold the library to the same rules on the same vectors."""

import uuid
from datetime import datetime, timedelta, timezone

import netless_token as nt
import pytest
from conftest import doc_tokens
from hypothesis import given, settings, strategies as st

DAY = 86_400_000
HOUR = 3_600_000
MINUTE = 60_000
ISSUED = 1_704_067_200_000  # 2024-01-01T00:00:00Z
AK, SK, ROOM = "BUxxxxxxrc", "CxxxxxxxauY3", "a7e0a4d0c1a011eabc5b5d4c8e0aca69"

SDK_DOC = doc_tokens()[0]["token"]


def expected(decoded, now, max_lifetime=DAY):
    """The findings docs/audit.md gives a token whose nonce records no time, most severe first."""
    found = []
    if decoded.expire_at is None:
        if decoded.kind == nt.TokenKind.SDK:
            severity = nt.Severity.CRITICAL if decoded.role == nt.Role.ADMIN else nt.Severity.HIGH
            found.append((severity, "sdk-never-expires"))
        else:
            found.append((nt.Severity.MEDIUM, "never-expires"))
    elif now >= decoded.expire_at:
        found.append((nt.Severity.INFO, "expired"))
    elif decoded.expire_at - now > max_lifetime:
        found.append((nt.Severity.MEDIUM, "long-lived"))
    if decoded.kind == nt.TokenKind.ROOM and decoded.role == nt.Role.ADMIN:
        found.append((nt.Severity.LOW, "admin-room-token"))
    return sorted(found, key=lambda f: -f[0])


def codes(findings):
    return [(f.severity, f.code) for f in findings]


def v1(ms):
    """A UUID v1 recording `ms`, built with Python's uuid module."""
    ticks = ms * 10_000 + 0x01B21DD213814000
    u = uuid.UUID(fields=(ticks & 0xFFFFFFFF, (ticks >> 32) & 0xFFFF, (ticks >> 48) | 0x1000, 0x80, 0, 0))
    assert u.version == 1 and u.time == ticks
    return str(u)


def room(lifespan, nonce, role="writer"):
    return nt.mint("room", AK, SK, role, lifespan, ROOM, issued_at=ISSUED, nonce=nonce)


def test_port_tokens_get_the_findings_the_rules_give(port_vector):
    v = port_vector
    try:
        decoded = nt.decode(v["token"])
    except nt.DecodeError:
        with pytest.raises(nt.DecodeError):
            nt.audit(v["token"], now=v["verify_at"])
        return
    findings = nt.audit(v["token"], now=v["verify_at"])
    assert all(isinstance(f, nt.Finding) for f in findings)
    assert codes(findings) == expected(decoded, v["verify_at"])
    assert all("\n" not in f.message and decoded.sig[:9] not in f.message for f in findings)


def test_reference_tokens_get_the_findings_the_rules_give(js_vector):
    # A UUID v1 from 1998 and a clock of 2023: no UTC offset makes that a round lifespan.
    decoded = nt.decode(js_vector["token"])
    findings = nt.audit(js_vector["token"], now=js_vector["now"])
    assert codes(findings) == expected(decoded, js_vector["now"])


def test_the_documentation_sdk_token_is_critical():
    [finding] = nt.audit(SDK_DOC)
    assert (finding.severity, finding.code) == (nt.Severity.CRITICAL, "sdk-never-expires")
    assert finding.severity >= nt.Severity.HIGH


@pytest.mark.parametrize("nonce_of", [v1, lambda ms: str(ms * 100 + 42)], ids=["uuid-v1", "15-digits"])
def test_an_expiry_from_local_time_is_read_against_the_nonce(nonce_of):
    # expireAt = ISSUED + 1 h; the nonce says the token was issued `implied` before that.
    def findings(implied):
        return codes(nt.audit(room(HOUR, nonce_of(ISSUED + HOUR - implied)), now=ISSUED))

    medium = [(nt.Severity.MEDIUM, "local-clock-expiry")]
    low = [(nt.Severity.LOW, "local-clock-expiry")]
    assert findings(9 * HOUR) == medium  # 1 h written at UTC+8
    assert findings(10 * MINUTE - 5 * HOUR) == low  # 10 min written at UTC-5
    assert findings(9 * HOUR + 16) == medium and findings(9 * HOUR + 17) == []  # the 16 ms tick
    assert findings(HOUR + 16) == [] and findings(HOUR) == []  # round as it is
    assert findings(-(17 * MINUTE + 3_456)) == [(nt.Severity.LOW, "expires-before-issue")]
    assert findings(7 * MINUTE + HOUR) == []  # 7 min is not round


def test_the_policy_takes_ms_timedelta_and_aware_datetimes():
    token = room(2 * HOUR, "n")
    at_issue = datetime.fromtimestamp(ISSUED / 1000, tz=timezone.utc)
    assert codes(nt.audit(token, now=ISSUED)) == []
    assert codes(nt.audit(token, now=at_issue, max_lifetime=timedelta(hours=1))) == [
        (nt.Severity.MEDIUM, "long-lived")
    ]
    assert codes(nt.audit(token, now=ISSUED + 2 * HOUR, max_lifetime=None)) == [
        (nt.Severity.INFO, "expired")
    ]


def test_bad_policy_values_and_tokens_are_refused_naming_the_argument():
    token = room(HOUR, "n")
    with pytest.raises(nt.TokenError) as e:
        nt.audit(token, now=datetime(2024, 1, 1))
    assert e.value.field == "now"
    with pytest.raises(nt.TokenError) as e:
        nt.audit(token, max_lifetime=-1)
    assert e.value.field == "max_lifetime"
    with pytest.raises(TypeError, match="max_lifetime"):
        nt.audit(token, max_lifetime="1h")
    with pytest.raises(TypeError):
        nt.audit(token, HOUR)  # keyword-only
    with pytest.raises(nt.DecodeError) as e:
        nt.audit(token + "==")
    assert e.value.field == "payload"


def test_findings_are_immutable_comparable_and_readable():
    [a] = nt.audit(SDK_DOC)
    [b] = nt.audit(SDK_DOC)
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    with pytest.raises(AttributeError):
        a.code = "other"
    assert repr(a).startswith("Finding(severity='critical', code='sdk-never-expires', message='")
    assert str(a).startswith("critical sdk-never-expires: ")
    assert a != "critical"


def test_severities_order_and_parse():
    assert list(nt.Severity) == sorted(nt.Severity)
    assert nt.Severity("HIGH") is nt.Severity.HIGH
    assert str(nt.Severity.MEDIUM) == "medium" and f"{nt.Severity.LOW:>4}" == " low"


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(["sdk", "room", "task"]),
    role=st.sampled_from(["admin", "writer", "reader"]),
    lifespan=st.one_of(st.just(0), st.integers(1, 400 * DAY)),
    later=st.integers(0, 400 * DAY),
)
def test_any_token_without_a_time_in_its_nonce_gets_what_the_rules_give(kind, role, lifespan, later):
    uuid_arg = None if kind == "sdk" else ROOM
    token = nt.mint(kind, AK, SK, role, lifespan, uuid_arg, issued_at=ISSUED, nonce=str(uuid.uuid4()))
    now = ISSUED + later
    assert codes(nt.audit(token, now=now)) == expected(nt.decode(token), now)
