//! BCP-47 language tags: well-formedness per RFC 5646's ABNF (no registry).

/// Irregular and regular grandfathered tags (RFC 5646 section 2.1), which do
/// not follow the general syntax but are well-formed.
const GRANDFATHERED: &[&str] = &[
    "en-gb-oed", "i-ami", "i-bnn", "i-default", "i-enochian", "i-hak", "i-klingon", "i-lux",
    "i-mingo", "i-navajo", "i-pwn", "i-tao", "i-tay", "i-tsu", "sgn-be-fr", "sgn-be-nl",
    "sgn-ch-de", "art-lojban", "cel-gaulish", "no-bok", "no-nyn", "zh-guoyu", "zh-hakka",
    "zh-min", "zh-min-nan", "zh-xiang",
];

/// True when `tag` is a well-formed BCP-47 language tag (case-insensitive).
///
/// ```
/// use agoralia::validate::language::is_well_formed;
/// assert!(is_well_formed("en-US"));
/// assert!(is_well_formed("zh-Hant-TW"));
/// assert!(is_well_formed("de-CH-1996"));
/// assert!(!is_well_formed("en_US"));
/// assert!(!is_well_formed("en US"));
/// ```
pub fn is_well_formed(tag: &str) -> bool {
    if tag.is_empty() || !tag.is_ascii() {
        return false;
    }
    let lower = tag.to_ascii_lowercase();
    if GRANDFATHERED.contains(&lower.as_str()) {
        return true;
    }
    let subtags: Vec<&str> = lower.split('-').collect();
    if subtags.iter().any(|s| s.is_empty() || s.len() > 8 || !s.bytes().all(|b| b.is_ascii_alphanumeric())) {
        return false;
    }
    let mut i = 0;
    let n = subtags.len();
    let alpha = |s: &str| s.bytes().all(|b| b.is_ascii_alphabetic());
    let digit = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    // Private use only: "x-..."
    if subtags[0] == "x" {
        return n > 1;
    }
    // language
    let lang = subtags[0];
    if !alpha(lang) || lang.len() < 2 {
        return false;
    }
    i += 1;
    // extlang: up to three 3-letter subtags, only after a 2-3 letter language
    if lang.len() <= 3 {
        let mut ext = 0;
        while i < n && ext < 3 && subtags[i].len() == 3 && alpha(subtags[i]) {
            i += 1;
            ext += 1;
        }
    }
    // script
    if i < n && subtags[i].len() == 4 && alpha(subtags[i]) {
        i += 1;
    }
    // region
    if i < n && ((subtags[i].len() == 2 && alpha(subtags[i])) || (subtags[i].len() == 3 && digit(subtags[i]))) {
        i += 1;
    }
    // variants
    while i < n {
        let s = subtags[i];
        let is_variant = (5..=8).contains(&s.len()) || (s.len() == 4 && s.as_bytes()[0].is_ascii_digit());
        if !is_variant {
            break;
        }
        i += 1;
    }
    // extensions: singleton (not x) followed by one or more 2-8 subtags
    while i < n && subtags[i].len() == 1 && subtags[i] != "x" {
        i += 1;
        let start = i;
        while i < n && subtags[i].len() >= 2 {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    // private use
    if i < n && subtags[i] == "x" {
        i += 1;
        if i == n {
            return false;
        }
        return true; // all remaining subtags are 1-8 alphanumerics, checked above
    }
    i == n
}

/// A well-formed tag in conventional case (`en-us` -> `en-US`, `zh-hant` ->
/// `zh-Hant`), also repairing underscores (`it_IT` -> `it-IT`); `None` when
/// no repair makes it well-formed. Used for suggestions.
///
/// ```
/// use agoralia::validate::language::suggest_tag;
/// assert_eq!(suggest_tag("it_it").as_deref(), Some("it-IT"));
/// assert_eq!(suggest_tag("@@"), None);
/// ```
pub fn suggest_tag(tag: &str) -> Option<String> {
    let fixed = tag.trim().replace('_', "-");
    if !is_well_formed(&fixed) {
        return None;
    }
    let mut out = String::new();
    let mut after_singleton = false;
    for (i, s) in fixed.split('-').enumerate() {
        if i > 0 {
            out.push('-');
        }
        let lower = s.to_ascii_lowercase();
        if i > 0 && !after_singleton && s.len() == 2 {
            out.push_str(&s.to_ascii_uppercase());
        } else if i > 0 && !after_singleton && s.len() == 4 && s.as_bytes()[0].is_ascii_alphabetic() {
            out.push_str(&lower[..1].to_ascii_uppercase());
            out.push_str(&lower[1..]);
        } else {
            out.push_str(&lower);
        }
        if s.len() == 1 {
            after_singleton = true;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed() {
        for t in [
            "en", "it-IT", "EN-us", "es-419", "zh-Hans-CN", "sr-Latn-RS", "sl-rozaj-biske", "de-CH-1901",
            "hy-Latn-IT-arevela", "en-US-u-islamcal", "zh-CN-a-myext-x-private", "x-whatever", "i-klingon",
            "zh-min-nan", "qaa-Qaaa-QM-x-southern", "zh-yue-HK", "ar-afb-Arab", "abcde", "abcdefgh",
            "en-a-bbb-x-a-ccc", "sgn-BE-FR",
        ] {
            assert!(is_well_formed(t), "{t}");
        }
    }

    #[test]
    fn ill_formed() {
        for t in [
            "", "e", "en-", "-en", "en--US", "en_US", "abcdefghi", "en-US-", "1en", "en-a", "en-a-x-b", "x",
            "x-", "en-x", "english language", "en-US-x-abcdefghi", "ét", "en-a-b-cc",
        ] {
            assert!(!is_well_formed(t), "{t}");
        }
    }

    #[test]
    fn suggestions() {
        assert_eq!(suggest_tag("en_us").as_deref(), Some("en-US"));
        assert_eq!(suggest_tag("ZH-HANT-tw").as_deref(), Some("zh-Hant-TW"));
        assert_eq!(suggest_tag("es-419").as_deref(), Some("es-419"));
    }
}
