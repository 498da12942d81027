//! Strict RFC 8259 parser with a nesting limit and optional position table.

use super::{Number, Object, PathSeg, Value};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt;

/// Deepest nesting of arrays/objects [`parse`] accepts. Deeper input gets a
/// [`ParseError`] instead of exhausting the stack (the parser, the writer,
/// the validators and even `Drop` of a `Value` recurse over nesting).
pub const MAX_DEPTH: usize = 256;

/// A place in the source text. `line` and `column` are 1-based; `column`
/// counts UTF-16 code units, as JavaScript strings and code editors
/// (CodeMirror, Monaco) do, so it can be used directly in an editor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// Byte offset into the UTF-8 text (0-based).
    pub offset: usize,
    /// Line number, 1-based (lines end at `\n`).
    pub line: usize,
    /// Column number, 1-based, in UTF-16 code units.
    pub column: usize,
}

/// Why text is not JSON, and where.
///
/// ```
/// use agoralia::json::parse;
/// let err = parse("{\n  \"a\": 1,\n}").unwrap_err();
/// assert_eq!((err.line, err.column), (3, 1));
/// assert!(err.message.contains("trailing comma"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong, for people.
    pub message: String,
    /// Byte offset of the problem.
    pub offset: usize,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in UTF-16 code units.
    pub column: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at line {}, column {}", self.message, self.line, self.column)
    }
}

impl std::error::Error for ParseError {}

/// Parses JSON text (RFC 8259, strict: no comments, no trailing commas, no
/// leading zeros, no unescaped control characters, exactly one value with
/// only whitespace around it).
///
/// A lone UTF-16 surrogate escape such as `"\ud800"` (which JavaScript's
/// `JSON.stringify` can produce) decodes to U+FFFD rather than failing:
/// validation should not refuse text the browser itself produced.
///
/// ```
/// use agoralia::json::{parse, Value};
/// assert_eq!(parse(" [1, \"two\"] ").unwrap().as_array().unwrap().len(), 2);
/// assert!(parse("[1,]").is_err());
/// assert!(parse("01").is_err());
/// ```
pub fn parse(text: &str) -> Result<Value<'_>, ParseError> {
    let mut p = Parser::new(text, false);
    p.parse_document()
}

/// Parses like [`parse`] and also returns a [`Spans`] table that gives the
/// line and column where each value starts, addressed by JSON path.
///
/// ```
/// use agoralia::json::{parse_with_spans, PathSeg};
/// let text = "{\n  \"items\": [\n    {\"phone\": \"123\"}\n  ]\n}";
/// let (_value, spans) = parse_with_spans(text).unwrap();
/// let path = [PathSeg::from("items"), PathSeg::from(0usize), PathSeg::from("phone")];
/// let pos = spans.get(&path).unwrap();
/// assert_eq!((pos.line, pos.column), (3, 15));
/// ```
pub fn parse_with_spans(text: &str) -> Result<(Value<'_>, Spans<'_>), ParseError> {
    let mut p = Parser::new(text, true);
    let value = p.parse_document()?;
    Ok((value, Spans { nodes: p.spans, ..Spans::for_text(text) }))
}

/// Positions of every value of a parsed document, by JSON path.
///
/// A flat table in document order rather than a tree, with byte offsets
/// only: keys are re-read from the text when a path is looked up, and lines
/// and columns are counted only for the positions asked for. Copying every
/// key and counting every value's column cost more than the parse itself,
/// for a handful of issues to place.
#[derive(Debug, Clone, Default)]
pub struct Spans<'a> {
    text: &'a str,
    /// Every value, in document order (a value before its children).
    nodes: Vec<SpanNode>,
    /// The last position counted: lookups come in roughly document order,
    /// so counting on from there keeps many lookups linear in the text.
    cur: Cell<Position>,
    /// Positions every [`MARK_EVERY`] bytes up to `cur`, so a lookup behind
    /// the last one counts on from a nearby mark instead of the start.
    marks: RefCell<Vec<Position>>,
    /// The last array element found by index: `(array node, index, node)`.
    /// Issues come in document order, so the next lookup in the same array
    /// walks on from there instead of from its first element.
    last_index: Cell<Option<(usize, usize, usize)>>,
}

/// Distance between the position marks of [`Spans`].
const MARK_EVERY: usize = 4096;

#[derive(Debug, Clone, Copy)]
struct SpanNode {
    /// Byte offset where the value starts.
    at: usize,
    /// For an object member: byte offset of its key's opening quote.
    key: Option<usize>,
    /// Index in `nodes` just past this value's descendants (its next sibling).
    end: usize,
}

const START: Position = Position { offset: 0, line: 1, column: 1 };

/// The position of byte `offset`, counting on from `from` (an earlier
/// position in the same text) or from the start when `offset` is before it.
/// `marks`, when given, receives a position every [`MARK_EVERY`] bytes passed.
#[cfg_attr(agoralia_speed, optimize(speed))]
fn position_from(text: &str, from: Position, offset: usize, mut marks: Option<&mut Vec<Position>>) -> Position {
    let offset = offset.min(text.len());
    let mut p = if offset < from.offset { START } else { from };
    // Bytes, not chars: a line feed is one byte, and a character counts one
    // UTF-16 unit at its first byte, two if it is outside the BMP (4 bytes).
    let bytes = text.as_bytes();
    let mut next_mark = (p.offset / MARK_EVERY + 1) * MARK_EVERY;
    let mut i = p.offset;
    while i < offset {
        if i >= next_mark {
            if let Some(m) = marks.as_deref_mut() {
                m.push(Position { offset: i, ..p });
            }
            next_mark = (i / MARK_EVERY + 1) * MARK_EVERY;
        }
        // A tight loop over whole words up to the next mark: eight bytes of
        // ASCII without a line feed are eight columns at once.
        let stop = offset.min(next_mark);
        while let Some(c) = bytes.get(i..i + 8).filter(|_| i + 8 <= stop) {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            let lf = w ^ 0x0a0a_0a0a_0a0a_0a0a;
            if (lf.wrapping_sub(0x0101_0101_0101_0101) & !lf | w) & 0x8080_8080_8080_8080 != 0 {
                break;
            }
            p.column += 8;
            i += 8;
        }
        if i >= stop {
            continue;
        }
        let b = bytes[i];
        if b == b'\n' {
            p.line += 1;
            p.column = 1;
        } else if b & 0xC0 != 0x80 {
            p.column += if b >= 0xF0 { 2 } else { 1 };
        }
        i += 1;
    }
    p.offset = offset;
    p
}

impl<'a> Spans<'a> {
    /// A table with no values, for positions of byte offsets only.
    pub(crate) fn for_text(text: &'a str) -> Spans<'a> {
        Spans { text, nodes: Vec::new(), cur: Cell::new(START), marks: RefCell::new(Vec::new()), last_index: Cell::new(None) }
    }

    /// Where the value at `path` starts, if the path exists.
    pub fn get(&self, path: &[PathSeg]) -> Option<Position> {
        let (node, rest) = self.walk(path);
        if rest == 0 {
            Some(self.position(node.at))
        } else {
            None
        }
    }

    /// Where the value at `path` starts, or where its nearest existing
    /// ancestor starts (an issue about a missing key points at the object
    /// that should hold it). For an object member, if only the last step is
    /// missing the parent object is used.
    ///
    /// ```
    /// use agoralia::json::{parse_with_spans, PathSeg};
    /// let (_v, spans) = parse_with_spans("{\n \"a\": {}\n}").unwrap();
    /// let pos = spans.locate(&[PathSeg::from("a"), PathSeg::from("missing")]);
    /// assert_eq!((pos.line, pos.column), (2, 7));
    /// ```
    pub fn locate(&self, path: &[PathSeg]) -> Position {
        self.position(self.walk(path).0.at)
    }

    /// Where the *key* of the member at `path` starts (for an object
    /// member), else the same as [`Spans::locate`]. Editors underline the key
    /// of an unknown keyword rather than its value.
    pub fn locate_key(&self, path: &[PathSeg]) -> Position {
        let (node, rest) = self.walk(path);
        match (node.key, rest) {
            (Some(k), 0) => self.position(k),
            _ => self.position(node.at),
        }
    }

    /// The position of byte `offset` (lookups in document order are cheapest).
    pub(crate) fn position(&self, offset: usize) -> Position {
        let cur = self.cur.get();
        if offset >= cur.offset {
            let p = position_from(self.text, cur, offset, Some(&mut self.marks.borrow_mut()));
            self.cur.set(p);
            return p;
        }
        // Behind the frontier: count on from the mark just before `offset`.
        let marks = self.marks.borrow();
        let from = match marks.partition_point(|m| m.offset <= offset) {
            0 => START,
            i => marks[i - 1],
        };
        position_from(self.text, from, offset, None)
    }

    /// Returns the deepest node reached and how many steps were left over.
    fn walk(&self, path: &[PathSeg]) -> (SpanNode, usize) {
        let mut at = 0; // index of the current node
        for (i, seg) in path.iter().enumerate() {
            let Some(node) = self.nodes.get(at) else { return (SpanNode { at: 0, key: None, end: 0 }, path.len()) };
            // The children: from the next node up to `end`, each followed by
            // its own descendants. A repeated key finds the last member.
            let (mut c, mut n, mut found) = (at + 1, 0, None);
            if let (PathSeg::Index(k), Some((array, i, node))) = (seg, self.last_index.get()) {
                if array == at && i <= *k {
                    (c, n) = (node, i);
                }
            }
            while c < node.end {
                let child = self.nodes[c];
                let hit = match seg {
                    PathSeg::Index(k) => child.key.is_none() && n == *k,
                    PathSeg::Key(k) => child.key.is_some_and(|o| self.key_at(o).is_some_and(|s| s == k.as_str())),
                };
                if hit {
                    found = Some(c);
                    if matches!(seg, PathSeg::Index(_)) {
                        self.last_index.set(Some((at, n, c)));
                        break;
                    }
                }
                n += 1;
                c = child.end;
            }
            match found {
                Some(c) => at = c,
                None => return (*node, path.len() - i),
            }
        }
        (self.nodes.get(at).copied().unwrap_or(SpanNode { at: 0, key: None, end: 0 }), 0)
    }

    /// The (decoded) key whose opening quote is at byte `offset`.
    fn key_at(&self, offset: usize) -> Option<Cow<'_, str>> {
        let mut p = Parser::new(self.text, false);
        p.pos = offset;
        p.parse_string().ok()
    }
}

/// A cursor over JSON text for a validator that streams a document instead
/// of building its tree (10 000 leads). It accepts exactly what [`parse`]
/// accepts: every method returns `None` where `parse` would fail, and the
/// caller then falls back to `parse` for the error message.
pub(crate) struct Scanner<'a>(Parser<'a>);

impl<'a> Scanner<'a> {
    /// A scanner at the first value of `text`, or `None` for text `parse`
    /// refuses before any value (a byte order mark, nothing but blanks).
    pub(crate) fn new(text: &'a str) -> Option<Scanner<'a>> {
        let mut p = Parser::new(text, false);
        if text.starts_with('\u{FEFF}') {
            return None;
        }
        p.skip_ws();
        p.peek()?;
        Some(Scanner(p))
    }

    /// Byte offset of the cursor.
    pub(crate) fn pos(&self) -> usize {
        self.0.pos
    }

    /// The next byte after any blanks.
    #[inline(always)]
    pub(crate) fn peek(&mut self) -> Option<u8> {
        self.0.skip_ws();
        self.0.peek()
    }

    /// Consumes `b` (after blanks) if it is next.
    #[cfg_attr(agoralia_speed, optimize(speed))]
    pub(crate) fn eat(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        self.0.pos += hit as usize;
        hit
    }

    /// Where the next value starts (after blanks), if there is one.
    pub(crate) fn value_start(&mut self) -> Option<usize> {
        self.peek()?;
        Some(self.0.pos)
    }

    /// Opens an array or object (`open` is `[` or `{`), counting its nesting:
    /// `Some(true)` when members follow, `Some(false)` when it is empty (and
    /// already closed again).
    pub(crate) fn open(&mut self, open: u8) -> Option<bool> {
        if self.peek() != Some(open) {
            return None;
        }
        self.0.enter().ok()?;
        self.0.pos += 1;
        Some(!self.end(if open == b'[' { b']' } else { b'}' }))
    }

    /// After a member or element: `Some(true)` past a `,`, `Some(false)` past
    /// the `close` bracket (the container is then closed).
    pub(crate) fn more(&mut self, close: u8) -> Option<bool> {
        if self.eat(b',') {
            return Some(true);
        }
        self.end(close).then_some(false)
    }

    /// Eats `close` if it is next, and closes the container it ends.
    fn end(&mut self, close: u8) -> bool {
        let hit = self.eat(close);
        self.0.depth -= hit as usize;
        hit
    }

    /// An object key and its colon.
    #[cfg_attr(agoralia_speed, optimize(speed))]
    pub(crate) fn key(&mut self) -> Option<Cow<'a, str>> {
        if self.peek() != Some(b'"') {
            return None;
        }
        let k = self.0.parse_string().ok()?;
        self.eat(b':').then_some(k)
    }

    /// The next value, shallow: strings, numbers and literals as parsed;
    /// an array or object checked and given back empty (only its type is
    /// needed), so nothing is allocated for it.
    #[cfg_attr(agoralia_speed, optimize(speed))]
    pub(crate) fn shallow(&mut self) -> Option<Value<'a>> {
        Some(match self.peek()? {
            b'[' => {
                self.0.skip_value().ok()?;
                Value::Array(Vec::new())
            }
            b'{' => {
                self.0.skip_value().ok()?;
                Value::Object(Object::new())
            }
            // Strings, most values here, without the dispatch of `parse_value`.
            b'"' => Value::String(self.0.parse_string().ok()?),
            _ => self.0.parse_value(None).ok()?,
        })
    }

    /// True when only blanks are left.
    pub(crate) fn at_end(&mut self) -> bool {
        self.peek().is_none()
    }
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    with_spans: bool,
    /// The span table being built (when `with_spans`).
    spans: Vec<SpanNode>,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, with_spans: bool) -> Parser<'a> {
        Parser { text, bytes: text.as_bytes(), pos: 0, depth: 0, with_spans, spans: Vec::new() }
    }

    fn error_at(&mut self, offset: usize, message: impl Into<String>) -> ParseError {
        let p = position_from(self.text, START, offset, None);
        ParseError { message: message.into(), offset: p.offset, line: p.line, column: p.column }
    }

    fn err(&mut self, message: impl Into<String>) -> ParseError {
        self.error_at(self.pos, message)
    }

    #[inline(always)]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    // The scanning loops below index the byte slice directly instead of
    // calling `peek` per byte: at opt-level "z" `peek` is not inlined, and a
    // call per byte was a sixth of the parse time in wasm.
    #[inline(always)]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// Moves past the longest run of string bytes that need no decoding:
    /// eight at a time while none of them is `"`, `\\` or a control byte.
    #[inline(always)]
    fn plain_run(&mut self) {
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        // The high bit of each byte of `x` that is zero (exact for the
        // lowest such byte, which is the one wanted).
        let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
        let bytes = self.bytes;
        let mut i = self.pos;
        while let Some(chunk) = bytes.get(i..i + 8) {
            let w = u64::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7]]);
            // Bytes < 0x20: `w - 0x20..` borrows there (a byte >= 0x80 has
            // its high bit cleared by `!w`, so it never counts).
            let special = zero(w ^ (ONES * b'"' as u64)) | zero(w ^ (ONES * b'\\' as u64)) | (w.wrapping_sub(ONES * 0x20) & !w & HIGH);
            if special != 0 {
                self.pos = i + (special.trailing_zeros() / 8) as usize;
                return;
            }
            i += 8;
        }
        while let Some(&b) = bytes.get(i) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                break;
            }
            i += 1;
        }
        self.pos = i;
    }

    fn parse_document(&mut self) -> Result<Value<'a>, ParseError> {
        if self.bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            return Err(self.err("byte order mark (U+FEFF) before JSON text"));
        }
        self.skip_ws();
        if self.peek().is_none() {
            return Err(self.err("empty input: expected a JSON value"));
        }
        let v = self.parse_value(None)?;
        self.skip_ws();
        if self.pos < self.bytes.len() {
            return Err(self.err("unexpected text after the JSON value"));
        }
        Ok(v)
    }

    fn unexpected(&mut self, expected: &str) -> ParseError {
        match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            None => self.err(format!("unexpected end of input: expected {expected}")),
            Some(c) => self.err(format!("unexpected character \"{c}\": expected {expected}")),
        }
    }

    /// Parses one value; `key` is where the key of the member it belongs to
    /// starts (for the span table).
    fn parse_value(&mut self, key: Option<usize>) -> Result<Value<'a>, ParseError> {
        let node = self.spans.len();
        if self.with_spans {
            self.spans.push(SpanNode { at: self.pos, key, end: 0 });
        }
        let v = match self.peek() {
            Some(b'{') => self.container(b'}', true)?,
            Some(b'[') => self.container(b']', true)?,
            Some(b'"') => Value::String(self.parse_string()?),
            Some(b'-' | b'0'..=b'9') => Value::Number(self.parse_number()?),
            Some(b't') => {
                self.literal("true")?;
                Value::Bool(true)
            }
            Some(b'f') => {
                self.literal("false")?;
                Value::Bool(false)
            }
            Some(b'n') => {
                self.literal("null")?;
                Value::Null
            }
            _ => return Err(self.unexpected("a JSON value")),
        };
        if self.with_spans {
            self.spans[node].end = self.spans.len();
        }
        Ok(v)
    }

    /// Checks one value like [`Parser::parse_value`] without building it:
    /// `Err` exactly where `parse_value` fails, with the same nesting limit.
    fn skip_value(&mut self) -> Result<(), ParseError> {
        match self.peek() {
            Some(b'{') => self.container(b'}', false).map(drop),
            Some(b'[') => self.container(b']', false).map(drop),
            Some(b'"') => self.skip_string(),
            Some(b'-' | b'0'..=b'9') => self.parse_number().map(drop),
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            _ => Err(self.unexpected("a JSON value")),
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), ParseError> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word.as_bytes()) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.err(format!("invalid literal: expected {word}")))
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    /// Parses an array or an object (`close` is `]` or `}`). Without
    /// `build` it only checks the text and returns `Null`: the streaming
    /// validators need a container's type, not its tree, and one loop for
    /// both keeps them accepting exactly the same text.
    fn container(&mut self, close: u8, build: bool) -> Result<Value<'a>, ParseError> {
        self.enter()?;
        self.pos += 1; // '[' or '{'
        let object = close == b'}';
        let mut items = Vec::new();
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(close) {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                let mut key = None;
                if object {
                    match self.peek() {
                        Some(b'"') => {}
                        Some(b'}') => return Err(self.err("trailing comma before '}'")),
                        _ => return Err(self.unexpected("a string key in double quotes")),
                    }
                    let key_pos = self.pos;
                    // A key that is only checked is not made (see `skip_string`).
                    let k = if build { Some(self.parse_string()?) } else { self.skip_string().map(|()| None)? };
                    self.skip_ws();
                    if self.peek() != Some(b':') {
                        return Err(self.unexpected("':' after an object key"));
                    }
                    self.pos += 1;
                    self.skip_ws();
                    key = k.map(|k| (key_pos, k));
                } else if self.peek() == Some(b']') {
                    return Err(self.err("trailing comma before ']'"));
                }
                if build {
                    let v = self.parse_value(key.as_ref().map(|k| k.0))?;
                    match key {
                        Some((_, k)) => members.push((k, v)),
                        None => items.push(v),
                    }
                } else {
                    self.skip_value()?;
                }
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(c) if c == close => {
                        self.pos += 1;
                        break;
                    }
                    _ if object => return Err(self.unexpected("',' or '}' after an object member")),
                    _ => return Err(self.unexpected("',' or ']' after an array element")),
                }
            }
        }
        self.depth -= 1;
        Ok(match (build, object) {
            (false, _) => Value::Null,
            (true, true) => Value::Object(Object::from(members)),
            (true, false) => Value::Array(items),
        })
    }

    fn parse_number(&mut self) -> Result<Number<'a>, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.err("leading zeros are not allowed in numbers"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.err("invalid number: expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err("invalid number: expected a digit after '.'"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.err("invalid number: expected a digit in the exponent"));
            }
            self.digits();
        }
        let text = self.text.get(start..self.pos).unwrap_or("0");
        Ok(Number::from_json_text(text))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }

    #[cfg_attr(agoralia_speed, optimize(speed))]
    fn parse_string(&mut self) -> Result<Cow<'a, str>, ParseError> {
        self.pos += 1; // opening quote
        let start = self.pos;
        self.plain_run();
        // Most strings have no escape: a slice of the text, with no String
        // made (or dropped) on the way.
        if self.peek() == Some(b'"') {
            self.pos += 1;
            return Ok(Cow::Borrowed(self.text.get(start..self.pos - 1).unwrap_or("")));
        }
        self.string_with_escapes(start)
    }

    /// Checks a string as [`Parser::parse_string`] does (the same errors)
    /// without making it: one without escapes is only scanned.
    fn skip_string(&mut self) -> Result<(), ParseError> {
        self.pos += 1; // opening quote
        let start = self.pos;
        self.plain_run();
        if self.peek() == Some(b'"') {
            self.pos += 1;
            return Ok(());
        }
        self.string_with_escapes(start).map(drop)
    }

    /// The rest of a string from `start` (its first character) when the
    /// first run of plain characters did not end it.
    #[inline(never)]
    fn string_with_escapes(&mut self, start: usize) -> Result<Cow<'a, str>, ParseError> {
        self.pos = start;
        let mut out = String::new();
        loop {
            // The longest run of plain characters, copied in one go. Run
            // boundaries are ASCII bytes, so the slice is on char bounds.
            let run_start = self.pos;
            self.plain_run();
            let run = self.text.get(run_start..self.pos).unwrap_or("");
            match self.peek() {
                None => return Err(self.err("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    out.push_str(run);
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    out.push_str(run);
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => {
                    return Err(self.err("control character in string: it must be escaped (e.g. \\n)"))
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{08}',
            Some(b'f') => '\u{0C}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let hi = self.hex4()?;
                let c = if (0xD800..0xDC00).contains(&hi) {
                    // A high surrogate: combine with a following low one.
                    if self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u") {
                        let save = self.pos;
                        self.pos += 2;
                        let lo = self.hex4()?;
                        if (0xDC00..0xE000).contains(&lo) {
                            let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                            char::from_u32(cp).unwrap_or('\u{FFFD}')
                        } else {
                            self.pos = save;
                            '\u{FFFD}'
                        }
                    } else {
                        '\u{FFFD}'
                    }
                } else {
                    char::from_u32(hi).unwrap_or('\u{FFFD}')
                };
                out.push(c);
                return Ok(());
            }
            None => return Err(self.err("unterminated string")),
            Some(_) => return Err(self.err("invalid escape: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")),
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let mut v: u32 = 0;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.err("invalid \\u escape: expected 4 hex digits")),
            };
            v = v * 16 + d as u32;
            self.pos += 1;
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> ParseError {
        parse(text).expect_err(text)
    }

    #[test]
    fn scalars() {
        assert_eq!(parse("null").unwrap(), Value::Null);
        assert_eq!(parse(" true ").unwrap(), Value::Bool(true));
        assert_eq!(parse("false").unwrap(), Value::Bool(false));
        assert_eq!(parse("\"x\"").unwrap(), Value::String("x".into()));
        assert_eq!(parse("-0").unwrap().as_i64(), Some(0));
        assert_eq!(parse("1.5E+2").unwrap().as_f64(), Some(150.0));
    }

    #[test]
    fn objects_keep_order_and_last_duplicate_wins() {
        let v = parse(r#"{"b":1,"a":2,"b":3}"#).unwrap();
        let o = v.as_object().unwrap();
        assert_eq!(o.keys().collect::<Vec<_>>(), vec!["b", "a", "b"]);
        assert_eq!(o.get("b").unwrap().as_i64(), Some(3));
    }

    #[test]
    fn string_escapes() {
        let v = parse(r#""a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00""#).unwrap();
        assert_eq!(v.as_str().unwrap(), "a\"\\/\u{8}\u{c}\n\r\té😀");
        // Lone surrogates become U+FFFD rather than failing.
        assert_eq!(parse(r#""\ud800""#).unwrap().as_str().unwrap(), "\u{FFFD}");
        assert_eq!(parse(r#""\udc00x""#).unwrap().as_str().unwrap(), "\u{FFFD}x");
        assert_eq!(parse(r#""\ud800\u0041""#).unwrap().as_str().unwrap(), "\u{FFFD}A");
        assert_eq!(parse("\"é漢字\"").unwrap().as_str().unwrap(), "é漢字");
    }

    #[test]
    fn rejects_non_json() {
        for bad in [
            "", " ", "[1,]", "{\"a\":1,}", "01", "-", "1.", ".5", "1e", "+1", "NaN", "Infinity",
            "'a'", "{a:1}", "[1 2]", "{\"a\" 1}", "\"\\x\"", "\"\\u12\"", "\"a\nb\"", "tru", "nul",
            "[", "{", "\"abc", "1 2", "// c\n1", "/* c */1", "[1]]", "{\"a\":1}}", "\u{feff}1", "\u{a0}1",
            "[-]", "0x10", "1e+", "\"\t\"",
        ] {
            assert!(parse(bad).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn error_positions() {
        let e = err("{\n  \"a\": tru\n}");
        assert_eq!((e.line, e.column), (2, 8));
        assert_eq!(e.offset, 9);
        let e = err("[1,\n]");
        assert!(e.message.contains("trailing comma"), "{}", e.message);
        assert_eq!((e.line, e.column), (2, 1));
        // Columns count UTF-16 units: "😀" is 2 units.
        let e = err("[\"😀\", x]");
        assert_eq!(e.column, 8);
        assert!(e.to_string().contains("line 1, column 8"));
        let e = err("");
        assert!(e.message.contains("empty"));
        let e = err("{\"a\":1");
        assert!(e.message.contains("end of input"), "{}", e.message);
    }

    #[test]
    fn depth_limit_is_an_error_not_a_crash() {
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert!(err(&deep).message.contains("nesting"));
        let very_deep = "{\"a\":".repeat(1_000_000);
        assert!(err(&very_deep).message.contains("nesting"));
    }

    #[test]
    fn spans_by_path() {
        let text = "{\n  \"name\": \"x\",\n  \"items\": [\n    1,\n    {\"phone\": \"+1\"}\n  ]\n}";
        let (v, spans) = parse_with_spans(text).unwrap();
        assert_eq!(v, parse(text).unwrap());
        let root = spans.get(&[]).unwrap();
        assert_eq!((root.line, root.column), (1, 1));
        let name = spans.get(&[PathSeg::from("name")]).unwrap();
        assert_eq!((name.line, name.column), (2, 11));
        let key = spans.locate_key(&[PathSeg::from("name")]);
        assert_eq!((key.line, key.column), (2, 3));
        let p = [PathSeg::from("items"), PathSeg::from(1usize), PathSeg::from("phone")];
        let phone = spans.get(&p).unwrap();
        assert_eq!((phone.line, phone.column), (5, 15));
        // Missing tail: nearest ancestor.
        let p = [PathSeg::from("items"), PathSeg::from(7usize)];
        assert_eq!(spans.get(&p), None);
        assert_eq!(spans.locate(&p).line, 3);
        // An index never matches an object member and vice versa.
        assert_eq!(spans.get(&[PathSeg::from(0usize)]), None);
    }

    #[test]
    fn spans_last_duplicate_key() {
        let (_, spans) = parse_with_spans("{\"a\":1,\n\"a\":2}").unwrap();
        assert_eq!(spans.get(&[PathSeg::from("a")]).unwrap().line, 2);
    }

    /// Line and column as a person counts them, char by char (the reference
    /// for the byte-counting `position_from` and its marks).
    fn reference_position(text: &str, offset: usize) -> (usize, usize) {
        let mut p = (1, 1);
        for c in text[..offset].chars() {
            if c == '\n' {
                p = (p.0 + 1, 1);
            } else {
                p.1 += c.len_utf16();
            }
        }
        p
    }

    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]
        #[test]
        fn strings_round_trip_through_serde_json(s in "(.|[\"\\\\\u{0}-\u{1f}]){0,40}") {
            let text = serde_json::to_string(&s).unwrap();
            prop_assert_eq!(parse(&text).unwrap(), Value::String(s.as_str().into()));
            // The same string unescaped: refused exactly when it has a control character.
            if !s.contains(['"', '\\']) {
                let raw = format!("\"{s}\"");
                prop_assert_eq!(parse(&raw).is_ok(), !s.chars().any(|c| c < ' '), "{:?}", raw);
            }
        }

        #[test]
        fn span_positions_in_any_order(words in prop::collection::vec("[a\u{e9}\u{1F600}\n]{0,3000}", 1..12), order in prop::collection::vec(any::<prop::sample::Index>(), 1..30)) {
            // An array of strings, some long enough to pass several marks.
            let (mut text, mut starts) = (String::from("["), Vec::new());
            for (i, w) in words.iter().enumerate() {
                if i > 0 {
                    text.push_str(",\n");
                }
                starts.push(text.len());
                text.push_str(&format!("\"{}\"", w.replace('\n', "\\n")));
            }
            text.push(']');
            let (_, spans) = parse_with_spans(&text).unwrap();
            for ix in order {
                let i = ix.index(words.len());
                let pos = spans.get(&[PathSeg::Index(i)]).unwrap();
                prop_assert_eq!((pos.line, pos.column), reference_position(&text, pos.offset));
                prop_assert_eq!(pos.offset, starts[i]);
            }
        }
    }
}
