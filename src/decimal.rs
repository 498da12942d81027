//! Unsigned decimal integers read from text (header values, dates, query
//! values), without core's `FromStr` for integers: one small loop instead of
//! its sign handling and error type in the wasm.

/// The value of `s` when it is 1 or more ASCII digits and fits a `u64`.
///
/// ```
/// use agoralia::decimal::parse_u64;
/// assert_eq!(parse_u64("60"), Some(60));
/// assert_eq!(parse_u64("007"), Some(7));
/// assert_eq!(parse_u64(""), None);
/// assert_eq!(parse_u64("+5"), None);
/// assert_eq!(parse_u64("1.5"), None);
/// assert_eq!(parse_u64("18446744073709551616"), None);
/// ```
pub fn parse_u64(s: &str) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    s.bytes().try_fold(0u64, |n, b| {
        if b.is_ascii_digit() {
            n.checked_mul(10)?.checked_add(u64::from(b - b'0'))
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::parse_u64;

    #[test]
    fn agrees_with_core_on_digit_strings() {
        for s in ["0", "1", "42", "99999999999999999", "18446744073709551615", "18446744073709551616", "00000000000000000000012"] {
            assert_eq!(parse_u64(s), s.parse::<u64>().ok(), "{s}");
        }
    }
}
