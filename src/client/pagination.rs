//! Cursor pagination: the query of one page, and the walk from page to page.

use super::config::{number, Given};
use crate::json::Value;

/// The largest page the API serves (`limit` maximum, from the contract).
pub const MAX_PAGE_SIZE: u32 = 100;

/// `limit` and `cursor` of one list request, checked before anything is sent.
///
/// ```
/// use agoralia::client::ListQuery;
/// assert!(ListQuery::new(Some(100), None).is_ok());
/// assert!(ListQuery::new(Some(0), None).is_err());   // refused client-side, no request
/// assert!(ListQuery::new(Some(101), None).is_err());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Page size, 1..=100; `None` lets the server choose (20).
    pub limit: Option<u32>,
    /// The opaque cursor returned as `next_cursor` by the previous page.
    pub cursor: Option<String>,
}

/// Why list parameters were refused: `(field, message)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQueryError {
    /// The offending parameter, e.g. `"limit"`.
    pub field: &'static str,
    /// What is wrong, for people.
    pub message: String,
}

impl ListQuery {
    /// Checks `limit` against 1..=100.
    pub fn new(limit: Option<u32>, cursor: Option<String>) -> Result<ListQuery, ListQueryError> {
        if let Some(n) = limit {
            if !(1..=MAX_PAGE_SIZE).contains(&n) {
                return Err(ListQueryError {
                    field: "limit",
                    message: format!("limit must be an integer from 1 to {MAX_PAGE_SIZE} (got {n})"),
                });
            }
        }
        Ok(ListQuery { limit, cursor: cursor.filter(|c| !c.is_empty()) })
    }

    /// Reads `limit` and `cursor` from a JSON params object. A number or a
    /// string cursor is accepted (the API's cursors are ids; we keep them opaque).
    pub fn from_json(params: Option<&Value>) -> Result<ListQuery, ListQueryError> {
        let Some(params) = params.filter(|p| !p.is_null()) else {
            return Ok(ListQuery::default());
        };
        ListQuery::from_given(number(params.get("limit")), scalar_text(params.get("cursor")))
    }

    /// `limit` and `cursor` as given: an integer limit from 1 to 100, and a
    /// cursor (a string, or a number's text).
    pub fn from_given(limit: Given<f64>, cursor: Given<String>) -> Result<ListQuery, ListQueryError> {
        let limit = match limit {
            Ok(None) => None,
            Ok(Some(n)) if n.fract() == 0.0 && (1.0..=MAX_PAGE_SIZE as f64).contains(&n) => Some(n as u32),
            _ => {
                return Err(ListQueryError {
                    field: "limit",
                    message: format!("limit must be an integer from 1 to {MAX_PAGE_SIZE}"),
                })
            }
        };
        let cursor = cursor.map_err(|()| ListQueryError {
            field: "cursor",
            message: "cursor must be a string or a number (the next_cursor of the previous page)".into(),
        })?;
        ListQuery::new(limit, cursor)
    }

    pub(crate) fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(limit) = self.limit {
            out.push(("limit", limit.to_string()));
        }
        if let Some(cursor) = &self.cursor {
            out.push(("cursor", cursor.clone()));
        }
        out
    }
}

/// A string, or a number kept as its JSON text; absent or null is `None`.
pub(crate) fn scalar_text(v: Option<&Value>) -> Result<Option<String>, ()> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.to_string())),
        Some(Value::Number(n)) => Ok(Some(n.as_text().to_owned())),
        Some(_) => Err(()),
    }
}

/// The walk over pages: which cursor comes next, and when to stop.
///
/// Stops when `next_cursor` is null or absent (the contract), and also when a
/// server hands back a cursor it already gave, which would otherwise loop forever.
///
/// ```
/// use agoralia::client::PageWalk;
/// use agoralia::json::parse;
/// let mut walk = PageWalk::default();
/// assert_eq!(walk.advance(&parse(r#"{"items":[1,2],"next_cursor":2}"#).unwrap()), Ok(Some("2".to_owned())));
/// assert_eq!(walk.advance(&parse(r#"{"items":[3],"next_cursor":null}"#).unwrap()), Ok(None));
/// assert!(walk.is_done());
/// ```
#[derive(Debug, Clone, Default)]
pub struct PageWalk {
    seen: Vec<String>,
    done: bool,
}

/// A page that is not `{ "items": [...], "next_cursor": ... }`, or a cursor loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageError {
    /// The body has no `items` array.
    NotAPage,
    /// `next_cursor` is neither a string, a number nor null.
    BadCursor,
    /// The server repeated a cursor: following it would never end.
    CursorLoop(String),
}

impl PageWalk {
    /// Records one page and returns the cursor of the next one (`None` at the end).
    pub fn advance(&mut self, page: &Value) -> Result<Option<String>, PageError> {
        if page.get("items").and_then(Value::as_array).is_none() {
            self.done = true;
            return Err(PageError::NotAPage);
        }
        let next = scalar_text(page.get("next_cursor")).map_err(|()| PageError::BadCursor)?;
        match next {
            None => {
                self.done = true;
                Ok(None)
            }
            Some(c) if self.seen.contains(&c) => {
                self.done = true;
                Err(PageError::CursorLoop(c))
            }
            Some(c) => {
                self.seen.push(c.clone());
                Ok(Some(c))
            }
        }
    }

    /// Whether the last page has been seen.
    pub fn is_done(&self) -> bool {
        self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn limit_bounds_and_json_params() {
        assert_eq!(ListQuery::from_json(None), Ok(ListQuery::default()));
        let q = ListQuery::from_json(Some(&parse(r#"{"limit":100,"cursor":15}"#).unwrap())).unwrap();
        assert_eq!((q.limit, q.cursor.as_deref()), (Some(100), Some("15")));
        for bad in [r#"{"limit":0}"#, r#"{"limit":101}"#, r#"{"limit":1.5}"#, r#"{"limit":"20"}"#, r#"{"limit":-1}"#] {
            assert_eq!(ListQuery::from_json(Some(&parse(bad).unwrap())).unwrap_err().field, "limit", "{bad}");
        }
        assert_eq!(ListQuery::from_json(Some(&parse(r#"{"cursor":[1]}"#).unwrap())).unwrap_err().field, "cursor");
        assert_eq!(ListQuery::new(None, Some(String::new())).unwrap().cursor, None);
    }

    #[test]
    fn walk_stops_at_null_absent_or_repeated_cursor() {
        let mut w = PageWalk::default();
        assert_eq!(w.advance(&parse(r#"{"items":[],"next_cursor":"a"}"#).unwrap()), Ok(Some("a".into())));
        assert_eq!(w.advance(&parse(r#"{"items":[]}"#).unwrap()), Ok(None));
        let mut w = PageWalk::default();
        w.advance(&parse(r#"{"items":[],"next_cursor":3}"#).unwrap()).unwrap();
        assert_eq!(w.advance(&parse(r#"{"items":[],"next_cursor":3}"#).unwrap()), Err(PageError::CursorLoop("3".into())));
        assert_eq!(PageWalk::default().advance(&parse(r#"{"data":[]}"#).unwrap()), Err(PageError::NotAPage));
        assert_eq!(PageWalk::default().advance(&parse(r#"{"items":[],"next_cursor":true}"#).unwrap()), Err(PageError::BadCursor));
    }
}
