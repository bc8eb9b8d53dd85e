//! Canonical decimal text of a `u64`, both ways.

/// Decimal text of `n` in a stack buffer: returns the buffer and where the digits start.
/// Two digits per step, from a table.
pub(crate) fn decimal(mut n: u64) -> ([u8; 20], usize) {
    const PAIRS: [[u8; 2]; 100] = {
        let mut table = [[0; 2]; 100];
        let mut i = 0;
        while i < 100 {
            table[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
            i += 1;
        }
        table
    };
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    while n >= 100 {
        i -= 2;
        buf[i..i + 2].copy_from_slice(&PAIRS[(n % 100) as usize]);
        n /= 100;
    }
    if n >= 10 {
        i -= 2;
        buf[i..i + 2].copy_from_slice(&PAIRS[n as usize]);
    } else {
        i -= 1;
        buf[i] = b'0' + n as u8;
    }
    (buf, i)
}

/// Parses a canonical decimal `u64`: ASCII digits only, no sign, no leading zero (but `0`
/// itself), no overflow. Canonical so that decoding then encoding gives the same text.
pub(crate) fn parse_decimal(bytes: &[u8]) -> Option<u64> {
    if bytes.is_empty() || (bytes.len() > 1 && bytes[0] == b'0') {
        return None;
    }
    bytes.iter().try_fold(0u64, |acc, &b| {
        if !b.is_ascii_digit() {
            return None;
        }
        acc.checked_mul(10)?.checked_add(u64::from(b - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_canonical() {
        let (buf, start) = decimal(0);
        assert_eq!(&buf[start..], b"0");
        let (buf, start) = decimal(u64::MAX);
        assert_eq!(&buf[start..], b"18446744073709551615");
        for n in [
            1,
            9,
            10,
            99,
            100,
            101,
            1_700_000_000_000,
            9_007_199_254_740_991,
        ] {
            let (buf, start) = decimal(n);
            assert_eq!(&buf[start..], n.to_string().as_bytes());
        }
        assert_eq!(parse_decimal(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_decimal(b"18446744073709551616"), None);
        for bad in ["", "01", "+1", "-1", " 1", "1 ", "1e3", "0x1"] {
            assert_eq!(parse_decimal(bad.as_bytes()), None, "{bad:?}");
        }
    }
}
