//! Extra fields follow the reference generator's order (docs/format.md, "Field order"):
//! array-index names first by value, then every other name in UTF-16 code-unit order, in the
//! signed JSON and in the query, when minting and when verifying. The expected values come from
//! node (`tests/data/extra-field-order.jsonl`, with the command that printed them; the Python
//! and JavaScript tests read the same file), not from this crate.

mod common;

use common::{extra_field_order, forge, pair, query_of, NONCE, T};
use netless_token::{decode, Role, TokenRequest, Validation};

#[test]
fn minting_puts_extra_fields_in_the_reference_order() {
    let v = extra_field_order();
    let extra: Vec<(&str, &str)> = v
        .extra
        .iter()
        .map(|(n, x)| (n.as_str(), x.as_str()))
        .collect();
    let request = v.vector.request().with_extra(&extra);
    let token = v
        .vector
        .pair()
        .mint(&request, v.vector.now, &v.vector.nonce)
        .unwrap();
    assert_eq!(query_of(&token), v.query);
    assert_eq!(token, v.vector.token);
    assert_eq!(decode(&token).unwrap().canonical_json(), v.json);
}

#[test]
fn decoded_fields_list_extra_fields_in_the_reference_order() {
    let d = decode(&extra_field_order().vector.token).unwrap();
    let names: Vec<&str> = d.fields().into_iter().map(|(name, _)| name).collect();
    // The keys of NODE_JSON, in order.
    assert_eq!(
        names,
        [
            "2",
            "10",
            "4294967294",
            "-1",
            "01",
            "4294967295",
            "ak",
            "expireAt",
            "nonce",
            "role",
            "uuid",
            "\u{1F600}",
            "\u{FF61}"
        ]
    );
    let extra: Vec<&str> = d.extra().map(|(name, _)| name).collect();
    assert_eq!(
        extra,
        [
            "2",
            "10",
            "4294967294",
            "-1",
            "01",
            "4294967295",
            "\u{1F600}",
            "\u{FF61}"
        ]
    );
}

#[test]
fn verifying_signs_over_the_reference_order_whatever_order_the_query_has() {
    let v = extra_field_order();
    let (node_token, node_query, node_json) = (&v.vector.token, &v.query, &v.json);
    let pair = v.vector.pair();
    let policy = Validation::new().at(T);
    assert!(pair.verify(node_token, &policy).is_ok());
    // The same pairs, sorted by bytes: the query order is not signed, so it still verifies, and
    // re-encoding gives node's token back.
    let mut pairs: Vec<&str> = node_query.split('&').collect();
    pairs.sort_unstable();
    let reordered = forge("NETLESSROOM_", &pairs.join("&"));
    assert_ne!(&reordered, node_token);
    let verified = pair.verify(&reordered, &policy).unwrap();
    assert_eq!(&verified.to_token(), node_token);
    assert_eq!(&verified.canonical_json(), node_json);
}

#[test]
fn the_format_documents_example_order_holds() {
    // docs/format.md: the keys ["10","2","01","B","ak"] come out as 2, 10, 01, B, ak.
    let extra = [("10", "x"), ("2", "x"), ("01", "x"), ("B", "x")];
    let request = TokenRequest::sdk(0, Role::Admin).with_extra(&extra);
    let token = pair().mint(&request, T, NONCE).unwrap();
    let query = query_of(&token);
    let names: Vec<&str> = query
        .split('&')
        .map(|pair| pair.split_once('=').unwrap().0)
        .collect();
    assert_eq!(names, ["2", "10", "01", "B", "ak", "nonce", "role", "sig"]);
}
