//! Laws over arbitrary inputs: decoding a minted token gives back its inputs, verification
//! accepts it and rejects any single-byte change to the token or the key, extra fields (of
//! any name, array indices included) round-trip and are signed, and decoding any string never
//! panics and refuses it naming a field.
// Not built for WebAssembly: it needs what WASI lacks (processes, proptest's forking, dhat).
#![cfg(not(target_family = "wasm"))]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use netless_token::{
    decode, KeyPair, Role, SecretKey, TokenKind, TokenRequest, Validation, VerifiedToken,
    VerifyError, MAX_EXPIRE_AT,
};
use proptest::prelude::*;

/// Any Unicode text, control characters, quotes, `%`, `&`, `=` and astral planes included.
fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            any::<char>(),
            prop::sample::select(vec![
                '"', '\\', '%', '&', '=', '+', ' ', '\n', '\u{2028}', 'é', '😀'
            ]),
        ],
        1..max,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

#[derive(Debug, Clone)]
struct Input {
    kind: TokenKind,
    role: Role,
    lifespan: u64,
    issued_at: u64,
    ak: String,
    sk: String,
    nonce: String,
    uuid: String,
}

impl Input {
    fn request(&self) -> TokenRequest<'_> {
        let uuid = self.kind.needs_uuid().then_some(self.uuid.as_str());
        TokenRequest::new(self.kind, self.lifespan, self.role, uuid)
    }

    fn pair(&self) -> KeyPair {
        KeyPair::new(&self.ak, &SecretKey::new(self.sk.as_str()).unwrap()).unwrap()
    }

    fn mint(&self) -> String {
        self.pair()
            .mint(&self.request(), self.issued_at, &self.nonce)
            .unwrap()
    }
}

/// Verifies `token` with secret key `sk` without knowing its access key: with a pair made for
/// the access key the token claims, so that only the signature decides.
fn verify_with(
    sk: &SecretKey,
    token: &str,
    policy: &Validation,
) -> Result<VerifiedToken, VerifyError> {
    KeyPair::new(decode(token)?.ak(), sk)
        .expect("a decoded access key is never empty")
        .verify(token, policy)
}

/// Names of extra fields: identifiers, array indices, numeric-looking non-indices, any text;
/// never one of the format's names in any case.
fn extra_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z_][a-zA-Z0-9_]{0,8}",
        (0u32..=u32::MAX - 1).prop_map(|n| n.to_string()),
        prop::sample::select(vec!["0", "2", "10", "4294967294", "01", "4294967295", "-1"])
            .prop_map(str::to_owned),
        text(6),
    ]
    .prop_filter("not a format field", |name| {
        !["ak", "expireat", "nonce", "role", "sig", "uuid"].contains(&name.to_lowercase().as_str())
    })
}

fn input() -> impl Strategy<Value = Input> {
    (
        prop::sample::select(TokenKind::ALL.to_vec()),
        prop::sample::select(Role::ALL.to_vec()),
        prop_oneof![Just(0u64), 1u64..=1_000_000_000_000],
        0u64..=MAX_EXPIRE_AT - 1_000_000_000_000,
        text(40),
        text(40),
        text(40),
        text(40),
    )
        .prop_map(
            |(kind, role, lifespan, issued_at, ak, sk, nonce, uuid)| Input {
                kind,
                role,
                lifespan,
                issued_at,
                ak,
                sk,
                nonce,
                uuid,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decoding_a_minted_token_gives_back_its_inputs(x in input()) {
        let token = x.mint();
        let d = decode(&token).unwrap();
        prop_assert_eq!(d.kind(), x.kind);
        prop_assert_eq!(d.ak(), x.ak.as_str());
        prop_assert_eq!(d.nonce(), x.nonce.as_str());
        prop_assert_eq!(d.role(), x.role);
        prop_assert_eq!(d.uuid(), x.kind.needs_uuid().then_some(x.uuid.as_str()));
        prop_assert_eq!(d.expire_at(), (x.lifespan > 0).then(|| x.issued_at + x.lifespan));
        prop_assert_eq!(d.extra().len(), 0);
        prop_assert_eq!(d.to_token(), token);
    }

    #[test]
    fn verify_accepts_a_minted_token_until_it_expires(x in input()) {
        let token = x.mint();
        let pair = x.pair();
        let at = |now| Validation::new().at(now).expect_kind(x.kind);
        prop_assert!(pair.verify(&token, &at(x.issued_at)).is_ok());
        match x.lifespan {
            0 => prop_assert!(pair.verify(&token, &at(u64::MAX)).is_ok()),
            lifespan => {
                let expire_at = x.issued_at + lifespan;
                prop_assert!(pair.verify(&token, &at(expire_at - 1)).is_ok());
                let is_expired = matches!(
                    pair.verify(&token, &at(expire_at)),
                    Err(VerifyError::Expired { .. })
                );
                prop_assert!(is_expired);
            }
        }
    }

    #[test]
    fn changing_any_byte_of_the_token_makes_verify_fail(
        x in input(),
        position in any::<prop::sample::Index>(),
        replacement in prop::sample::select(
            (0x21u8..0x7f).map(char::from).collect::<Vec<_>>()
        ),
    ) {
        let token = x.mint();
        let i = position.index(token.len());
        prop_assume!(token.as_bytes()[i] != replacement as u8);
        // The token is ASCII, so replacing one byte keeps it a string.
        let mut tampered = token.clone().into_bytes();
        tampered[i] = replacement as u8;
        let tampered = String::from_utf8(tampered).unwrap();
        let sk = SecretKey::new(x.sk.as_str()).unwrap();
        // Whatever access key the tampered token claims, the signature must refuse it.
        let result = verify_with(&sk, &tampered, &Validation::new().at(x.issued_at));
        prop_assert!(result.is_err(), "byte {} -> {:?} still verifies", i, replacement);
    }

    #[test]
    fn changing_any_byte_of_the_secret_key_makes_verify_fail(
        x in input(),
        position in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let token = x.mint();
        let mut sk = x.sk.clone().into_bytes();
        let i = position.index(sk.len());
        sk[i] ^= flip;
        let sk = SecretKey::from_bytes(sk).unwrap();
        let pair = KeyPair::new(&x.ak, &sk).unwrap();
        let result = pair.verify(&token, &Validation::new().at(x.issued_at));
        prop_assert_eq!(result.unwrap_err(), VerifyError::SignatureMismatch);
    }

    #[test]
    fn extra_fields_round_trip_and_are_signed(
        x in input(),
        extra in prop::collection::btree_map(extra_name(), text(12), 1..5),
    ) {
        // A BTreeMap: unique names, in byte order, which is not the canonical order.
        let extra: Vec<(&str, &str)> = extra.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let pair = x.pair();
        let token = pair.mint(&x.request().with_extra(&extra), x.issued_at, &x.nonce).unwrap();
        let d = pair.verify(&token, &Validation::new().at(x.issued_at)).unwrap();
        let mut got: Vec<(&str, &str)> = d.extra().collect();
        got.sort_unstable();
        prop_assert_eq!(got, extra.clone());
        prop_assert_eq!(d.to_token(), token.clone());
        // fields() lists what the query carries, in the query's order, sig left out (the query
        // parsed by serde_urlencoded, independently of the crate).
        let payload = token.split_once('_').unwrap().1;
        let query = String::from_utf8(URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        let query: Vec<(String, String)> = serde_urlencoded::from_str(&query).unwrap();
        let query: Vec<(&str, &str)> = query
            .iter()
            .filter(|(n, _)| n != "sig")
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        prop_assert_eq!(d.fields(), query);
        // The same fields without the extras give another signature.
        let plain = pair.mint(&x.request(), x.issued_at, &x.nonce).unwrap();
        let plain = decode(&plain).unwrap();
        prop_assert_ne!(plain.sig(), d.sig());
    }

    #[test]
    fn minting_into_a_buffer_gives_the_same_token(x in input(), junk in "[a-z]{0,8}") {
        let token = x.mint();
        let pair = x.pair();
        let mut out = junk.clone();
        pair.mint_into(&x.request(), x.issued_at, &x.nonce, &mut out).unwrap();
        prop_assert_eq!(out, format!("{junk}{token}"));
    }

    #[test]
    fn decoding_any_string_round_trips_or_names_the_field_at_fault(s in any::<String>()) {
        assert_decodes_or_names_a_field(&s)?;
    }

    #[test]
    fn decoding_any_payload_round_trips_or_names_the_field_at_fault(
        prefix in prop::sample::select(vec!["NETLESSSDK_", "NETLESSROOM_", "NETLESSTASK_"]),
        query in prop::collection::vec(
            prop_oneof![
                prop::sample::select(vec![
                    "ak=", "nonce=", "role=", "sig=", "uuid=", "expireAt=", "&", "=", "%", "%2",
                    "%20", "%C3%A9", "%FF", "+", "0", "1", "2", "x",
                    "&sig=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                ]).prop_map(str::to_owned),
                any::<String>(),
            ],
            0..16,
        ).prop_map(|parts| parts.concat()),
    ) {
        let token = format!("{prefix}{}", URL_SAFE_NO_PAD.encode(&query));
        assert_decodes_or_names_a_field(&token)?;
    }

    #[test]
    fn decoding_any_bytes_after_a_prefix_round_trips_or_names_the_field_at_fault(
        bytes in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let token = format!("NETLESSROOM_{}", URL_SAFE_NO_PAD.encode(&bytes));
        assert_decodes_or_names_a_field(&token)?;
    }
}

/// `decode(token)` does not panic; what it accepts re-encodes to a token that decodes equal,
/// and what it refuses it refuses with a one-line message that starts with the field named.
fn assert_decodes_or_names_a_field(token: &str) -> Result<(), TestCaseError> {
    match decode(token) {
        Ok(d) => {
            let again = decode(&d.to_token());
            prop_assert_eq!(again.as_ref(), Ok(&d));
        }
        Err(e) => {
            let message = e.to_string();
            prop_assert!(!e.field().is_empty(), "{:?}", e);
            prop_assert!(
                message.starts_with(&format!("{}: ", e.field())),
                "{}",
                message
            );
            prop_assert_eq!(message.lines().count(), 1, "{}", message);
        }
    }
    Ok(())
}
