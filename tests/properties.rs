//! Laws over arbitrary inputs: decoding a minted token gives back its inputs, verification
//! accepts it and rejects any single-byte change to the token or the key, and decoding never
//! panics on any string.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use netless_token::{
    decode, mint, verify, KeyPair, Role, SecretKey, TokenKind, TokenRequest, Validation,
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
        TokenRequest::new(self.kind, self.role, self.lifespan, uuid)
    }

    fn mint(&self) -> String {
        let sk = SecretKey::new(self.sk.as_str()).unwrap();
        mint(&self.ak, &sk, &self.request(), self.issued_at, &self.nonce).unwrap()
    }
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
        let sk = SecretKey::new(x.sk.as_str()).unwrap();
        let at = |now| Validation::new().at(now).expect_kind(x.kind);
        prop_assert!(verify(&token, &sk, &at(x.issued_at)).is_ok());
        match x.lifespan {
            0 => prop_assert!(verify(&token, &sk, &at(u64::MAX)).is_ok()),
            lifespan => {
                let expire_at = x.issued_at + lifespan;
                prop_assert!(verify(&token, &sk, &at(expire_at - 1)).is_ok());
                let is_expired = matches!(
                    verify(&token, &sk, &at(expire_at)),
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
        let result = verify(&tampered, &sk, &Validation::new().at(x.issued_at));
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
        let result = verify(&token, &sk, &Validation::new().at(x.issued_at));
        prop_assert_eq!(result.unwrap_err(), VerifyError::SignatureMismatch);
    }

    #[test]
    fn extra_fields_round_trip_and_are_signed(
        x in input(),
        extra in prop::collection::btree_map("[a-zA-Z_][a-zA-Z0-9_]{0,8}", text(12), 1..4),
    ) {
        let extra: Vec<(&str, &str)> = extra
            .iter()
            .filter(|(name, _)| !["ak", "expireat", "nonce", "role", "sig", "uuid"]
                .contains(&name.to_ascii_lowercase().as_str()))
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        prop_assume!(!extra.is_empty());
        let sk = SecretKey::new(x.sk.as_str()).unwrap();
        let pair = KeyPair::new(&x.ak, &sk).unwrap();
        let token = pair.mint(&x.request().with_extra(&extra), x.issued_at, &x.nonce).unwrap();
        let d = pair.verify(&token, &Validation::new().at(x.issued_at)).unwrap();
        let mut got: Vec<(&str, &str)> = d.extra().collect();
        got.sort_unstable();
        prop_assert_eq!(got, extra.clone());
        prop_assert_eq!(d.to_token(), token.clone());
        // The same fields without the extras give another signature.
        let plain = pair.mint(&x.request(), x.issued_at, &x.nonce).unwrap();
        let plain = decode(&plain).unwrap();
        prop_assert_ne!(plain.sig(), d.sig());
    }

    #[test]
    fn minting_into_a_buffer_gives_the_same_token(x in input(), junk in "[a-z]{0,8}") {
        let token = x.mint();
        let sk = SecretKey::new(x.sk.as_str()).unwrap();
        let pair = KeyPair::new(&x.ak, &sk).unwrap();
        let mut out = junk.clone();
        pair.mint_into(&x.request(), x.issued_at, &x.nonce, &mut out).unwrap();
        prop_assert_eq!(out, format!("{junk}{token}"));
    }

    #[test]
    fn decode_never_panics_on_any_string(s in any::<String>()) {
        let _ = decode(&s);
    }

    #[test]
    fn decode_never_panics_on_any_payload_and_round_trips_what_it_accepts(
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
        if let Ok(d) = decode(&token) {
            let again = decode(&d.to_token()).unwrap();
            prop_assert_eq!(&again, &d);
        }
    }

    #[test]
    fn decode_never_panics_on_arbitrary_bytes_after_a_prefix(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let token = format!("NETLESSROOM_{}", URL_SAFE_NO_PAD.encode(&bytes));
        let _ = decode(&token);
    }
}
