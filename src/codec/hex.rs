//! Lowercase hex: the signature's 64 digits both ways, and the text of a UUID.

/// The lowercase hex digits.
pub(crate) const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";

/// The two lowercase hex digits of every byte.
const HEX_PAIRS: [[u8; 2]; 256] = {
    let mut table = [[0; 2]; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = [HEX_LOWER[b >> 4], HEX_LOWER[b & 0xF]];
        b += 1;
    }
    table
};

/// Lowercase hex of a 32-byte signature.
pub(crate) fn hex_lower(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    for (pair, &b) in out.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&HEX_PAIRS[b as usize]);
    }
    out
}

/// The 36-character lowercase text of a UUID: `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
pub(crate) fn uuid_text(bytes: &[u8; 16]) -> [u8; 36] {
    let mut out = [b'-'; 36];
    let mut at = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            at += 1;
        }
        out[at..at + 2].copy_from_slice(&HEX_PAIRS[b as usize]);
        at += 2;
    }
    out
}

/// The value of each lowercase hex digit; 0xFF for every other byte.
const LOWER_HEX_VALUE: [u8; 256] = {
    let mut table = [0xFF; 256];
    let mut i = 0;
    while i < 16 {
        table[HEX_LOWER[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Parses exactly 64 lowercase hex digits; anything else is `None`.
pub(crate) fn parse_sig(text: &[u8]) -> Option<[u8; 32]> {
    let text: &[u8; 64] = text.try_into().ok()?;
    let mut out = [0u8; 32];
    let mut bad = 0u8;
    for (byte, pair) in out.iter_mut().zip(text.chunks_exact(2)) {
        let hi = LOWER_HEX_VALUE[pair[0] as usize];
        let lo = LOWER_HEX_VALUE[pair[1] as usize];
        bad |= hi | lo;
        *byte = (hi << 4) | (lo & 0x0F);
    }
    (bad & 0xF0 == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_text_has_the_standard_layout() {
        let bytes: [u8; 16] = core::array::from_fn(|i| (i * 17) as u8);
        assert_eq!(&uuid_text(&bytes), b"00112233-4455-6677-8899-aabbccddeeff");
    }

    #[test]
    fn sig_must_be_64_lowercase_hex() {
        let good = "ab".repeat(32);
        assert_eq!(parse_sig(good.as_bytes()), Some([0xab; 32]));
        assert_eq!(hex_lower(&[0xab; 32]).as_slice(), good.as_bytes());
        let bytes: [u8; 32] = core::array::from_fn(|i| (i * 8 + 3) as u8);
        let expected: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex_lower(&bytes).as_slice(), expected.as_bytes());
        let all: String = (0..32u8).map(|i| format!("{:02x}", i * 8)).collect();
        let expected: Vec<u8> = (0..32u8).map(|i| i * 8).collect();
        assert_eq!(parse_sig(all.as_bytes()).unwrap().as_slice(), expected);
        assert_eq!(parse_sig(good.to_uppercase().as_bytes()), None);
        assert_eq!(parse_sig(&good.as_bytes()[..62]), None);
        assert_eq!(parse_sig(format!("{good}00").as_bytes()), None);
        for bad in [b'g', b'G', b'A', b' ', b'/', b':', b'`', 0xFF] {
            let mut text = good.clone().into_bytes();
            text[17] = bad;
            assert_eq!(parse_sig(&text), None, "{bad}");
        }
    }
}
