//! "Did you mean": the nearest candidate by edit distance.

/// Longest input compared; longer strings are not typos of short keys and
/// would only cost time (the distance is quadratic).
const MAX_LEN: usize = 64;

/// Optimal-string-alignment distance (Levenshtein plus adjacent
/// transpositions, so "enmu" is one edit from "enum"), ignoring ASCII case
/// (ASCII only: Unicode case tables would add kilobytes to the wasm).
///
/// ```
/// use agoralia::validate::suggest::edit_distance;
/// assert_eq!(edit_distance("enmu", "enum"), 1);
/// assert_eq!(edit_distance("quote_amout", "quote_amount"), 1);
/// assert_eq!(edit_distance("Phone", "phone"), 0);
/// ```
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let (n, m) = (a.len(), b.len());
    // Three rolling rows: two back is needed for transpositions.
    let mut prev2 = vec![0usize; m + 1];
    let mut prev: Vec<usize> = (0..=m).collect();
    let mut cur = vec![0usize; m + 1];
    for i in 1..=n {
        cur[0] = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[m]
}

/// The candidate closest to `input`, if it is close enough to be a likely
/// typo: at most a third of the longer word's length in edits (at least 1),
/// or `input` being a prefix of a candidate ("quote" -> "quote_request").
/// Exact matches are not suggestions and give `None`.
///
/// ```
/// use agoralia::validate::suggest::suggest;
/// assert_eq!(suggest("quote_amout", ["name", "phone", "quote_amount"]), Some("quote_amount"));
/// assert_eq!(suggest("quote", ["quote_request", "cold_calling"]), Some("quote_request"));
/// assert_eq!(suggest("zzzz", ["name", "phone"]), None);
/// ```
pub fn suggest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let trimmed = input.trim();
    if trimmed.is_empty() || trimmed.chars().count() > MAX_LEN {
        return None;
    }
    let lower = trimmed.to_ascii_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        if c == input {
            continue;
        }
        let clen = c.chars().count();
        if clen > MAX_LEN {
            continue;
        }
        let d = edit_distance(trimmed, c);
        let len = clen.max(trimmed.chars().count());
        let limit = (len / 3).max(1);
        let prefix = lower.chars().count() >= 3 && c.to_ascii_lowercase().starts_with(&lower);
        let score = if prefix { 1 } else { d };
        if (d <= limit || prefix) && d < len && best.is_none_or(|(b, _)| score < b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("requierd", "required"), 1);
        assert_eq!(edit_distance("ÉNUM", "Énum"), 0);
    }

    #[test]
    fn suggestions() {
        let kw = ["type", "enum", "properties", "required", "items"];
        assert_eq!(suggest("enmu", kw), Some("enum"));
        assert_eq!(suggest("propertes", kw), Some("properties"));
        assert_eq!(suggest("Required", kw), Some("required"));
        assert_eq!(suggest("xyz", kw), None);
        assert_eq!(suggest("", kw), None);
        assert_eq!(suggest(&"a".repeat(10_000), kw), None);
        // Very short words need an exact-ish match.
        assert_eq!(suggest("ab", ["id"]), None);
        assert_eq!(suggest(" name", ["name"]), Some("name"));
    }
}
