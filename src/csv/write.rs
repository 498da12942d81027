//! Writing CSV: the rejects file, in the dialect of the file it came from.

/// Appends one record (fields joined by `delimiter`, CRLF at the end), each
/// field quoted when it holds the delimiter, a quote, a line break, or
/// spaces at either end (which a reader would trim).
///
/// ```
/// let mut out = String::new();
/// agoralia::csv::write_record(&mut out, ["a", "b,c", "say \"hi\"", " x"], ',');
/// assert_eq!(out, "a,\"b,c\",\"say \"\"hi\"\"\",\" x\"\r\n");
/// ```
pub fn write_record<'s>(out: &mut String, fields: impl IntoIterator<Item = &'s str>, delimiter: char) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        let quote = f.contains([delimiter, '"', '\r', '\n']) || f.starts_with(' ') || f.ends_with(' ');
        if quote {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push_str("\r\n");
}
