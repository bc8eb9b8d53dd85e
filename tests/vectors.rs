//! The official JavaScript generator's outputs, reproduced byte for byte, and the service's
//! documentation tokens decoded and re-encoded.

mod common;

use common::{official_vectors, query_of, shared_vectors, DOC_TOKENS, VECTORS};
use netless_token::{decode, mint, verify, KeyPair, SecretKey, TokenKind, Validation};

#[test]
fn every_official_vector_is_reproduced_byte_for_byte() {
    let mut failures = Vec::new();
    for v in official_vectors() {
        let sk = SecretKey::new(v.sk.as_str()).unwrap();
        match mint(&v.ak, &sk, &v.request(), v.now, &v.nonce) {
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
        let d = decode(&v.token).unwrap_or_else(|e| panic!("line {}: {e}", v.line));
        assert_eq!(d.kind(), v.kind, "line {}", v.line);
        assert_eq!(d.ak(), v.ak, "line {}", v.line);
        assert_eq!(d.nonce(), v.nonce, "line {}", v.line);
        assert_eq!(d.role(), v.role, "line {}", v.line);
        assert_eq!(d.uuid(), v.uuid.as_deref(), "line {}", v.line);
        let expected_expiry = (v.lifespan > 0).then(|| v.now + v.lifespan);
        assert_eq!(d.expire_at(), expected_expiry, "line {}", v.line);
        assert_eq!(d.to_token(), v.token, "line {}: re-encoding", v.line);

        let sk = SecretKey::new(v.sk.as_str()).unwrap();
        let at = Validation::new().at(v.now);
        verify(&v.token, &sk, &at).unwrap_or_else(|e| panic!("line {}: {e}", v.line));
        KeyPair::new(&v.ak, &sk)
            .unwrap()
            .verify(&v.token, &at.expect_kind(v.kind))
            .unwrap_or_else(|e| panic!("line {}: {e}", v.line));
    }
}

#[test]
fn documentation_tokens_decode_to_the_spec_fields_and_re_encode_identically() {
    let kinds = [TokenKind::Sdk, TokenKind::Room, TokenKind::Task];
    for ((token, query), kind) in DOC_TOKENS.iter().zip(kinds) {
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

#[test]
fn the_committed_vectors_are_the_shared_ones() {
    // CI has ../shared beside the clone; a copy that drifted from it must fail there.
    let Some(shared) = shared_vectors() else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "../shared/vectors/official-js.jsonl is missing under CI=true"
        );
        return;
    };
    let ours = std::fs::read(VECTORS).unwrap();
    assert!(
        ours == std::fs::read(shared).unwrap(),
        "tests/data/official-js.jsonl differs from ../shared"
    );
}
