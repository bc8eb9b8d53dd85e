//! The official JavaScript generator's tokens (`tests/data/official-js.jsonl`) reproduced byte
//! for byte, decoded back to their inputs and verified; and the service's documentation tokens
//! decoded to the fields `docs/format.md` gives and re-encoded identically.

mod common;

use common::{doc_tokens, official_vectors, query_of};
use netless_token::{decode, TokenKind, Validation};

#[test]
fn every_official_vector_is_reproduced_byte_for_byte() {
    let mut failures = Vec::new();
    for v in official_vectors() {
        match v.pair().mint(&v.request(), v.now, &v.nonce) {
            Ok(ours) if ours == v.token => {}
            Ok(ours) => failures.push(format!(
                "line {} ({:?} {:?}):\n  official: {}\n  ours:     {}",
                v.line,
                v.kind,
                v.ak,
                query_of(&v.token),
                query_of(&ours)
            )),
            Err(e) => failures.push(format!("line {}: mint failed: {e}", v.line)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} vectors differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_official_vector_decodes_to_its_inputs_and_verifies() {
    for v in official_vectors() {
        let line = v.line;
        let d = decode(&v.token).unwrap_or_else(|e| panic!("line {line}: {e}"));
        assert_eq!(d.kind(), v.kind, "line {line}");
        assert_eq!(d.ak(), v.ak, "line {line}");
        assert_eq!(d.nonce(), v.nonce, "line {line}");
        assert_eq!(d.role(), v.role, "line {line}");
        assert_eq!(d.uuid(), v.uuid.as_deref(), "line {line}");
        let expected_expiry = (v.lifespan > 0).then(|| v.now + v.lifespan);
        assert_eq!(d.expire_at(), expected_expiry, "line {line}");
        assert_eq!(d.extra().len(), 0, "line {line}");
        assert_eq!(d.to_token(), v.token, "line {line}: re-encoding");

        let policy = Validation::new().at(v.now).expect_kind(v.kind);
        let verified = v
            .pair()
            .verify(&v.token, &policy)
            .unwrap_or_else(|e| panic!("line {line}: {e}"));
        assert_eq!(verified.into_decoded(), d, "line {line}");
    }
}

#[test]
fn decoded_fields_list_every_signed_field_as_the_official_query_carries_it() {
    for v in official_vectors() {
        let d = decode(&v.token).unwrap();
        // The official query, parsed by serde_urlencoded, without sig.
        let query: Vec<(String, String)> = serde_urlencoded::from_str(&query_of(&v.token)).unwrap();
        let expected: Vec<(&str, &str)> = query
            .iter()
            .filter(|(name, _)| name != "sig")
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(d.fields(), expected, "line {}", v.line);
    }
}

#[test]
fn documentation_tokens_decode_to_the_spec_fields_and_re_encode_identically() {
    let docs = doc_tokens();
    let kinds: Vec<TokenKind> = docs.iter().map(|d| d.kind).collect();
    assert_eq!(kinds, [TokenKind::Sdk, TokenKind::Room, TokenKind::Task]);
    for doc in &docs {
        let (token, query, kind) = (&doc.token, &doc.query, doc.kind);
        let d = decode(token).unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(d.kind(), kind);
        // The spec's decoded query, field by field (parsed here by serde_urlencoded).
        let fields: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap();
        for (name, value) in &fields {
            let ours = match name.as_str() {
                "ak" => d.ak().to_owned(),
                "nonce" => d.nonce().to_owned(),
                "role" => d.role().as_digit().to_owned(),
                "sig" => d.sig_hex(),
                "uuid" => d.uuid().unwrap_or_default().to_owned(),
                other => panic!("unexpected field {other} in the spec's query"),
            };
            assert_eq!(&ours, value, "{kind} {name}");
        }
        assert_eq!(d.expire_at(), None, "{kind}: lifespan 0");
        assert_eq!(d.extra().len(), 0);
        assert_eq!(d.to_token(), *token, "{kind}: re-encoding");
        assert_eq!(query_of(token), *query, "{kind}: the spec's query");
    }
}
