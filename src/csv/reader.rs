//! The RFC 4180 record reader.

use crate::validate::Issue;
use crate::json::PathSeg;

/// One CSV record: its fields and its number as a person counts rows
/// (1-based; a record spanning lines inside quotes is one row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1-based row number.
    pub number: usize,
    /// The fields, unquoted.
    pub fields: Vec<String>,
}

impl Record {
    /// True for a blank line (one empty, unquoted field).
    pub fn is_blank(&self) -> bool {
        self.fields.len() == 1 && self.fields[0].trim().is_empty()
    }
}

/// Picks the delimiter among `,` `;` and tab: the one appearing most often,
/// outside quotes, in the first line (the header). Ties and none go to `,`.
///
/// ```
/// use agoralia::csv::detect_delimiter;
/// assert_eq!(detect_delimiter("id;phone;name\n1;2;3"), ';');
/// assert_eq!(detect_delimiter("\"a,b\";c;d\n"), ';');
/// assert_eq!(detect_delimiter("id"), ',');
/// ```
pub fn detect_delimiter(text: &str) -> char {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let mut best = (',', counts[0]);
    for (c, n) in [(';', counts[1]), ('\t', counts[2])] {
        if n > best.1 {
            best = (c, n);
        }
    }
    best.0
}

/// Splits CSV text into records (RFC 4180, lenient where harmless): quoted
/// fields may hold delimiters, `""` and newlines; lines end with CRLF, LF or
/// CR. A stray quote inside an unquoted field is kept as a character; text
/// after a closing quote is kept with a `csv_quote` warning; an unclosed
/// quote is a `csv_unterminated_quote` error.
///
/// ```
/// use agoralia::csv::read_records;
/// let (recs, issues) = read_records("a,\"b,\"\"c\"\"\nd\"\r\ne,f", ',');
/// assert!(issues.is_empty());
/// assert_eq!(recs[0].fields, vec!["a", "b,\"c\"\nd"]);
/// assert_eq!((recs[1].number, recs[1].fields.clone()), (2, vec!["e".to_string(), "f".to_string()]));
/// ```
pub fn read_records(text: &str, delimiter: char) -> (Vec<Record>, Vec<Issue>) {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut records = Vec::new();
    let mut issues = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut number = 1;
    let mut at_field_start = true;
    let mut in_quotes = false;
    let mut after_quote = false;
    let mut quote_row = 0;
    let mut any = false;
    while let Some(c) = chars.next() {
        any = true;
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    in_quotes = false;
                    after_quote = true;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        if c == delimiter {
            fields.push(std::mem::take(&mut field));
            at_field_start = true;
            after_quote = false;
            continue;
        }
        match c {
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                fields.push(std::mem::take(&mut field));
                records.push(Record { number, fields: std::mem::take(&mut fields) });
                number += 1;
                at_field_start = true;
                after_quote = false;
            }
            '"' if at_field_start => {
                in_quotes = true;
                quote_row = number;
                at_field_start = false;
            }
            _ => {
                if after_quote {
                    after_quote = false;
                    issues.push(Issue::warning(
                        vec![PathSeg::from("rows"), PathSeg::Index(number)],
                        "csv_quote",
                        "text after a closing quote in a field; a quote inside a quoted field is written as \"\"",
                    ));
                }
                field.push(c);
                at_field_start = false;
            }
        }
    }
    if in_quotes {
        issues.push(Issue::error(
            vec![PathSeg::from("rows"), PathSeg::Index(quote_row)],
            "csv_unterminated_quote",
            "a quoted field is never closed: the rest of the file was read into it",
        ));
    }
    // The last record, unless the text ended with a line break.
    if any && (!field.is_empty() || !fields.is_empty() || in_quotes || after_quote) {
        fields.push(field);
        records.push(Record { number, fields });
    }
    (records, issues)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<Vec<String>> {
        read_records(text, ',').0.into_iter().map(|r| r.fields).collect()
    }

    #[test]
    fn rfc4180_cases() {
        assert_eq!(fields(""), Vec::<Vec<String>>::new());
        assert_eq!(fields("a"), vec![vec!["a"]]);
        assert_eq!(fields("a\n"), vec![vec!["a"]]);
        assert_eq!(fields("a,b\r\nc,d\r\n"), vec![vec!["a", "b"], vec!["c", "d"]]);
        assert_eq!(fields("a,\nb"), vec![vec!["a", ""], vec!["b"]]);
        assert_eq!(fields("\"\""), vec![vec![""]]);
        assert_eq!(fields("\"a\"\"b\",c"), vec![vec!["a\"b", "c"]]);
        assert_eq!(fields("a\rb"), vec![vec!["a"], vec!["b"]]);
        assert_eq!(fields("x\"y,z"), vec![vec!["x\"y", "z"]]);
        assert_eq!(fields("\n\n"), vec![vec![""], vec![""]]);
    }

    #[test]
    fn quote_problems() {
        let (recs, issues) = read_records("\"ab\"c,d\n\"open,e\nf", ',');
        assert_eq!(recs[0].fields, vec!["abc", "d"]);
        assert_eq!(recs[1].fields, vec!["open,e\nf"]);
        assert_eq!(issues.iter().map(|i| i.code).collect::<Vec<_>>(), vec!["csv_quote", "csv_unterminated_quote"]);
    }

    #[test]
    fn numbers_count_records_not_lines() {
        let (recs, _) = read_records("h\n\"a\nb\"\nc", ',');
        assert_eq!(recs.iter().map(|r| r.number).collect::<Vec<_>>(), vec![1, 2, 3]);
    }
}
