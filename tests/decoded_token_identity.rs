//! A decoded token's identity (`==`), which the README tells users to key replay caches and
//! revocation lists on: two tokens that differ in any one signed thing, or in their signature,
//! compare unequal, both ways round; the same fields with the extra fields in another order
//! compare equal, as the signature does not see that order either. Tokens are forged by hand
//! with the `base64` crate, so each differs from the base in exactly one thing.

mod common;

use common::{forge, SIG};
use netless_token::{decode, DecodedToken};

const ROOM: &str = "NETLESSROOM_";

/// Another well-formed signature.
const SIG2: &str = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";

/// The fields of a Room query, as `name=value` pairs in the order given.
fn query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// The base token's pairs: every field the format defines and two extra fields.
fn base() -> Vec<(&'static str, &'static str)> {
    vec![
        ("a", "1"),
        ("ak", "ak-1"),
        ("b", "2"),
        ("expireAt", "1700000000000"),
        ("nonce", "nonce-1"),
        ("role", "1"),
        ("sig", SIG),
        ("uuid", "room-1"),
    ]
}

/// The base pairs with `name`'s value replaced.
fn with(name: &str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    let mut pairs = base();
    let at = pairs.iter().position(|(n, _)| *n == name).unwrap();
    pairs[at].1 = value;
    pairs
}

/// The base pairs without `name`.
fn without(name: &str) -> Vec<(&'static str, &'static str)> {
    base().into_iter().filter(|(n, _)| *n != name).collect()
}

/// The base pairs with one more.
fn plus(name: &'static str, value: &'static str) -> Vec<(&'static str, &'static str)> {
    let mut pairs = base();
    pairs.push((name, value));
    pairs
}

fn decoded(prefix: &str, pairs: &[(&str, &str)]) -> DecodedToken {
    let token = forge(prefix, &query(pairs));
    decode(&token).unwrap_or_else(|e| panic!("{pairs:?}: {e}"))
}

#[test]
fn tokens_that_differ_in_one_signed_thing_or_the_signature_are_unequal() {
    let base = decoded(ROOM, &base());
    assert_eq!(base, decoded(ROOM, &self::base()), "the same token");
    let renamed_extra = base_pairs_renamed("b", "c");
    let cases: Vec<(&str, DecodedToken)> = vec![
        (
            "kind (Task for Room)",
            decoded("NETLESSTASK_", &self::base()),
        ),
        ("role", decoded(ROOM, &with("role", "2"))),
        ("expireAt absent", decoded(ROOM, &without("expireAt"))),
        (
            "expireAt",
            decoded(ROOM, &with("expireAt", "1700000000001")),
        ),
        ("ak", decoded(ROOM, &with("ak", "ak-2"))),
        ("nonce", decoded(ROOM, &with("nonce", "nonce-2"))),
        ("uuid", decoded(ROOM, &with("uuid", "room-2"))),
        ("sig", decoded(ROOM, &with("sig", SIG2))),
        ("an extra field's value", decoded(ROOM, &with("b", "3"))),
        ("an extra field's name", decoded(ROOM, &renamed_extra)),
        ("one extra field more", decoded(ROOM, &plus("c", "3"))),
        ("one extra field fewer", decoded(ROOM, &without("b"))),
        ("no extra field", decoded(ROOM, &without_extras())),
        (
            "an extra field's value, the extras in another order",
            decoded(ROOM, &reordered(with("b", "3"))),
        ),
        (
            "the values of two extra fields swapped",
            decoded(ROOM, &swapped_extra_values()),
        ),
    ];
    for (what, other) in &cases {
        assert_ne!(&base, other, "differs in {what}");
        assert_ne!(other, &base, "differs in {what} (the other way round)");
    }
}

#[test]
fn the_same_fields_with_the_extras_in_another_order_are_equal() {
    let base = decoded(ROOM, &base());
    let reordered = decoded(ROOM, &reordered(self::base()));
    // The token texts differ, their extras come in another order...
    assert_ne!(
        forge(ROOM, &query(&self::base())),
        forge(ROOM, &query(&reordered_pairs()))
    );
    assert_ne!(
        base.extra().collect::<Vec<_>>(),
        reordered.extra().collect::<Vec<_>>()
    );
    // ...and they are the same token.
    assert_eq!(base, reordered);
    assert_eq!(reordered, base);
    assert_eq!(base.canonical_json(), reordered.canonical_json());
}

/// The base pairs with `from` renamed `to`.
fn base_pairs_renamed(from: &str, to: &'static str) -> Vec<(&'static str, &'static str)> {
    base()
        .into_iter()
        .map(|(n, v)| if n == from { (to, v) } else { (n, v) })
        .collect()
}

/// The base pairs without any extra field.
fn without_extras() -> Vec<(&'static str, &'static str)> {
    base()
        .into_iter()
        .filter(|(n, _)| !matches!(*n, "a" | "b"))
        .collect()
}

/// `pairs` with the two extra fields `a` and `b` moved, `b` first, to the end.
fn reordered(pairs: Vec<(&'static str, &'static str)>) -> Vec<(&'static str, &'static str)> {
    let (extras, mut rest): (Vec<_>, Vec<_>) = pairs
        .into_iter()
        .partition(|(n, _)| matches!(*n, "a" | "b"));
    rest.extend(extras.into_iter().rev());
    rest
}

/// The base pairs, reordered.
fn reordered_pairs() -> Vec<(&'static str, &'static str)> {
    reordered(base())
}

/// The base pairs with the values of `a` and `b` swapped.
fn swapped_extra_values() -> Vec<(&'static str, &'static str)> {
    base()
        .into_iter()
        .map(|(n, v)| match n {
            "a" => ("a", "2"),
            "b" => ("b", "1"),
            _ => (n, v),
        })
        .collect()
}
