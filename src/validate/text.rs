//! Small text helpers shared by the validators and the CSV import.

/// `s.trim()`, with two byte tests first: most values neither start nor end
/// with a space, and `trim` decodes chars to find Unicode ones (5 % of a
/// 10 000-row import).
pub(crate) fn trim(s: &str) -> &str {
    let solid = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x80);
    if solid(s.as_bytes().first()) && solid(s.as_bytes().last()) {
        s
    } else {
        s.trim()
    }
}

/// `items` separated by ", ", each in double quotes when `quote`: one loop
/// instead of `join` (a generic instantiation per element type) and a
/// `Vec<String>` of `format!`-quoted items.
pub(crate) fn list(items: &[&str], quote: bool) -> String {
    let mut s = String::new();
    for (i, t) in items.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        if quote {
            s.push('"');
        }
        s.push_str(t);
        if quote {
            s.push('"');
        }
    }
    s
}

/// `what`, then ", got " and the JSON type of `v`: the shape of most
/// type errors, without a `format!` call site each.
pub(crate) fn got(what: &str, v: &crate::json::Value) -> String {
    let mut s = String::from(what);
    s.push_str(", got ");
    s.push_str(v.type_name());
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(list(&["a", "b"], true), "\"a\", \"b\"");
        assert_eq!(list(&["a", "b"], false), "a, b");
        assert_eq!(list(&[], false), "");
    }
}
