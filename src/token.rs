//! A token's text from its parts: the kind's prefix, then the base64url of the query. Minting
//! and re-encoding a decoded token both end here.

use crate::codec::{self, base64};
use crate::fields::Fields;
use crate::kind::TokenKind;

/// The query of a usual token fits this stack buffer; a longer one is streamed.
pub(crate) const QUERY_BUF: usize = 512;

/// Appends `kind`'s prefix and the base64url of `query` to `out`, reserving the exact length
/// first; `None`, with `out` untouched, when that is longer than `limit` bytes.
pub(crate) fn push_token(
    kind: TokenKind,
    query: &[u8],
    limit: usize,
    out: &mut String,
) -> Option<()> {
    let len = kind.prefix().len() + base64::base64_len(query.len());
    if len > limit {
        return None;
    }
    out.reserve(len);
    out.push_str(kind.prefix());
    base64::put_base64(out, query);
    Some(())
}

/// Appends the token of `fields` with signature `sig` to `out`, reserving its exact length
/// first. `None`, with `out` untouched, when it would be longer than `limit` bytes.
pub(crate) fn encode(
    fields: &Fields<'_, '_>,
    kind: TokenKind,
    sig: &[u8; 32],
    limit: usize,
    out: &mut String,
) -> Option<()> {
    let sig = codec::hex::hex_lower(sig);
    let mut query = codec::StackBuf::<QUERY_BUF>::new();
    fields.write_query(&sig, &mut query);
    if let Some(query) = query.bytes() {
        return push_token(kind, query, limit, out);
    }
    let mut counter = codec::Counter(0);
    fields.write_query(&sig, &mut counter);
    let len = kind.prefix().len() + base64::base64_len(counter.0);
    if len > limit {
        return None;
    }
    out.reserve(len);
    out.push_str(kind.prefix());
    let mut sink = base64::Base64Sink::new(out);
    fields.write_query(&sig, &mut sink);
    sink.finish();
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::Role;

    #[test]
    fn short_and_streamed_queries_give_the_same_text_and_respect_the_limit() {
        use ::base64::engine::general_purpose::URL_SAFE_NO_PAD;
        use ::base64::Engine as _;
        // The second nonce escapes to more than the stack buffer holds, so it is streamed.
        let long = "é".repeat(200);
        for nonce in ["n", long.as_str()] {
            let fields = Fields {
                ak: "a",
                expire_at: None,
                nonce,
                role: Role::Reader,
                uuid: None,
                extra: &[],
            };
            let mut token = String::new();
            encode(&fields, TokenKind::Sdk, &[0xab; 32], usize::MAX, &mut token).unwrap();
            let mut query = Vec::new();
            fields.write_query(&codec::hex::hex_lower(&[0xab; 32]), &mut query);
            assert_eq!(
                token,
                format!("NETLESSSDK_{}", URL_SAFE_NO_PAD.encode(&query))
            );
            let mut out = String::from("kept");
            assert_eq!(
                encode(&fields, TokenKind::Sdk, &[0; 32], token.len() - 1, &mut out),
                None
            );
            assert_eq!(out, "kept");
        }
    }
}
