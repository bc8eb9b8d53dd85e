//! Extra fields follow the reference generator's order (docs/format.md, "Field order"):
//! array-index names first by value, then every other name in UTF-16 code-unit order, in the
//! signed JSON and in the query, when minting and when verifying. The expected values come from
//! node (the commands are beside them), not from this crate.

mod common;

use common::{forge, pair, query_of, NONCE, ROOM, T};
use netless_token::{decode, Role, TokenRequest, Validation};

/// Extra fields given in byte order (the order this crate used to sign in).
static EXTRA: [(&str, &str); 8] = [
    ("-1", "d"),
    ("01", "c"),
    ("10", "a"),
    ("2", "b"),
    ("4294967294", "f"),
    ("4294967295", "e"),
    ("\u{FF61}", "h"),
    ("\u{1F600}", "g"),
];

// $ echo '{"kind":"room","ak":"BUxxxxxxrc","sk":"CxxxxxxxauY3","nonce":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","role":"1","expireAt":"1700003600000","uuid":"a7e0a4d0c1a011eabc5b5d4c8e0aca69","extra":[["10","a"],["2","b"],["01","c"],["-1","d"],["4294967295","e"],["4294967294","f"],["\ud83d\ude00","g"],["\uff61","h"]]}' | node tests/node/official.js
const NODE_JSON: &str = r#"{"2":"b","10":"a","4294967294":"f","-1":"d","01":"c","4294967295":"e","ak":"BUxxxxxxrc","expireAt":"1700003600000","nonce":"6ba7b810-9dad-11d1-80b4-00c04fd430c8","role":"1","uuid":"a7e0a4d0c1a011eabc5b5d4c8e0aca69","😀":"g","｡":"h"}"#;
const NODE_QUERY: &str = "2=b&10=a&4294967294=f&-1=d&01=c&4294967295=e&ak=BUxxxxxxrc&expireAt=1700003600000&nonce=6ba7b810-9dad-11d1-80b4-00c04fd430c8&role=1&sig=0b292cc8b85b39a225b4c75cfaa43e0cc7c47484a5c22cfdb4d8933da08cb57b&uuid=a7e0a4d0c1a011eabc5b5d4c8e0aca69&%F0%9F%98%80=g&%EF%BD%A1=h";
const NODE_TOKEN: &str = "NETLESSROOM_Mj1iJjEwPWEmNDI5NDk2NzI5ND1mJi0xPWQmMDE9YyY0Mjk0OTY3Mjk1PWUmYWs9QlV4eHh4eHhyYyZleHBpcmVBdD0xNzAwMDAzNjAwMDAwJm5vbmNlPTZiYTdiODEwLTlkYWQtMTFkMS04MGI0LTAwYzA0ZmQ0MzBjOCZyb2xlPTEmc2lnPTBiMjkyY2M4Yjg1YjM5YTIyNWI0Yzc1Y2ZhYTQzZTBjYzdjNDc0ODRhNWMyMmNmZGI0ZDg5MzNkYTA4Y2I1N2ImdXVpZD1hN2UwYTRkMGMxYTAxMWVhYmM1YjVkNGM4ZTBhY2E2OSYlRjAlOUYlOTglODA9ZyYlRUYlQkQlQTE9aA";

fn request() -> TokenRequest<'static> {
    TokenRequest::room(3_600_000, Role::Writer, ROOM).with_extra(&EXTRA)
}

#[test]
fn minting_puts_extra_fields_in_the_reference_order() {
    let token = pair().mint(&request(), T, NONCE).unwrap();
    assert_eq!(query_of(&token), NODE_QUERY);
    assert_eq!(token, NODE_TOKEN);
    assert_eq!(decode(&token).unwrap().canonical_json(), NODE_JSON);
}

#[test]
fn decoded_fields_list_extra_fields_in_the_reference_order() {
    let d = decode(NODE_TOKEN).unwrap();
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
    let pair = pair();
    let policy = Validation::new().at(T);
    assert!(pair.verify(NODE_TOKEN, &policy).is_ok());
    // The same pairs, sorted by bytes: the query order is not signed, so it still verifies, and
    // re-encoding gives node's token back.
    let mut pairs: Vec<&str> = NODE_QUERY.split('&').collect();
    pairs.sort_unstable();
    let reordered = forge("NETLESSROOM_", &pairs.join("&"));
    assert_ne!(reordered, NODE_TOKEN);
    let verified = pair.verify(&reordered, &policy).unwrap();
    assert_eq!(verified.to_token(), NODE_TOKEN);
    assert_eq!(verified.canonical_json(), NODE_JSON);
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
