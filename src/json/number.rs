//! JSON numbers that keep their source text.
//!
//! Why keep the text: most validation only asks "is this an integer in range"
//! or compares numbers, which can be answered from the digits. Parsing to f64
//! eagerly would pull the float parser (and formatting for output) into every
//! hot path and into the wasm binary, and would lose precision on large ids.

use std::borrow::Cow;
use std::cmp::Ordering;

/// A JSON number, stored as its (already validated) JSON source text.
///
/// ```
/// use agoralia::json::Number;
/// let n = Number::from_i64(42);
/// assert_eq!(n.as_i64(), Some(42));
/// assert!(n.is_integer());
/// assert_eq!(n.as_text(), "42");
/// ```
#[derive(Debug, Clone)]
pub struct Number<'a> {
    text: Cow<'a, str>,
}

/// The parts of a JSON number's text: sign, digits without the point, and
/// where the decimal point sits once the exponent is applied.
struct Decomposed<'a> {
    negative: bool,
    int_digits: &'a str,
    frac_digits: &'a str,
    exponent: i64,
}

impl<'a> Number<'a> {
    /// Wraps text that the caller guarantees is a valid JSON number
    /// (the parser does). Used internally; prefer [`Number::from_i64`].
    pub(crate) fn from_json_text(text: impl Into<Cow<'a, str>>) -> Number<'a> {
        Number { text: text.into() }
    }

    /// The same number, owning its text.
    pub fn into_owned(self) -> Number<'static> {
        Number { text: Cow::Owned(self.text.into_owned()) }
    }

    /// Builds a number from an integer.
    ///
    /// ```
    /// use agoralia::json::Number;
    /// assert_eq!(Number::from_i64(-7).as_text(), "-7");
    /// ```
    pub fn from_i64(n: i64) -> Number<'static> {
        Number { text: Cow::Owned(n.to_string()) }
    }

    /// Builds a number from an unsigned integer.
    ///
    /// ```
    /// use agoralia::json::Number;
    /// assert_eq!(Number::from_u64(7).as_text(), "7");
    /// ```
    pub fn from_u64(n: u64) -> Number<'static> {
        Number { text: Cow::Owned(n.to_string()) }
    }

    /// The JSON source text of the number, e.g. `"1.5e3"`.
    ///
    /// ```
    /// use agoralia::json::parse;
    /// let v = parse("1.50").unwrap();
    /// assert_eq!(v.as_number().unwrap().as_text(), "1.50");
    /// ```
    pub fn as_text(&self) -> &str {
        &self.text
    }

    fn decompose(&self) -> Decomposed<'_> {
        let t: &str = &self.text;
        let (negative, t) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (mantissa, exp_text) = match t.find(['e', 'E']) {
            Some(i) => (&t[..i], &t[i + 1..]),
            None => (t, ""),
        };
        let (int_digits, frac_digits) = match mantissa.find('.') {
            Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
            None => (mantissa, ""),
        };
        // Saturating: an exponent of a million digits must not overflow.
        let mut exponent: i64 = 0;
        let (exp_neg, exp_digits) = match exp_text.as_bytes().first() {
            Some(b'-') => (true, &exp_text[1..]),
            Some(b'+') => (false, &exp_text[1..]),
            _ => (false, exp_text),
        };
        for b in exp_digits.bytes() {
            exponent = exponent.saturating_mul(10).saturating_add((b - b'0') as i64);
        }
        if exp_neg {
            exponent = -exponent;
        }
        Decomposed { negative, int_digits, frac_digits, exponent }
    }

    /// True when the value is mathematically an integer, as JSON Schema
    /// defines `"type": "integer"` (so `1.0` and `1e2` are integers, `1.5`
    /// is not). Decided from the digits, without float parsing.
    ///
    /// ```
    /// use agoralia::json::parse;
    /// assert!(parse("1.0").unwrap().as_number().unwrap().is_integer());
    /// assert!(parse("25e-1").unwrap().as_number().unwrap().is_integer() == false);
    /// assert!(parse("120e-1").unwrap().as_number().unwrap().is_integer());
    /// ```
    pub fn is_integer(&self) -> bool {
        let d = self.decompose();
        let digits_len = (d.int_digits.len() + d.frac_digits.len()) as i64;
        // Position of the decimal point within int_digits ++ frac_digits.
        let point = (d.int_digits.len() as i64).saturating_add(d.exponent);
        if point >= digits_len {
            return true;
        }
        let start = if point < 0 { 0 } else { point as usize };
        d.int_digits
            .bytes()
            .chain(d.frac_digits.bytes())
            .skip(start)
            .all(|b| b == b'0')
    }

    /// The value as an `i64` when it is an integer that fits, else `None`.
    /// `1e2` gives `Some(100)`; `1.5` and `1e30` give `None`.
    ///
    /// ```
    /// use agoralia::json::parse;
    /// assert_eq!(parse("-12").unwrap().as_i64(), Some(-12));
    /// assert_eq!(parse("1e2").unwrap().as_i64(), Some(100));
    /// assert_eq!(parse("99999999999999999999").unwrap().as_i64(), None);
    /// ```
    pub fn as_i64(&self) -> Option<i64> {
        if !self.is_integer() {
            return None;
        }
        let d = self.decompose();
        let point = (d.int_digits.len() as i64).saturating_add(d.exponent);
        let mut acc: i128 = 0;
        let mut idx: i64 = 0;
        for b in d.int_digits.bytes().chain(d.frac_digits.bytes()) {
            if idx >= point {
                break;
            }
            acc = acc * 10 + (b - b'0') as i128;
            if acc > i64::MAX as i128 + 1 {
                return None;
            }
            idx += 1;
        }
        // Trailing zeros implied by a positive exponent beyond the digits.
        while idx < point {
            if acc == 0 {
                // 0e400 is still zero; no need to loop a huge exponent.
                break;
            }
            acc *= 10;
            if acc > i64::MAX as i128 + 1 {
                return None;
            }
            idx += 1;
        }
        let v = if d.negative { -acc } else { acc };
        if v < i64::MIN as i128 || v > i64::MAX as i128 {
            None
        } else {
            Some(v as i64)
        }
    }

    /// The value as an `f64` (parsed lazily, only when asked). Out-of-range
    /// magnitudes give infinity, as JavaScript's `JSON.parse` does.
    ///
    /// ```
    /// use agoralia::json::parse;
    /// assert_eq!(parse("1.5").unwrap().as_f64(), Some(1.5));
    /// ```
    pub fn as_f64(&self) -> f64 {
        self.text.parse::<f64>().unwrap_or(f64::NAN)
    }

    /// Numeric equality as JavaScript sees it after `JSON.parse`: `1` equals
    /// `1.0` and `1e0`. Used for duplicate detection in `enum`.
    ///
    /// ```
    /// use agoralia::json::parse;
    /// let a = parse("1").unwrap();
    /// let b = parse("1.0").unwrap();
    /// assert!(a.as_number().unwrap().same_value(b.as_number().unwrap()));
    /// ```
    pub fn same_value(&self, other: &Number<'_>) -> bool {
        self.text == other.text || self.cmp_value(other) == Ordering::Equal
    }

    /// -1, 0 or 1 by the sign of the value (`-0` is 0), from the digits.
    ///
    /// ```
    /// use agoralia::json::Number;
    /// assert_eq!(Number::from_i64(-3).signum(), -1);
    /// ```
    pub fn signum(&self) -> i8 {
        let (neg, digits, _) = self.canonical();
        match (digits.is_empty(), neg) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        }
    }

    /// Exact numeric ordering decided from the decimal digits, with no
    /// float parsing (so no rounding, and no float code in the wasm).
    ///
    /// ```
    /// use agoralia::json::parse;
    /// use std::cmp::Ordering;
    /// let a = parse("2.5e1").unwrap();
    /// let b = parse("24.99").unwrap();
    /// assert_eq!(a.as_number().unwrap().cmp_value(b.as_number().unwrap()), Ordering::Greater);
    /// ```
    pub fn cmp_value(&self, other: &Number<'_>) -> Ordering {
        let (na, da, pa) = self.canonical();
        let (nb, db, pb) = other.canonical();
        let sign = |neg: bool, d: &Vec<u8>| if d.is_empty() { 0 } else if neg { -1 } else { 1 };
        let (sa, sb) = (sign(na, &da), sign(nb, &db));
        if sa != sb || sa == 0 {
            return sa.cmp(&sb);
        }
        // Same sign, both non-zero: value = 0.DIGITS x 10^point.
        let magnitude = pa.cmp(&pb).then_with(|| da.cmp(&db));
        if sa < 0 {
            magnitude.reverse()
        } else {
            magnitude
        }
    }

    /// (negative, significant digits without leading/trailing zeros, point)
    /// where the value is 0.DIGITS x 10^point; zero has no digits.
    fn canonical(&self) -> (bool, Vec<u8>, i64) {
        let d = self.decompose();
        let mut point = (d.int_digits.len() as i64).saturating_add(d.exponent);
        let mut digits: Vec<u8> = d.int_digits.bytes().chain(d.frac_digits.bytes()).collect();
        let lead = digits.iter().take_while(|b| **b == b'0').count();
        point = point.saturating_sub(lead as i64);
        digits.drain(..lead);
        while digits.last() == Some(&b'0') {
            digits.pop();
        }
        (d.negative, digits, point)
    }
}

impl PartialEq for Number<'_> {
    fn eq(&self, other: &Number<'_>) -> bool {
        self.same_value(other)
    }
}

/// Parses what `str::parse::<f64>` accepts (`[+-]`, digits with an optional
/// point, an optional exponent, `inf`, `infinity`, `nan`), without the
/// standard library's float parser (kilobytes of wasm). Used for durations (JSON
/// `timeoutMs`, `Retry-After` headers): correctly rounded whenever the
/// significant digits fit in 2^53 and the exponent is within +-22 (Clinger's
/// fast path, i.e. every realistic duration); otherwise within a few ulps.
pub(crate) fn parse_f64(s: &str) -> Option<f64> {
    let (negative, b) = match s.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        b => (false, b),
    };
    let value = if b.eq_ignore_ascii_case(b"inf") || b.eq_ignore_ascii_case(b"infinity") {
        f64::INFINITY
    } else if b.eq_ignore_ascii_case(b"nan") {
        f64::NAN
    } else {
        // mantissa x 10^exp, keeping the first 18 significant digits.
        let (mut mantissa, mut exp, mut digits, mut point, mut i) = (0u64, 0i64, 0, false, 0);
        while let Some(&c) = b.get(i) {
            match c {
                b'0'..=b'9' => {
                    digits += 1;
                    if mantissa < 100_000_000_000_000_000 {
                        mantissa = mantissa * 10 + (c - b'0') as u64;
                        exp -= point as i64;
                    } else {
                        exp += !point as i64;
                    }
                }
                b'.' if !point => point = true,
                _ => break,
            }
            i += 1;
        }
        if digits == 0 {
            return None;
        }
        if i < b.len() {
            let e = match &b[i + 1..] {
                _ if b[i] | 0x20 != b'e' => return None,
                [b'-', rest @ ..] => (true, rest),
                [b'+', rest @ ..] => (false, rest),
                rest => (false, rest),
            };
            if e.1.is_empty() || !e.1.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let n = e.1.iter().fold(0i64, |n, &c| (n * 10 + (c - b'0') as i64).min(1_000_000));
            exp += if e.0 { -n } else { n };
        }
        // Exact powers of ten up to 1e22; larger exponents in steps of 1e22.
        let pow10 = |k: i64| (0..k).fold(1.0f64, |p, _| p * 10.0);
        let mut v = mantissa as f64;
        while exp > 22 {
            v *= 1e22;
            exp -= 22;
        }
        while exp < -22 {
            v /= 1e22;
            exp += 22;
        }
        if exp >= 0 {
            v * pow10(exp)
        } else {
            v / pow10(-exp)
        }
    };
    Some(if negative { -value } else { value })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number<'_> {
        Number::from_json_text(s)
    }

    #[test]
    fn integers_from_text() {
        assert!(n("0").is_integer());
        assert!(n("-0").is_integer());
        assert!(n("10").is_integer());
        assert!(n("1.000").is_integer());
        assert!(n("1.5e1").is_integer());
        assert!(!n("1.55e1").is_integer());
        assert!(!n("0.5").is_integer());
        assert!(n("0.0e-5").is_integer());
        assert!(!n("1e-1").is_integer());
        assert!(n("1e400").is_integer());
        assert!(!n("1e-400").is_integer());
    }

    #[test]
    fn as_i64_edges() {
        assert_eq!(n("9223372036854775807").as_i64(), Some(i64::MAX));
        assert_eq!(n("-9223372036854775808").as_i64(), Some(i64::MIN));
        assert_eq!(n("9223372036854775808").as_i64(), None);
        assert_eq!(n("1e18").as_i64(), Some(1_000_000_000_000_000_000));
        assert_eq!(n("1e19").as_i64(), None);
        assert_eq!(n("0e99999999999999999999999").as_i64(), Some(0));
        assert_eq!(n("2.50e1").as_i64(), Some(25));
        assert_eq!(n("2.55e1").as_i64(), None);
        assert_eq!(n("2.50e2").as_i64(), Some(250));
        assert_eq!(n("1.5").as_i64(), None);
    }

    #[test]
    fn parse_f64_matches_std_on_durations() {
        for s in [
            "0", "1", "1.5", "250", "30000", "0.001", "1e3", "1E+3", "2.5e-1", "+3", "-0", "3.", ".5", "120.75",
            "1e999", "-1e999", "inf", "-Infinity", "NaN", "1e-400", "123456789012345678901234", "0.1e1", "9007199254740993",
        ] {
            let ours = super::parse_f64(s).unwrap();
            let std = s.parse::<f64>().unwrap();
            let close = ours == std || (ours.is_nan() && std.is_nan()) || ((ours - std) / std).abs() < 1e-15;
            assert!(close, "{s}: {ours} vs {std}");
        }
        for s in ["", "-", ".", "e3", "1e", "1e+", "1.2.3", "1,5", "1 ", "0x10", "infin", "--1", "1e5.0"] {
            assert_eq!(super::parse_f64(s), None, "{s:?}");
            assert!(s.parse::<f64>().is_err(), "{s:?}");
        }
    }

    #[test]
    fn f64_and_equality() {
        assert_eq!(n("1e2").as_f64(), 100.0);
        assert!(n("1e999").as_f64().is_infinite());
        assert!(n("1").same_value(&n("1.0")));
        assert!(n("0.5").same_value(&n("5e-1")));
        assert!(!n("1").same_value(&n("2")));
        assert!(n("-0").same_value(&n("0.0e5")));
        assert_eq!(n("-1").cmp_value(&n("-2")), Ordering::Greater);
        assert_eq!(n("100").cmp_value(&n("99.999")), Ordering::Greater);
        assert_eq!(n("0.001").cmp_value(&n("1e-3")), Ordering::Equal);
        assert_eq!(n("-0.5").cmp_value(&n("0")), Ordering::Less);
        assert_eq!(n("12").cmp_value(&n("123e-1")), Ordering::Less);
        assert_eq!(n("1e400").cmp_value(&n("9e399")), Ordering::Greater);
        assert_eq!(n("7").signum(), 1);
        assert_eq!(n("-0.0").signum(), 0);
    }
}
