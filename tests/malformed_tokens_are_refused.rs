//! Every class of malformed token, in one data file that the Rust, Python and JavaScript tests
//! all read (`tests/data/malformed-tokens.jsonl`): decoding refuses each with the expected
//! `DecodeError`, naming the field or part at fault in a one-line message (the exact message
//! where the file gives one), and verification refuses it the same way before touching a key.
//! Then the offsets and reasons of base64 and pair errors, computed here from the input. The
//! README's "Bad input" table lists the classes.

mod common;

use std::collections::BTreeSet;

use common::{assert_names_field, forge, malformed_tokens, pair, AK, NONCE, ROOM, SIG};
use netless_token::{
    decode, DecodeError, Keyring, Role, TokenRequest, Validation, VerifyError, MAX_TOKEN_LEN,
};

const SDK: &str = "NETLESSSDK_";
const ROOM_PREFIX: &str = "NETLESSROOM_";

/// A well-formed SDK query with every field but `sig` kept short.
fn sdk_query(role: &str) -> String {
    format!("ak=a&nonce=n&role={role}&sig={SIG}")
}

/// A well-formed Room query.
fn room_query(role: &str, expire_at: &str, sig: &str) -> String {
    format!("ak={AK}&expireAt={expire_at}&nonce={NONCE}&role={role}&sig={sig}&uuid={ROOM}")
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
    for row in malformed_tokens() {
        let what = format!("line {}: {}", row.line, row.class);
        let e = match decode(&row.token) {
            Ok(d) => panic!("{what}: decoded to {d:?}"),
            Err(e) => e,
        };
        assert_eq!(variant(&e), row.error, "{what}: {e:?}");
        assert_names_field(&e, &row.field);
        if let Some(message) = &row.message {
            assert_eq!(&e.to_string(), message, "{what}");
        }
        if let Some(part) = &row.contains {
            assert!(e.to_string().contains(part.as_str()), "{what}: {e}");
        }
        // Verification refuses the same way, before touching the key.
        assert_eq!(
            keyring.verify(&row.token, &Validation::new()),
            Err(VerifyError::Decode(e.clone())),
            "{what}"
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
    assert_eq!(seen, all, "the data file covers every DecodeError variant");
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
