//! Leads from a CSV stream: push bytes as they arrive, get the leads, the
//! issues and the rejected rows a chunk at a time.
//!
//! Memory follows the longest record, not the file: bytes are kept only
//! until the record they belong to is complete. Record borders are found by
//! a byte scanner that follows the reader's own quoting rules, so a quoted
//! line break, a `""`, a CRLF or a multi-byte character split between two
//! chunks reads exactly as in one piece: any split of the same bytes gives
//! the same leads and issues (property-tested below).
//!
//! Encoding: UTF-8 until a record is not, then Windows-1252 from that record
//! on, with one `not_utf8` warning. (A whole-file read decides for the whole
//! file; a stream cannot look ahead, and the records before were valid UTF-8.)

use std::borrow::Cow;

use super::columns::{map_header, Column, REJECT_COLUMNS};
use super::batches::Batcher;
use super::reader::{is_blank, Records};
use super::rows::{check_row, empty_csv, no_rows};
use super::seen_hashes::{SeenHashes, MAX_TRACKED_IDS};
use super::write::write_record;
use super::{cp1252, detect_delimiter, not_utf8, write_tail, CsvOptions};
use crate::json::{write_json_string, PathSeg};
use crate::validate::{Issue, Report};

/// The longest record a stream takes: past it, an unclosed quote would read
/// the rest of a file of any size into one field, so the stream stops.
pub const MAX_RECORD_BYTES: usize = 1 << 20;

/// Where the byte scanner is inside a record.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Scan {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: `""` (back to quoted) or the close.
    QuoteSeen,
}

/// An incremental leads CSV reader.
///
/// ```
/// use agoralia::csv::{CsvOptions, LeadsCsvStream};
/// let mut s = LeadsCsvStream::new(CsvOptions::default());
/// let a = s.push(b"id,phone,city\nl1,+3934012345");
/// assert_eq!(a.item_count, 0); // the row is not complete yet
/// let b = s.push(b"67,Roma\nl2,call me,\n");
/// assert_eq!(b.items, r#"{"external_id":"l1","phone":"+393401234567","data":{"city":"Roma"}}"#);
/// assert!(b.rejects.starts_with("id,phone,city,_row,_issue\r\nl2,call me,,3,\"phone: "));
/// let end = s.finish();
/// assert_eq!((end.rows, end.fatal), (2, false));
/// ```
pub struct LeadsCsvStream {
    options: CsvOptions,
    /// Bytes not yet part of a complete record.
    pending: Vec<u8>,
    /// How far into `pending` the scanner has read, in `state`.
    scanned: usize,
    state: Scan,
    /// The BOM is looked for (and dropped) once, at the very start.
    started: bool,
    delimiter: Option<char>,
    cp1252: bool,
    header: Option<Header>,
    /// The number of the next record (the header is row 1).
    next_row: usize,
    rows: usize,
    seen: SeenHashes,
    /// Set by [`LeadsCsvStream::with_batches`]: leads go into request bodies, not `items`.
    batcher: Option<Batcher>,
    /// A record too long: nothing more is read.
    stopped: bool,
    rejects_header_written: bool,
}

struct Header {
    /// `None` when external_id or phone has no column: no row can be a lead.
    columns: Option<Vec<(Column, Cow<'static, str>)>>,
    /// The header as written, for the rejects file.
    fields: Vec<String>,
}

/// What one [`LeadsCsvStream::push`] or [`LeadsCsvStream::finish`] produced.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct StreamChunk {
    /// The leads of the rows completed by this chunk, as JSON objects joined by commas.
    pub item_count: usize,
    pub items: String,
    /// With [`LeadsCsvStream::with_batches`], the request bodies completed by
    /// this chunk (the leads are in these, not in `items`).
    pub batches: Vec<String>,
    /// The issues of those rows (and of the header, once).
    pub issues: Report,
    /// Rejected rows as CSV in the file's delimiter: their original fields
    /// plus `_row` and `_issue`, the header first (in the first chunk with a rejected row).
    pub rejects: String,
    pub rejected: usize,
    /// Data rows read so far (blank lines not counted).
    pub rows: usize,
    /// The header is unusable (no external_id or phone column), or a record
    /// was too long: nothing from this file can be sent.
    pub fatal: bool,
}

impl StreamChunk {
    /// `{"items":[...], "issues":[...], "rowCount":n, "valid":b, "rejects":"...", "rejected":k, "fatal":b, "leads":n}`
    /// (`leads` counts the leads of the chunk, in `items` or in `batches`).
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(self.items.len() + 64);
        out.push_str("{\"items\":[");
        out.push_str(&self.items);
        out.push_str("],\"rejects\":");
        write_json_string(&mut out, &self.rejects);
        out.push_str(&format!(",\"rejected\":{},\"fatal\":{},\"leads\":{},", self.rejected, self.fatal, self.item_count));
        write_tail(&mut out, &self.issues, self.rows);
        out
    }
}

impl LeadsCsvStream {
    /// A stream with these options (delimiter, country code, mapping, data columns).
    pub fn new(options: CsvOptions) -> LeadsCsvStream {
        LeadsCsvStream::with_limits(options, MAX_TRACKED_IDS)
    }

    /// [`LeadsCsvStream::new`] with duplicate ids tracked for the first `tracked_ids` leads.
    pub fn with_limits(options: CsvOptions, tracked_ids: usize) -> LeadsCsvStream {
        LeadsCsvStream {
            delimiter: options.delimiter,
            options,
            pending: Vec::new(),
            scanned: 0,
            state: Scan::FieldStart,
            started: false,
            cp1252: false,
            header: None,
            next_row: 1,
            rows: 0,
            seen: SeenHashes::new(tracked_ids),
            batcher: None,
            stopped: false,
            rejects_header_written: false,
        }
    }

    /// Leads go into `POST /leads:upsert` bodies for `campaign_id` of
    /// `size` leads each ([`StreamChunk::batches`]), the last one closed by
    /// [`LeadsCsvStream::finish`]; `items` stays empty.
    ///
    /// ```
    /// use agoralia::csv::{CsvOptions, LeadsCsvStream};
    /// let mut s = LeadsCsvStream::new(CsvOptions::default()).with_batches(5, 2);
    /// let a = s.push(b"id,phone\nl1,+393401234567\nl2,+393401234568\nl3,+393401234569\n");
    /// assert_eq!(a.batches, [r#"{"campaign_id":5,"items":[{"external_id":"l1","phone":"+393401234567"},{"external_id":"l2","phone":"+393401234568"}]}"#]);
    /// assert_eq!((a.item_count, a.items.as_str()), (3, ""));
    /// assert_eq!(s.finish().batches.len(), 1); // l3
    /// ```
    pub fn with_batches(mut self, campaign_id: u64, size: usize) -> LeadsCsvStream {
        self.batcher = Some(Batcher::new(campaign_id, size));
        self
    }

    /// Reads the next bytes of the file.
    pub fn push(&mut self, bytes: &[u8]) -> StreamChunk {
        if !self.stopped {
            self.pending.extend_from_slice(bytes);
        }
        self.drain(false)
    }

    /// Reads what is left (a last row without a line break) and the
    /// file-level issues (`empty_csv`, `no_rows`).
    pub fn finish(&mut self) -> StreamChunk {
        let mut out = self.drain(true);
        if let (Some(b), false) = (&mut self.batcher, self.stopped) {
            b.close(&mut out.batches);
        }
        match &self.header {
            None if !self.stopped => {
                out.issues.push(empty_csv());
                out.fatal = true;
            }
            Some(h) if h.columns.is_some() && self.rows == 0 => out.issues.push(no_rows()),
            _ => {}
        }
        out
    }

    fn drain(&mut self, last: bool) -> StreamChunk {
        let mut out = StreamChunk::default();
        if !self.started {
            const BOM: &[u8] = b"\xEF\xBB\xBF";
            if !last && self.pending.len() < BOM.len() && BOM.starts_with(&self.pending) {
                return self.done(out);
            }
            if self.pending.starts_with(BOM) {
                self.pending.drain(..BOM.len());
            }
            self.started = true;
        }
        if self.stopped {
            self.pending.clear();
            return self.done(out);
        }
        if self.delimiter.is_none() {
            match first_line_end(&self.pending) {
                Some(end) => self.delimiter = Some(detect_delimiter(&String::from_utf8_lossy(&self.pending[..end]))),
                None if last => self.delimiter = Some(detect_delimiter(&String::from_utf8_lossy(&self.pending))),
                None if self.pending.len() > MAX_RECORD_BYTES => return self.too_long(out),
                None => return self.done(out),
            }
        }
        let Some(ends) = self.scan(last) else { return self.too_long(out) };
        if let Some(&end) = ends.last() {
            let region = std::mem::take(&mut self.pending);
            self.read_region(&region[..end], &ends, &mut out);
            self.pending = region;
            self.pending.drain(..end);
            self.scanned -= end;
        }
        self.done(out)
    }

    fn done(&self, mut out: StreamChunk) -> StreamChunk {
        out.rows = self.rows;
        out.fatal = self.stopped || self.header.as_ref().is_some_and(|h| h.columns.is_none());
        out
    }

    fn too_long(&mut self, mut out: StreamChunk) -> StreamChunk {
        self.stopped = true;
        self.pending = Vec::new();
        out.issues.push(Issue::error(
            vec![PathSeg::from("rows"), PathSeg::Index(self.next_row)],
            "csv_record_too_long",
            format!(
                "row {} is longer than {} MiB: most likely a quote that is never closed; nothing after it was read",
                self.next_row,
                MAX_RECORD_BYTES >> 20
            ),
        ));
        self.done(out)
    }

    /// Scans on from `scanned`, returning where each complete record ends
    /// (after its line break); `None` when a record is longer than allowed.
    fn scan(&mut self, last: bool) -> Option<Vec<usize>> {
        let delimiter = self.delimiter.map(|c| c as u32 as u8).unwrap_or(b',');
        let bytes = &self.pending;
        let mut ends = Vec::new();
        let mut record_start = 0;
        let mut i = self.scanned;
        let mut state = self.state;
        while let Some(&b) = bytes.get(i) {
            if i - record_start > MAX_RECORD_BYTES {
                return None;
            }
            state = match state {
                Scan::Quoted if b == b'"' => Scan::QuoteSeen,
                Scan::Quoted => Scan::Quoted,
                Scan::QuoteSeen if b == b'"' => Scan::Quoted,
                _ if b == b'\n' => {
                    ends.push(i + 1);
                    record_start = i + 1;
                    Scan::FieldStart
                }
                _ if b == b'\r' => {
                    // CRLF is one line break: wait for the byte after a CR.
                    let end = match bytes.get(i + 1) {
                        Some(b'\n') => i + 2,
                        Some(_) => i + 1,
                        None if last => i + 1,
                        None => break,
                    };
                    ends.push(end);
                    record_start = end;
                    i = end;
                    state = Scan::FieldStart;
                    continue;
                }
                _ if b == delimiter => Scan::FieldStart,
                Scan::FieldStart if b == b'"' => Scan::Quoted,
                _ => Scan::Unquoted,
            };
            i += 1;
        }
        if last && bytes.len() > record_start {
            if bytes.len() - record_start > MAX_RECORD_BYTES {
                return None;
            }
            ends.push(bytes.len());
            record_start = bytes.len();
        }
        // Each record's own bytes: the drained part is gone from `pending`.
        self.state = if record_start == i { Scan::FieldStart } else { state };
        self.scanned = i;
        if ends.is_empty() && i - record_start > MAX_RECORD_BYTES {
            return None;
        }
        Some(ends)
    }

    /// Decodes and reads complete records (`ends` within `region`).
    fn read_region(&mut self, region: &[u8], ends: &[usize], out: &mut StreamChunk) {
        if self.cp1252 {
            return self.read_text(&region.iter().map(|&b| cp1252(b)).collect::<String>(), out);
        }
        match std::str::from_utf8(region) {
            Ok(text) => self.read_text(text, out),
            Err(e) => {
                // The records before the first one that is not UTF-8 stay UTF-8.
                let cut = ends.iter().copied().take_while(|&end| end <= e.valid_up_to()).last().unwrap_or(0);
                self.read_text(&String::from_utf8_lossy(&region[..cut]), out);
                self.cp1252 = true;
                out.issues.push(not_utf8());
                self.read_text(&region[cut..].iter().map(|&b| cp1252(b)).collect::<String>(), out);
            }
        }
    }

    fn read_text(&mut self, text: &str, out: &mut StreamChunk) {
        let delimiter = self.delimiter.unwrap_or(',');
        let mut records = Records::starting_at(text, delimiter, self.next_row);
        let mut fields = Vec::new();
        let mut data = Vec::new();
        while let Some(row) = records.next_into(&mut fields) {
            self.next_row = row + 1;
            let mut report = Report::new();
            for i in records.take_issues() {
                report.push(i);
            }
            let Some(header) = &self.header else {
                let columns = map_header(&fields, &self.options, &mut report)
                    .map(|cs| cs.into_iter().map(|(c, n)| (c, Cow::Owned(n.into_owned()))).collect());
                self.header = Some(Header { columns, fields: fields.iter().map(|f| f.to_string()).collect() });
                out.issues.extend(report);
                continue;
            };
            if is_blank(&fields) {
                out.issues.extend(report);
                continue;
            }
            self.rows += 1;
            let Some(columns) = &header.columns else {
                out.issues.extend(report);
                continue;
            };
            let (items, count, batches) = (&mut out.items, &mut out.item_count, &mut out.batches);
            let batcher = &mut self.batcher;
            let ok = check_row(row, &fields, columns, &self.options, &mut self.seen, &mut data, &mut report, &mut |lead| {
                *count += 1;
                match batcher {
                    Some(b) => b.add(|body| lead.write_json(body), batches),
                    None => {
                        if *count > 1 {
                            items.push(',');
                        }
                        lead.write_json(items);
                    }
                }
            });
            if !ok {
                if !self.rejects_header_written {
                    self.rejects_header_written = true;
                    let kept = header.fields.iter().map(String::as_str).filter(|f| !REJECT_COLUMNS.contains(&f.trim()));
                    write_record(&mut out.rejects, kept.chain(REJECT_COLUMNS), delimiter);
                }
                write_reject(&mut out.rejects, row, &fields, &header.fields, &report, delimiter);
                out.rejected += 1;
            }
            out.issues.extend(report);
        }
    }
}

/// The original fields (padded to the header, a rejects file's own columns
/// left out), the row number and the row's errors.
fn write_reject(out: &mut String, row: usize, fields: &[Cow<'_, str>], header: &[String], report: &Report, delimiter: char) {
    let width = fields.len().max(header.len());
    let kept = (0..width)
        .filter(|&i| !header.get(i).is_some_and(|h| REJECT_COLUMNS.contains(&h.trim())))
        .map(|i| fields.get(i).map(|f| &**f).unwrap_or(""));
    let reason = report
        .errors()
        .map(|i| match i.path.get(2) {
            Some(PathSeg::Key(field)) => format!("{field}: {}", i.message),
            _ => i.message.clone(),
        })
        .collect::<Vec<_>>()
        .join("; ");
    let row = row.to_string();
    write_record(out, kept.chain([row.as_str(), reason.as_str()]), delimiter);
}

/// The end of the header line as `detect_delimiter` sees it: the first line
/// break outside quotes (counted by parity, as it counts).
fn first_line_end(bytes: &[u8]) -> Option<usize> {
    let mut quoted = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv::parse_leads_csv_bytes_to_json;
    use proptest::prelude::*;

    /// Everything a stream produced, pushed in the given pieces.
    fn run(bytes: &[u8], cuts: &[usize], options: &CsvOptions) -> StreamChunk {
        run_stream(LeadsCsvStream::new(options.clone()), bytes, cuts)
    }

    fn run_stream(mut s: LeadsCsvStream, bytes: &[u8], cuts: &[usize]) -> StreamChunk {
        let mut all = StreamChunk::default();
        let mut from = 0;
        let add = |c: StreamChunk, all: &mut StreamChunk| {
            if c.item_count > 0 {
                if all.item_count > 0 {
                    all.items.push(',');
                }
                all.items.push_str(&c.items);
            }
            all.item_count += c.item_count;
            all.batches.extend(c.batches);
            all.issues.issues.extend(c.issues.issues);
            all.rejects.push_str(&c.rejects);
            all.rejected += c.rejected;
            all.rows = c.rows;
            all.fatal = c.fatal;
        };
        let mut cuts = cuts.iter().map(|&c| c.min(bytes.len())).collect::<Vec<_>>();
        cuts.sort();
        for cut in cuts {
            add(s.push(&bytes[from..cut]), &mut all);
            from = cut;
        }
        add(s.push(&bytes[from..]), &mut all);
        add(s.finish(), &mut all);
        all
    }

    #[test]
    fn quoted_newline_crlf_and_bom_across_borders() {
        let text = "\u{FEFF}id;phone;note\r\nl1;+393401234567;\"two\r\nlines\"\r\nl2;+393401234568;\"say \"\"hi\"\"\"\r\n";
        let bytes = text.as_bytes();
        let whole = run(bytes, &[], &CsvOptions::default());
        assert_eq!(whole.item_count, 2);
        assert!(whole.issues.issues.is_empty(), "{:?}", whole.issues);
        for cut in 0..=bytes.len() {
            assert_eq!(run(bytes, &[cut], &CsvOptions::default()), whole, "cut at {cut}");
        }
    }

    #[test]
    fn multibyte_split_and_windows_1252_fallback() {
        let utf8 = "id,phone,name\nl1,+393401234567,Nicolò\n".as_bytes();
        for cut in 0..utf8.len() {
            let r = run(utf8, &[cut], &CsvOptions::default());
            assert!(r.items.contains("Nicolò"), "cut {cut}: {}", r.items);
        }
        let mixed = b"id,phone,name\nl1,+393401234567,Nicol\xC3\xB2\nl2,+393401234568,Nicol\xF2\n";
        let r = run(mixed, &[], &CsvOptions::default());
        assert_eq!(r.items.matches("Nicolò").count(), 2);
        assert_eq!(r.issues.issues.iter().map(|i| i.code).collect::<Vec<_>>(), vec!["not_utf8"]);
    }

    #[test]
    fn rejects_reimport_as_they_are() {
        let csv = b"Codice cliente,Cellulare,city,notes\nc1,+393401234567,Roma,x\nc2,bad,Milano,y\n,+393401234569,Napoli,\"a,b\"\n";
        let mut o = CsvOptions::default();
        o.map.external_id = Some("Codice cliente".into());
        o.map.phone = Some("cellulare".into());
        o.data = Some(vec!["city".into()]);
        let r = run(csv, &[], &o);
        assert_eq!(r.items, r#"{"external_id":"c1","phone":"+393401234567","data":{"city":"Roma"}}"#);
        assert_eq!(r.rejected, 2);
        let mut lines = r.rejects.split("\r\n");
        assert_eq!(lines.next(), Some("Codice cliente,Cellulare,city,notes,_row,_issue"));
        let line = lines.next().unwrap();
        assert!(line.starts_with("c2,bad,Milano,y,3,\"phone: "), "{line}");
        assert_eq!(lines.next(), Some(",+393401234569,Napoli,\"a,b\",4,external_id: external_id is empty: each lead needs your own unique id"));
        // Fixed and fed back: the _row and _issue columns are left out.
        let fixed = r.rejects.replace("c2,bad", "c2,+393401234568").replace("\r\n,+39", "\r\nc3,+39");
        let again = run(fixed.as_bytes(), &[], &o);
        assert_eq!(again.rejected, 0, "{:?}", again.issues);
        assert_eq!(again.item_count, 2);
        assert!(!again.items.contains("_issue") && !again.items.contains("notes"));
    }

    #[test]
    fn an_unclosed_quote_stops_at_the_record_limit() {
        let mut s = LeadsCsvStream::new(CsvOptions::default());
        assert!(!s.push(b"id,phone\nl1,\"+39").fatal);
        let chunk = vec![b'x'; 64 << 10];
        let mut stopped = None;
        for n in 0..40 {
            let c = s.push(&chunk);
            if c.fatal {
                stopped = Some((n, c));
                break;
            }
        }
        let (n, c) = stopped.expect("stops");
        assert_eq!(n, 15, "the 16th chunk of 64 KiB takes the record past 1 MiB");
        assert_eq!(c.issues.issues[0].code, "csv_record_too_long");
        assert!(s.pending.capacity() < 64 << 10, "the stopped stream keeps nothing");
        assert!(s.push(b"\nl2,+393401234567\n").items.is_empty());
    }

    #[test]
    fn header_problems_are_fatal() {
        assert!(run(b"", &[], &CsvOptions::default()).fatal);
        let r = run(b"name,tel\nAda,+393401234567\n", &[], &CsvOptions::default());
        assert!(r.fatal && r.item_count == 0 && r.rows == 1);
        assert!(!run(b"id,phone\n", &[], &CsvOptions::default()).fatal);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]
        /// Any split of the same bytes reads as the whole; and the whole, for
        /// UTF-8 text, reads as `parse_leads_csv` reads the text.
        #[test]
        fn any_split_reads_as_the_whole(
            head in prop::sample::select(vec!["id,phone,name,city\n", "phone;id;x;x\n", "id,phone,mobile,\n", "name,tel\n", "", "\"id\",\"phone\"\r\n", "\u{FEFF}id\tphone\n"]),
            body in "[a1+39 40,;\t\"\r\n\\\\xé€]{0,80}",
            latin in any::<bool>(),
            cuts in prop::collection::vec(0usize..120, 0..6),
            normalize_phones in any::<bool>(),
        ) {
            let mut bytes = format!("{head}{body}").into_bytes();
            if latin {
                // A Windows-1252 byte somewhere: the fallback starts mid-file.
                let at = bytes.len() / 2;
                bytes.insert(at, 0xE9);
            }
            let o = CsvOptions { normalize_phones, default_country_code: Some("39".into()), ..Default::default() };
            let whole = run(&bytes, &[], &o);
            prop_assert_eq!(&run(&bytes, &cuts, &o), &whole);
            // In request bodies of 3: the same leads, whatever the split.
            let batched = run_stream(LeadsCsvStream::new(o.clone()).with_batches(9, 3), &bytes, &cuts);
            let prefix = r#"{"campaign_id":9,"items":["#;
            let well_formed = batched.batches.iter().all(|b| b.starts_with(prefix) && b.ends_with("]}"));
            prop_assert!(well_formed);
            let leads: Vec<&str> = batched.batches.iter().map(|b| &b[prefix.len()..b.len() - 2]).collect();
            prop_assert_eq!(leads.join(","), whole.items.clone());
            prop_assert_eq!(batched.batches.len(), whole.item_count.div_ceil(3));
            if let Ok(text) = std::str::from_utf8(&bytes) {
                let (want, got) = (parse_leads_csv_bytes_to_json(text.as_bytes(), &o, true), whole.to_json());
                let (want, got) = (crate::json::parse(&want).unwrap(), crate::json::parse(&got).unwrap());
                prop_assert_eq!(got.get("items"), want.get("items"));
                prop_assert_eq!(got.get("issues"), want.get("issues"));
                prop_assert_eq!(got.get("rowCount"), want.get("rowCount"));
            }
        }
    }
}
