//! The order of a token's field names, as the reference generator writes them.
//!
//! The official JavaScript generator sorts the names, then builds an object from them, and
//! `JSON.stringify` (like the query builder) lists an object's keys in ECMAScript property
//! order: first the names that are array indices, in numeric order, then all other names in
//! the order they were inserted, which is the sort's order: UTF-16 code units. So:
//!
//! 1. Array-index names (the canonical decimal text of an integer from 0 to 2^32 - 2: `"2"`,
//!    `"10"`, but not `"01"` or `"4294967295"`), by value.
//! 2. Every other name, in UTF-16 code-unit order. This is byte order except where a character
//!    above U+FFFF meets one in U+E000..U+FFFF.
//!
//! The format's own names (`ak`, `expireAt`, `nonce`, `role`, `sig`, `uuid`) are ASCII and not
//! array indices, so without extra fields this is plain byte order. See `docs/format.md`.

use core::cmp::Ordering;

/// The largest array index: 2^32 - 2.
const MAX_ARRAY_INDEX: u32 = u32::MAX - 1;

/// The value of `name` when it is an array index: canonical decimal digits (no sign, no
/// leading zero but `0` itself) of at most 2^32 - 2.
fn array_index(name: &str) -> Option<u32> {
    let bytes = name.as_bytes();
    let canonical = matches!(bytes, [b'0'] | [b'1'..=b'9', ..])
        && bytes.len() <= 10
        && bytes.iter().all(u8::is_ascii_digit);
    if !canonical {
        return None;
    }
    name.parse::<u64>()
        .ok()
        .filter(|&n| n <= u64::from(MAX_ARRAY_INDEX))
        .map(|n| n as u32)
}

/// Compares two field names in the reference generator's order.
pub(crate) fn cmp_names(a: &str, b: &str) -> Ordering {
    match (array_index(a), array_index(b)) {
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) if a.is_ascii() && b.is_ascii() => a.cmp(b),
        (None, None) => a.encode_utf16().cmp(b.encode_utf16()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&'static str]) -> Vec<&'static str> {
        let mut names = names.to_vec();
        names.sort_by(|a, b| cmp_names(a, b));
        names
    }

    #[test]
    fn array_indices_are_canonical_decimals_up_to_two_to_the_32_minus_2() {
        for (name, index) in [
            ("0", 0),
            ("2", 2),
            ("10", 10),
            ("4294967294", 4_294_967_294),
        ] {
            assert_eq!(array_index(name), Some(index), "{name:?}");
        }
        for name in [
            "",
            "01",
            "00",
            "-1",
            "+1",
            "1.0",
            " 1",
            "1 ",
            "4294967295",
            "99999999999",
            "a",
            "١",
        ] {
            assert_eq!(array_index(name), None, "{name:?}");
        }
    }

    // Expected orders are what node prints for
    // `Object.keys(Object.fromEntries(names.sort().map(k => [k, 1])))`.
    #[test]
    fn indices_come_first_by_value_then_the_rest_in_utf16_order() {
        assert_eq!(
            sorted(&["10", "2", "01", "B", "ak"]),
            ["2", "10", "01", "B", "ak"]
        );
        assert_eq!(
            sorted(&["4294967295", "4294967294", "0", "ak", "Z"]),
            ["0", "4294967294", "4294967295", "Z", "ak"]
        );
        // In UTF-8, U+FF61 (EF BD A1) sorts before U+1F600 (F0 9F 98 80); in UTF-16 it sorts
        // after it, whose first unit is the surrogate D83D.
        assert_eq!(
            sorted(&["\u{1F600}", "\u{FF61}"]),
            ["\u{1F600}", "\u{FF61}"]
        );
        assert_eq!(cmp_names("\u{FF61}", "\u{1F600}"), Ordering::Greater);
        assert_eq!(cmp_names("é", "ak"), Ordering::Greater);
    }
}
