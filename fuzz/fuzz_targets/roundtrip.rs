//! Structured arbitrary inputs through mint, then decode, then verify: they must agree. A
//! minted token decodes to exactly its inputs, verifies with its key until its expiry and not
//! after, and fails with any other key; a refused mint names a reason the inputs explain.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use netless_token::{
    decode, KeyPair, MintError, Role, SecretKey, TokenKind, TokenRequest, Validation, VerifyError,
    MAX_EXPIRE_AT,
};

#[derive(Arbitrary, Debug)]
struct Input {
    kind: u8,
    role: u8,
    lifespan: u64,
    issued_at: u64,
    ak: String,
    sk: Vec<u8>,
    nonce: String,
    uuid: Option<String>,
    extra: Vec<(String, String)>,
}

fuzz_target!(|x: Input| {
    let kind = TokenKind::ALL[usize::from(x.kind) % 3];
    let role = Role::ALL[usize::from(x.role) % 3];
    let Ok(sk) = SecretKey::from_bytes(x.sk.clone()) else {
        assert!(x.sk.is_empty());
        return;
    };
    let extra: Vec<(&str, &str)> = x
        .extra
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = TokenRequest::new(kind, x.lifespan, role, x.uuid.as_deref()).with_extra(&extra);
    let minted = KeyPair::new(&x.ak, &sk)
        .map_err(MintError::from)
        .and_then(|pair| pair.mint(&request, x.issued_at, &x.nonce));
    let token = match minted {
        Ok(token) => token,
        Err(e) => {
            let explained = match &e {
                MintError::Key(_) => x.ak.is_empty(),
                MintError::EmptyField("nonce") => x.nonce.is_empty(),
                MintError::EmptyField("uuid") => x.uuid.as_deref() == Some(""),
                MintError::MissingUuid(_) => kind.needs_uuid() && x.uuid.is_none(),
                MintError::UnexpectedUuid => !kind.needs_uuid() && x.uuid.is_some(),
                MintError::ExpireAtOverflow { .. } => x
                    .issued_at
                    .checked_add(x.lifespan)
                    .is_none_or(|at| at > MAX_EXPIRE_AT),
                MintError::BadExtraField { .. } => !x.extra.is_empty(),
                MintError::TooLong { .. } => true,
                _ => false,
            };
            assert!(explained, "unexplained refusal {e:?} for {x:?}");
            return;
        }
    };
    let d = decode(&token).expect("a minted token decodes");
    assert_eq!(
        (d.kind(), d.role(), d.ak(), d.nonce()),
        (kind, role, x.ak.as_str(), x.nonce.as_str())
    );
    assert_eq!(d.uuid(), x.uuid.as_deref());
    let expire_at = (x.lifespan > 0).then(|| x.issued_at + x.lifespan);
    assert_eq!(d.expire_at(), expire_at);
    let mut got: Vec<(&str, &str)> = d.extra().collect();
    let mut want = extra.clone();
    got.sort_unstable();
    want.sort_unstable();
    assert_eq!(got, want);
    assert_eq!(d.to_token(), token);

    let at = |now| Validation::new().at(now).expect_kind(kind);
    let pair = KeyPair::new(&x.ak, &sk).expect("the pair minted");
    let verify = |token: &str, pair: &KeyPair, policy: &Validation| pair.verify(token, policy);
    match expire_at {
        None => assert!(verify(&token, &pair, &at(u64::MAX)).is_ok()),
        Some(expire_at) => {
            assert!(verify(&token, &pair, &at(expire_at - 1)).is_ok());
            assert!(matches!(
                verify(&token, &pair, &at(expire_at)),
                Err(VerifyError::Expired { .. })
            ));
        }
    }
    // Another key: one bit of the first byte flipped. (Appending a NUL would not do: HMAC pads
    // keys shorter than its 64-byte block with zeros, so "k" and "k\0" are the same key.)
    let mut other = x.sk.clone();
    other[0] ^= 1;
    let other = KeyPair::new(&x.ak, &SecretKey::from_bytes(other).unwrap()).unwrap();
    assert_eq!(
        verify(&token, &other, &at(x.issued_at)).unwrap_err(),
        VerifyError::SignatureMismatch
    );
});
