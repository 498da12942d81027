//! Phone numbers: the E.164 check and a normaliser for common written forms.
//!
//! Validation never rewrites what is sent (contract); the normaliser is
//! offered separately and used for suggestions.

/// True for E.164: `+`, then 2 to 15 digits, the first not `0`.
///
/// ```
/// use agoralia::validate::phone::is_e164;
/// assert!(is_e164("+393401234567"));
/// assert!(!is_e164("+39 340 123 4567"));
/// assert!(!is_e164("393401234567"));
/// assert!(!is_e164("+0123"));
/// ```
#[cfg_attr(agoralia_speed, optimize(speed))]
pub fn is_e164(s: &str) -> bool {
    let Some(digits) = s.strip_prefix('+') else { return false };
    let b = digits.as_bytes();
    (2..=15).contains(&b.len()) && b[0] != b'0' && b.iter().all(u8::is_ascii_digit)
}

/// Why a number could not be normalised: a stable code and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneError {
    /// `invalid_phone` or `missing_country_code`.
    pub code: &'static str,
    /// For people.
    pub message: String,
}

/// Country calling codes whose national numbers keep their leading 0 after
/// the country code (Italy, San Marino, Vatican): "06 1234" in Italy is
/// +39 06 1234, whereas in most countries the leading 0 is a trunk prefix
/// that is dropped ("020 7946 0000" in the UK is +44 20 7946 0000).
const KEEP_TRUNK_ZERO: &[&str] = &["39", "378", "379"];

/// Turns a written phone number into E.164.
///
/// Spaces, dots, dashes, slashes and parentheses are removed; a leading
/// `00` becomes `+`; a `tel:` prefix is dropped. A number with no country
/// prefix fails with `missing_country_code` unless `default_cc` (e.g. `"39"`)
/// is given; then it is prefixed, dropping a national trunk `0` except for
/// countries that keep it (Italy).
///
/// ```
/// use agoralia::validate::phone::normalize_phone;
/// assert_eq!(normalize_phone("+39 340 123 4567", None).unwrap(), "+393401234567");
/// assert_eq!(normalize_phone("0039 (340) 123-45.67", None).unwrap(), "+393401234567");
/// assert_eq!(normalize_phone("340 123 4567", Some("39")).unwrap(), "+393401234567");
/// assert_eq!(normalize_phone("020 7946 0000", Some("+44")).unwrap(), "+442079460000");
/// assert_eq!(normalize_phone("340 123 4567", None).unwrap_err().code, "missing_country_code");
/// ```
pub fn normalize_phone(input: &str, default_cc: Option<&str>) -> Result<String, PhoneError> {
    let trimmed = input.trim();
    let trimmed = trimmed
        .strip_prefix("tel:")
        .or_else(|| trimmed.strip_prefix("TEL:"))
        .unwrap_or(trimmed)
        .trim();
    if trimmed.is_empty() {
        return Err(invalid("the phone number is empty"));
    }
    let mut plus = false;
    let mut digits = String::new();
    for (i, c) in trimmed.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => plus = true,
            ' ' | '.' | '-' | '(' | ')' | '/' | '\u{a0}' | '\u{2010}'..='\u{2015}' | '\u{202f}' | '\t' => {}
            _ => {
                return Err(invalid(format!(
                    "\"{c}\" cannot appear in a phone number; use digits with a leading + and the country code, e.g. +393401234567"
                )))
            }
        }
    }
    let full = if plus {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_string()
    } else {
        let Some(cc) = default_cc else {
            return Err(PhoneError {
                code: "missing_country_code",
                message: "the number has no country code: write it as + followed by the country code (e.g. +39 for Italy), or pass a default country code".into(),
            });
        };
        let cc = cc.trim().trim_start_matches('+');
        if cc.is_empty() || cc.len() > 3 || !cc.bytes().all(|b| b.is_ascii_digit()) || cc.starts_with('0') {
            return Err(invalid(format!("\"{cc}\" is not a country calling code (1 to 3 digits, e.g. \"39\")")));
        }
        let national = if KEEP_TRUNK_ZERO.contains(&cc) {
            digits.as_str()
        } else {
            digits.strip_prefix('0').unwrap_or(&digits)
        };
        format!("{cc}{national}")
    };
    let e164 = format!("+{full}");
    if is_e164(&e164) {
        Ok(e164)
    } else if full.starts_with('0') {
        Err(invalid("a country code cannot start with 0"))
    } else if full.len() < 2 {
        Err(invalid("too few digits for a phone number"))
    } else {
        Err(invalid(format!("too many digits: E.164 allows at most 15, this has {}", full.len())))
    }
}

fn invalid(message: impl Into<String>) -> PhoneError {
    PhoneError { code: "invalid_phone", message: message.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164() {
        assert!(is_e164("+12"));
        assert!(is_e164("+123456789012345"));
        assert!(!is_e164("+1234567890123456"));
        assert!(!is_e164("+1"));
        assert!(!is_e164("+"));
        assert!(!is_e164(""));
        assert!(!is_e164("++39"));
        assert!(!is_e164("+39a"));
        assert!(!is_e164("+３９")); // full-width digits are not ASCII digits
    }

    #[test]
    fn normalize_forms() {
        assert_eq!(normalize_phone("  +1 (415) 555-0100 ", None).unwrap(), "+14155550100");
        assert_eq!(normalize_phone("tel:+39-340-1234567", None).unwrap(), "+393401234567");
        assert_eq!(normalize_phone("06 1234 5678", Some("39")).unwrap(), "+390612345678");
        assert_eq!(normalize_phone("+393401234567", None).unwrap(), "+393401234567");
        assert_eq!(normalize_phone("0039340", None).unwrap(), "+39340");
    }

    #[test]
    fn normalize_failures() {
        assert_eq!(normalize_phone("", None).unwrap_err().code, "invalid_phone");
        assert_eq!(normalize_phone("call me", None).unwrap_err().code, "invalid_phone");
        assert_eq!(normalize_phone("+39 340 ext 5", None).unwrap_err().code, "invalid_phone");
        assert_eq!(normalize_phone("+0039", None).unwrap_err().code, "invalid_phone");
        assert_eq!(normalize_phone("+1", None).unwrap_err().code, "invalid_phone");
        assert_eq!(normalize_phone("+1234567890123456", None).unwrap_err().code, "invalid_phone");
        assert_eq!(normalize_phone("3401234567", None).unwrap_err().code, "missing_country_code");
        assert_eq!(normalize_phone("3401234567", Some("abc")).unwrap_err().code, "invalid_phone");
        assert_eq!(normalize_phone("1+2", None).unwrap_err().code, "invalid_phone");
    }
}
