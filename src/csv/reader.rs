//! The RFC 4180 record reader.

use std::borrow::Cow;

use crate::json::PathSeg;
use crate::validate::Issue;

/// One CSV record: its fields and its number as a person counts rows
/// (1-based; a record spanning lines inside quotes is one row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record<'a> {
    /// 1-based row number.
    pub number: usize,
    /// The fields, unquoted: slices of the text unless unquoting changed them.
    pub fields: Vec<Cow<'a, str>>,
}

impl Record<'_> {
    /// True for a blank line (one empty, unquoted field).
    pub fn is_blank(&self) -> bool {
        is_blank(&self.fields)
    }
}

/// A record's fields make a blank line: one field, empty or spaces.
pub(crate) fn is_blank(fields: &[Cow<'_, str>]) -> bool {
    matches!(fields, [only] if only.trim().is_empty())
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
/// assert_eq!(recs[1].number, 2);
/// assert_eq!(recs[1].fields, vec!["e", "f"]);
/// ```
pub fn read_records(text: &str, delimiter: char) -> (Vec<Record<'_>>, Vec<Issue>) {
    let mut records_in = Records::new(text, delimiter);
    let mut records = Vec::new();
    let mut fields = Vec::new();
    while let Some(number) = records_in.next_into(&mut fields) {
        records.push(Record { number, fields: std::mem::take(&mut fields) });
    }
    (records, records_in.reader.issues)
}

/// Records one at a time, into a caller's reused field vector: a 10 000-row
/// import then allocates no vector per row and keeps no rows it has checked.
pub(crate) struct Records<'a> {
    reader: Reader<'a>,
    number: usize,
    done: bool,
}

impl<'a> Records<'a> {
    pub(crate) fn new(text: &'a str, delimiter: char) -> Records<'a> {
        Records::starting_at(text.strip_prefix('\u{FEFF}').unwrap_or(text), delimiter, 1)
    }

    /// Records of a text that starts at row `number` of a longer file (no
    /// BOM to strip there): a stream reads a file as a run of such texts.
    pub(crate) fn starting_at(text: &'a str, delimiter: char, number: usize) -> Records<'a> {
        let mut d = [0; 4];
        let delimiter_len = delimiter.encode_utf8(&mut d).len();
        // Bytes, not chars: every byte the reader stops at (quote, CR, LF, an
        // ASCII delimiter) is ASCII, so every slice is on a char boundary, and a
        // field without `""` is a slice of the text rather than a copy. Reading
        // char by char into fresh Strings was most of a 10 000-row import.
        let reader = Reader { text, bytes: text.as_bytes(), pos: 0, delimiter: d, delimiter_len, issues: Vec::new() };
        Records { done: text.is_empty(), reader, number }
    }

    /// Reads the next record's fields into `fields` (cleared first) and
    /// returns its row number; `None` at the end of the text.
    pub(crate) fn next_into(&mut self, fields: &mut Vec<Cow<'a, str>>) -> Option<usize> {
        fields.clear();
        if self.done {
            return None;
        }
        let number = self.number;
        let r = &mut self.reader;
        loop {
            fields.push(r.field(number));
            match r.bytes.get(r.pos) {
                None => {
                    self.done = true;
                    return Some(number);
                }
                Some(&b @ (b'\r' | b'\n')) => {
                    r.pos += if b == b'\r' && r.bytes.get(r.pos + 1) == Some(&b'\n') { 2 } else { 1 };
                    self.number += 1;
                    self.done = r.pos == r.bytes.len();
                    return Some(number);
                }
                // The delimiter (`field` stops only there otherwise).
                Some(_) => r.pos += r.delimiter_len,
            }
        }
    }

    /// The quoting problems met so far, taken out.
    pub(crate) fn take_issues(&mut self) -> Vec<Issue> {
        std::mem::take(&mut self.reader.issues)
    }
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// The delimiter's UTF-8 bytes (`delimiter_len` of them).
    delimiter: [u8; 4],
    delimiter_len: usize,
    issues: Vec<Issue>,
}

impl<'a> Reader<'a> {
    /// Index of the first byte at or after `from` that ends an unquoted
    /// field: the delimiter, CR, LF, or the end.
    fn field_end(&self, from: usize) -> usize {
        let d = &self.delimiter[..self.delimiter_len];
        let mut i = from;
        while let Some(&b) = self.bytes.get(i) {
            if b == b'\n' || b == b'\r' || (b == d[0] && self.bytes[i..].starts_with(d)) {
                break;
            }
            i += 1;
        }
        i
    }

    /// Reads one field starting at `pos`, leaving `pos` on what ends it.
    fn field(&mut self, row: usize) -> Cow<'a, str> {
        if self.bytes.get(self.pos) != Some(&b'"') {
            let start = self.pos;
            self.pos = self.field_end(start);
            return Cow::Borrowed(&self.text[start..self.pos]);
        }
        // Quoted: up to the closing quote, `""` standing for one quote.
        self.pos += 1;
        let mut start = self.pos;
        let mut owned: Option<String> = None;
        let mut field = loop {
            let Some(q) = self.bytes[self.pos..].iter().position(|&b| b == b'"').map(|k| self.pos + k) else {
                self.issues.push(Issue::error(
                    vec![PathSeg::from("rows"), PathSeg::Index(row)],
                    "csv_unterminated_quote",
                    "a quoted field is never closed: the rest of the file was read into it",
                ));
                self.pos = self.bytes.len();
                break join(owned, &self.text[start..]);
            };
            if self.bytes.get(q + 1) == Some(&b'"') {
                owned.get_or_insert_with(String::new).push_str(&self.text[start..=q]);
                self.pos = q + 2;
                start = self.pos;
            } else {
                self.pos = q + 1;
                break join(owned, &self.text[start..q]);
            }
        };
        // Text after the closing quote is kept, with a warning.
        let end = self.field_end(self.pos);
        if end > self.pos {
            self.issues.push(Issue::warning(
                vec![PathSeg::from("rows"), PathSeg::Index(row)],
                "csv_quote",
                "text after a closing quote in a field; a quote inside a quoted field is written as \"\"",
            ));
            field.to_mut().push_str(&self.text[self.pos..end]);
            self.pos = end;
        }
        field
    }
}

fn join<'a>(head: Option<String>, tail: &'a str) -> Cow<'a, str> {
    match head {
        Some(h) => Cow::Owned(h + tail),
        None => Cow::Borrowed(tail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(text: &str) -> Vec<Vec<String>> {
        read_records(text, ',').0.into_iter().map(|r| r.fields.into_iter().map(Cow::into_owned).collect()).collect()
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

    /// The char-by-char reader this one replaced, kept as the reference:
    /// the byte reader must split every text exactly as it did.
    fn reference_read_records(text: &str, delimiter: char) -> (Vec<(usize, Vec<String>)>, Vec<Issue>) {
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
                    records.push((number, std::mem::take(&mut fields)));
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
            records.push((number, fields));
        }
        (records, issues)
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
        #[test]
        fn same_records_as_the_reference(text in "[a,;\"\r\n é\u{1F600}\t]{0,40}", delim in prop::sample::select(vec![',', ';', '\t', 'é'])) {
            let (recs, issues) = read_records(&text, delim);
            let (want, want_issues) = reference_read_records(&text, delim);
            let got: Vec<(usize, Vec<String>)> = recs.into_iter().map(|r| (r.number, r.fields.into_iter().map(Cow::into_owned).collect())).collect();
            prop_assert_eq!(got, want);
            prop_assert_eq!(issues, want_issues);
        }
    }
}
