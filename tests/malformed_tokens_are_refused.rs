//! Every class of malformed token, in one table: decoding refuses it with the expected
//! `DecodeError`, naming the field or part at fault in a one-line message, and verification
//! refuses it the same way before touching a key. Tokens are forged by hand with the `base64`
//! crate, independently of the crate under test. The README's "Bad input" table lists the
//! classes.

mod common;

use std::collections::BTreeSet;

use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use base64::Engine as _;
use common::{assert_names_field, forge, forge_bytes, pair, AK, NONCE, ROOM, SIG};
use netless_token::{
    decode, DecodeError, Keyring, Role, TokenRequest, Validation, VerifyError, MAX_TOKEN_LEN,
};

const SDK: &str = "NETLESSSDK_";
const ROOM_PREFIX: &str = "NETLESSROOM_";
const TASK: &str = "NETLESSTASK_";

/// A well-formed SDK query with every field but `sig` kept short.
fn sdk_query(role: &str) -> String {
    format!("ak=a&nonce=n&role={role}&sig={SIG}")
}

/// A well-formed Room query.
fn room_query(role: &str, expire_at: &str, sig: &str) -> String {
    format!("ak={AK}&expireAt={expire_at}&nonce={NONCE}&role={role}&sig={sig}&uuid={ROOM}")
}

/// What a row expects: exactly this error, or an error this predicate accepts.
enum Expect {
    Is(DecodeError),
    Like(fn(&DecodeError) -> bool),
}

struct Row {
    class: String,
    token: String,
    expect: Expect,
    field: String,
}

fn row(class: impl Into<String>, token: String, expect: Expect, field: &str) -> Row {
    Row {
        class: class.into(),
        token,
        expect,
        field: field.to_owned(),
    }
}

/// The table: one row per input class.
fn rows() -> Vec<Row> {
    use DecodeError as E;
    use Expect::{Is, Like};

    let good = pair()
        .mint(&TokenRequest::room(3_600_000, Role::Reader, ROOM), 0, NONCE)
        .unwrap();
    let payload = good[ROOM_PREFIX.len()..].to_owned();
    let middle = payload.len() / 2;
    let inside = |s: &str| {
        format!(
            "{ROOM_PREFIX}{}{s}{}",
            &payload[..middle],
            &payload[middle..]
        )
    };
    let room = |query: String| forge(ROOM_PREFIX, &query);
    let sdk = |query: String| forge(SDK, &query);
    let good_room = room_query("2", "1", SIG);

    let mut rows = vec![
        // ---- length, checked before anything else ----
        row(
            "over the limit, not even a prefix (length is checked first)",
            "x".repeat(MAX_TOKEN_LEN + 1),
            Is(E::TooLong {
                len: MAX_TOKEN_LEN + 1,
                max: MAX_TOKEN_LEN,
            }),
            "token",
        ),
        row(
            "one byte over the limit",
            format!(
                "{ROOM_PREFIX}{}",
                "A".repeat(MAX_TOKEN_LEN + 1 - ROOM_PREFIX.len())
            ),
            Is(E::TooLong {
                len: MAX_TOKEN_LEN + 1,
                max: MAX_TOKEN_LEN,
            }),
            "token",
        ),
        row(
            "1 MiB token",
            format!("{ROOM_PREFIX}{}", "A".repeat(1 << 20)),
            Is(E::TooLong {
                len: (1 << 20) + ROOM_PREFIX.len(),
                max: MAX_TOKEN_LEN,
            }),
            "token",
        ),
        // ---- prefix ----
        row("empty input", String::new(), Is(E::UnknownPrefix), "prefix"),
        row(
            "no prefix at all",
            "YWs9".into(),
            Is(E::UnknownPrefix),
            "prefix",
        ),
        row(
            "NETLESS_ without a kind",
            "NETLESS_abc".into(),
            Is(E::UnknownPrefix),
            "prefix",
        ),
        row(
            "unknown kind",
            format!("NETLESSUSER_{payload}"),
            Is(E::UnknownPrefix),
            "prefix",
        ),
        row(
            "lowercase prefix",
            format!("netlessroom_{payload}"),
            Is(E::UnknownPrefix),
            "prefix",
        ),
        row(
            "prefix without its underscore",
            format!("NETLESSROOM{payload}"),
            Is(E::UnknownPrefix),
            "prefix",
        ),
        row(
            "prefix without its underscore, alone",
            "NETLESSSDK".into(),
            Is(E::UnknownPrefix),
            "prefix",
        ),
        row(
            "a token in double quotes, as a JSON string holds it",
            format!("\"{good}\""),
            Is(E::Quoted),
            "prefix",
        ),
        row(
            "a token in single quotes, as copied from source code",
            format!("'{good}'"),
            Is(E::Quoted),
            "prefix",
        ),
        row(
            "an opening quote alone is no quoted token",
            format!("\"{good}"),
            Is(E::UnknownPrefix),
            "prefix",
        ),
        row(
            "prefix alone",
            ROOM_PREFIX.into(),
            Is(E::EmptyPayload),
            "payload",
        ),
        // ---- base64url, strict ----
        row(
            "= padding",
            forge(ROOM_PREFIX, "ak=a") + "=",
            Like(|e| matches!(e, E::Base64 { reason, .. } if reason.contains("padding"))),
            "payload",
        ),
        row(
            "padded by a padding engine",
            format!("{SDK}{}", URL_SAFE.encode(sdk_query("0") + "&x=y")),
            Like(|e| matches!(e, E::Base64 { .. })),
            "payload",
        ),
        row(
            "standard alphabet, padded",
            format!("{ROOM_PREFIX}{}", STANDARD.encode(good_room.clone() + "x")),
            Like(|e| matches!(e, E::Base64 { .. })),
            "payload",
        ),
        row(
            "standard alphabet: + and /",
            "NETLESSROOM_YW+/YWJj".into(),
            Like(|e| matches!(e, E::Base64 { reason, .. } if reason.contains("standard"))),
            "payload",
        ),
        row(
            "standard alphabet only",
            format!("{SDK}{}", STANDARD.encode([0xfb, 0xff, 0xfe])),
            Like(|e| matches!(e, E::Base64 { .. })),
            "payload",
        ),
        row(
            "space inside",
            inside(" "),
            Like(|e| matches!(e, E::Base64 { reason, .. } if reason.contains("whitespace"))),
            "payload",
        ),
        row(
            "newline inside",
            inside("\n"),
            Like(|e| matches!(e, E::Base64 { reason, .. } if reason.contains("whitespace"))),
            "payload",
        ),
        row(
            "tab inside",
            inside("\t"),
            Like(|e| matches!(e, E::Base64 { .. })),
            "payload",
        ),
        row(
            "trailing space",
            format!("{good} "),
            Like(|e| matches!(e, E::Base64 { .. })),
            "payload",
        ),
        row(
            "trailing newline",
            format!("{good}\n"),
            Like(|e| matches!(e, E::Base64 { .. })),
            "payload",
        ),
        row(
            "CRLF at the end",
            format!("{good}\r\n"),
            Like(|e| matches!(e, E::Base64 { .. })),
            "payload",
        ),
        row(
            "truncated by one character",
            good[..good.len() - 1].to_owned(),
            Like(|e| matches!(e, E::Base64 { .. })),
            "payload",
        ),
        row(
            "one character: no whole byte",
            format!("{SDK}Y"),
            Like(|e| matches!(e, E::Base64 { .. })),
            "payload",
        ),
        row(
            "stray bits after the last byte",
            format!("{SDK}YR"),
            Like(|e| matches!(e, E::Base64 { .. })),
            "payload",
        ),
        // ---- UTF-8 ----
        row(
            "a byte that begins no UTF-8 character",
            forge_bytes(SDK, b"ak=\xff&nonce=n&role=0"),
            Is(E::NotUtf8 { offset: 3 }),
            "payload",
        ),
        row(
            "a broken two-byte sequence",
            forge_bytes(ROOM_PREFIX, b"ak=\xc3\x28&nonce=n&role=0&sig=x&uuid=u"),
            Is(E::NotUtf8 { offset: 3 }),
            "payload",
        ),
        // ---- pairs ----
        row(
            "&& in the middle",
            sdk(format!("ak=a&&nonce=n&role=0&sig={SIG}")),
            Like(|e| matches!(e, E::MalformedPair { index: 2, .. })),
            "query",
        ),
        row(
            "leading &",
            sdk(format!("&ak=a&nonce=n&role=0&sig={SIG}")),
            Like(|e| matches!(e, E::MalformedPair { index: 1, .. })),
            "query",
        ),
        row(
            "trailing &",
            sdk(format!("ak=a&nonce=n&role=0&sig={SIG}&")),
            Like(|e| matches!(e, E::MalformedPair { index: 5, .. })),
            "query",
        ),
        row(
            "pair without =",
            sdk(format!("ak=a&nonce&role=0&sig={SIG}")),
            Like(|e| matches!(e, E::MalformedPair { index: 2, .. })),
            "query",
        ),
        row(
            "pair without = at the end",
            room(good_room.clone() + "&flag"),
            Like(|e| matches!(e, E::MalformedPair { index: 7, .. })),
            "query",
        ),
        row(
            "empty name",
            sdk(format!("ak=a&=n&role=0&sig={SIG}")),
            Like(|e| matches!(e, E::MalformedPair { index: 2, .. })),
            "query",
        ),
    ];

    // ---- percent-encoding: the row names the field at fault ----
    let is_bad_encoding: fn(&DecodeError) -> bool = |e| matches!(e, E::BadEncoding { .. });
    for (class, token, field) in [
        ("% then &", sdk("ak=a%&nonce=n&role=0".into()), "ak"),
        ("%4 then &", sdk("ak=a&nonce=%4&role=0".into()), "nonce"),
        ("% at the very end", room(good_room.clone() + "%"), "uuid"),
        ("%4 at the very end", room(good_room.clone() + "%4"), "uuid"),
        (
            "escape of a byte that is not UTF-8 (%FF)",
            sdk("ak=a&nonce=%FF&role=0".into()),
            "nonce",
        ),
        (
            "escapes of a broken sequence (%C3%28)",
            room(good_room.replace(NONCE, "%C3%28")),
            "nonce",
        ),
        (
            "escaped lone continuation byte (%80)",
            room(good_room.replace(NONCE, "%80")),
            "nonce",
        ),
        (
            "lowercase escapes (%e4%b8%ad)",
            sdk("ak=a&nonce=%e4%b8%ad&role=0".into()),
            "nonce",
        ),
        ("raw space", sdk("ak=a b&nonce=n&role=0".into()), "ak"),
        (
            "raw second = in a pair",
            sdk("ak=a=b&nonce=n&role=0".into()),
            "ak",
        ),
        (
            "raw non-ASCII character",
            sdk("ak=a&nonce=é&role=0".into()),
            "nonce",
        ),
        (
            "bad escape in a name",
            sdk("ak=a&nonce=n&role=0&x%ZZ=1".into()),
            "query",
        ),
    ] {
        rows.push(row(class, token, Like(is_bad_encoding), field));
    }

    // ---- fields present, non-empty, once, in the right case ----
    for (prefix, query, field) in [
        (SDK, format!("nonce=n&role=0&sig={SIG}"), "ak"),
        (SDK, format!("ak=a&role=0&sig={SIG}"), "nonce"),
        (SDK, format!("ak=a&nonce=n&sig={SIG}"), "role"),
        (SDK, "ak=a&nonce=n&role=0".to_owned(), "sig"),
        (ROOM_PREFIX, sdk_query("0"), "uuid"),
        (TASK, sdk_query("0"), "uuid"),
    ] {
        let class = format!("{prefix} token without {field}");
        rows.push(row(
            class,
            forge(prefix, &query),
            Is(E::MissingField(field)),
            field,
        ));
    }
    for (query, field) in [
        (format!("ak=&nonce=n&role=0&sig={SIG}&uuid=u"), "ak"),
        (format!("ak=a&nonce=&role=0&sig={SIG}&uuid=u"), "nonce"),
        (format!("ak=a&nonce=n&role=0&sig={SIG}&uuid="), "uuid"),
    ] {
        rows.push(row(
            format!("empty {field}"),
            room(query),
            Is(E::EmptyField(field)),
            field,
        ));
    }
    for (class, token, field) in [
        (
            "ak twice",
            sdk(format!("ak=a&ak=a&nonce=n&role=0&sig={SIG}")),
            "ak",
        ),
        (
            "role twice, equal values",
            room(good_room.clone() + "&role=2"),
            "role",
        ),
        (
            "role twice, different values",
            room(good_room.clone() + "&role=0"),
            "role",
        ),
        (
            "sig twice",
            sdk(format!("{}&sig={SIG}", sdk_query("0"))),
            "sig",
        ),
        (
            "uuid twice",
            room(good_room.clone() + "&uuid=other"),
            "uuid",
        ),
        (
            "extra field twice, apart",
            sdk(sdk_query("0") + "&x=1&y=2&x=1"),
            "x",
        ),
    ] {
        rows.push(row(
            class,
            token,
            Is(E::DuplicateField(field.into())),
            field,
        ));
    }
    for (found, expected) in [
        ("Role", "role"),
        ("EXPIREAT", "expireAt"),
        ("Sig", "sig"),
        ("AK", "ak"),
    ] {
        rows.push(row(
            format!("{expected} repeated as {found}"),
            room(format!("{good_room}&{found}=0")),
            Is(E::CaseVariant {
                found: found.into(),
                expected,
            }),
            found,
        ));
    }
    rows.push(row(
        "uuid on an SDK token",
        sdk(sdk_query("0") + "&uuid=u"),
        Is(E::UnexpectedField("uuid")),
        "uuid",
    ));

    // ---- values in canonical form ----
    // (as written in the query, as decoded)
    for (role, decoded) in [
        ("3", "3"),
        ("00", "00"),
        ("%200", " 0"),
        ("+0", " 0"),
        ("0%20", "0 "),
        ("-1", "-1"),
        ("admin", "admin"),
        ("", ""),
    ] {
        rows.push(row(
            format!("role {role:?}"),
            sdk(sdk_query(role)),
            // Shown quoted and escaped.
            Is(E::InvalidRole(format!("{decoded:?}"))),
            "role",
        ));
    }
    let forty_nines = "9".repeat(40);
    for (value, decoded) in [
        ("", ""),
        ("-1", "-1"),
        ("%2B1", "+1"),
        ("+1700000000000", " 1700000000000"),
        ("1e3", "1e3"),
        ("1.0", "1.0"),
        ("0x10", "0x10"),
        ("01", "01"),
        ("18446744073709551616", "18446744073709551616"),
        (
            forty_nines.as_str(),
            "9999999999999999999999999999999999999999",
        ),
    ] {
        rows.push(row(
            format!("expireAt {value:?}"),
            room(room_query("2", value, SIG)),
            Is(E::InvalidExpireAt(format!("{decoded:?}"))),
            "expireAt",
        ));
    }
    for (class, sig) in [
        ("uppercase hex sig", SIG.to_uppercase()),
        ("sig one digit short", SIG[..63].to_owned()),
        ("sig one digit long", format!("{SIG}0")),
        ("sig of 128 digits", SIG.repeat(2)),
        ("empty sig", String::new()),
        ("sig with a non-hex letter", SIG.replace('a', "g")),
    ] {
        let len = sig.len();
        rows.push(row(
            class,
            room(room_query("2", "1", &sig)),
            Is(E::InvalidSig { len }),
            "sig",
        ));
    }
    rows
}

/// The variant's name, from its `Debug` form.
fn variant(e: &DecodeError) -> String {
    let debug = format!("{e:?}");
    let end = debug.find([' ', '(', '{']).unwrap_or(debug.len());
    debug[..end].to_owned()
}

#[test]
fn every_malformed_input_class_is_refused_naming_its_field() {
    let mut keyring = Keyring::new();
    keyring.insert(pair());
    let mut seen = BTreeSet::new();
    for Row {
        class,
        token,
        expect,
        field,
    } in rows()
    {
        let e = match decode(&token) {
            Ok(d) => panic!("{class}: decoded to {d:?}"),
            Err(e) => e,
        };
        match &expect {
            Expect::Is(expected) => assert_eq!(&e, expected, "{class}"),
            Expect::Like(accepts) => assert!(accepts(&e), "{class}: unexpected {e:?}"),
        }
        assert_names_field(&e, &field);
        if let DecodeError::MissingField(_) = e {
            assert!(e.to_string().contains("missing"), "{class}: {e}");
        }
        // Verification refuses the same way, before touching the key.
        assert_eq!(
            keyring.verify(&token, &Validation::new()),
            Err(VerifyError::Decode(e.clone())),
            "{class}"
        );
        seen.insert(variant(&e));
    }
    let all: BTreeSet<String> = [
        "TooLong",
        "UnknownPrefix",
        "Quoted",
        "EmptyPayload",
        "Base64",
        "NotUtf8",
        "MalformedPair",
        "BadEncoding",
        "MissingField",
        "DuplicateField",
        "CaseVariant",
        "EmptyField",
        "UnexpectedField",
        "InvalidRole",
        "InvalidExpireAt",
        "InvalidSig",
    ]
    .map(String::from)
    .into();
    assert_eq!(seen, all, "the table covers every DecodeError variant");
}

#[test]
fn the_limits_themselves_are_accepted() {
    // Exactly MAX_TOKEN_LEN bytes is not too long (it fails later, for another reason).
    let at_limit = format!(
        "{ROOM_PREFIX}{}",
        "A".repeat(MAX_TOKEN_LEN - ROOM_PREFIX.len())
    );
    assert_eq!(at_limit.len(), MAX_TOKEN_LEN);
    let e = decode(&at_limit).unwrap_err();
    assert!(!matches!(e, DecodeError::TooLong { .. }), "{e:?}");
    // The largest u64 is a valid expireAt (other generators may write times past 2^53).
    let query = format!("ak=a&expireAt=18446744073709551615&nonce=n&role=0&sig={SIG}");
    assert_eq!(
        decode(&forge(SDK, &query)).unwrap().expire_at(),
        Some(u64::MAX)
    );
}

/// The byte offset a base64 error reports is where the offending character stands in the whole
/// token (found here by searching the token), and each reason is the one for its class.
#[test]
fn base64_errors_name_the_offset_of_the_offending_character_in_the_token() {
    let good = pair()
        .mint(&TokenRequest::room(3_600_000, Role::Reader, ROOM), 0, NONCE)
        .unwrap();
    let middle = ROOM_PREFIX.len() + (good.len() - ROOM_PREFIX.len()) / 2;
    for (bad, reason) in [
        (" ", "holds whitespace"),
        ("\n", "holds whitespace"),
        ("=", "has '=' padding, which tokens never carry"),
        (
            "+",
            "uses the standard alphabet ('+' or '/'), not base64url ('-' and '_')",
        ),
        ("*", "holds a character outside the base64url alphabet"),
    ] {
        let token = format!("{}{bad}{}", &good[..middle], &good[middle..]);
        let at = token.find(bad).unwrap();
        assert_eq!(
            decode(&token).unwrap_err(),
            DecodeError::Base64 { offset: at, reason },
            "{bad:?}"
        );
    }
    // Cut short: one symbol past a whole group is no length base64 can have; the offset is
    // the token's end. Two symbols past one whose last carries stray bits: the last symbol.
    let payload_len = good.len() - ROOM_PREFIX.len();
    let cut = ROOM_PREFIX.len() + payload_len - payload_len % 4 + 1;
    assert_eq!(
        decode(&good[..cut]).unwrap_err(),
        DecodeError::Base64 {
            offset: cut,
            reason: "has a length no base64 text can have (truncated?)"
        }
    );
    assert_eq!(
        decode(&format!("{SDK}YR")).unwrap_err(),
        DecodeError::Base64 {
            offset: SDK.len() + 1,
            reason: "ends in a symbol with stray bits (truncated or altered)"
        }
    );
}

#[test]
fn malformed_pairs_are_told_apart_by_index_and_reason() {
    let good = room_query("2", "1", SIG);
    for (query, index, reason) in [
        (
            format!("{good}&"),
            7,
            "is empty (two '&' in a row, or one at an end)",
        ),
        (
            format!("&{good}"),
            1,
            "is empty (two '&' in a row, or one at an end)",
        ),
        (
            format!("ak=a&&{good}"),
            2,
            "is empty (two '&' in a row, or one at an end)",
        ),
        (format!("=x&{good}"), 1, "has an empty name"),
        (format!("{good}&=x"), 7, "has an empty name"),
        (format!("{good}&x"), 7, "has no '='"),
    ] {
        let e = decode(&forge(ROOM_PREFIX, &query)).unwrap_err();
        assert_eq!(e, DecodeError::MalformedPair { index, reason }, "{query}");
        assert_eq!(e.to_string(), format!("query: pair {index} {reason}"));
    }
}

/// Bad percent-encoding is told apart by its reason, in words: a `%` without two uppercase hex
/// digits, a raw byte that must be escaped (ASCII, shown; non-ASCII, described), and escapes
/// that decode to bytes that are not UTF-8. The error names the field whose value is at fault,
/// or `query` and the pair's index for a name. The messages are written out here by hand.
#[test]
fn bad_percent_encoding_is_told_apart_by_field_and_reason() {
    let must_escape = "which must be percent-encoded";
    for (class, query, field, reason) in [
        (
            "a '%' followed by one hex digit",
            "ak=a&nonce=%4&role=0".to_owned(),
            "nonce",
            "the value has a '%' not followed by two uppercase hex digits".to_owned(),
        ),
        (
            "a raw space",
            "ak=a b&nonce=n&role=0".to_owned(),
            "ak",
            format!("the value holds the raw character ' ', {must_escape}"),
        ),
        (
            "a raw second '=' in a pair",
            "ak=a&nonce=n=m&role=0".to_owned(),
            "nonce",
            format!("the value holds the raw character '=', {must_escape}"),
        ),
        (
            "a raw non-ASCII character",
            "ak=a&nonce=\u{e9}&role=0".to_owned(),
            "nonce",
            format!("the value holds a raw non-ASCII character, {must_escape}"),
        ),
        (
            "an escaped byte that is not UTF-8",
            "ak=a&nonce=%FF&role=0".to_owned(),
            "nonce",
            "the value percent-decodes to bytes that are not UTF-8".to_owned(),
        ),
        (
            "a bad escape in the name of the fifth pair",
            format!("{}&x%ZZ=1", sdk_query("0")),
            "query",
            "the name of pair 5 has a '%' not followed by two uppercase hex digits".to_owned(),
        ),
        (
            "a raw space in the name of the fifth pair",
            format!("{}&x y=1", sdk_query("0")),
            "query",
            format!("the name of pair 5 holds the raw character ' ', {must_escape}"),
        ),
    ] {
        let e = decode(&forge(SDK, &query)).unwrap_err();
        assert_eq!(
            e,
            DecodeError::BadEncoding {
                field: field.to_owned(),
                reason: reason.clone(),
            },
            "{class}: {query}"
        );
        assert_eq!(e.to_string(), format!("{field}: {reason}"), "{class}");
    }
}
