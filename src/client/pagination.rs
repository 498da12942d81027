//! Cursor pagination: the query of one page. (The walk from page to page is
//! the glue's, `pkg-template/src/pagination.js`: it holds the pages.)

use super::config::Given;

/// The largest page the API serves: the validators' `limit` maximum (one
/// owner, checked against the OpenAPI document by tests/contract.rs).
pub const MAX_PAGE_SIZE: u32 = crate::validate::pagination::MAX_LIMIT as u32;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    #[test]
    fn limit_bounds_and_cursors() {
        assert_eq!(ListQuery::from_given(Ok(None), Ok(None)), Ok(ListQuery::default()));
        let q = ListQuery::from_given(Ok(Some(100.0)), Ok(Some("15".into()))).unwrap();
        assert_eq!((q.limit, q.cursor.as_deref()), (Some(100), Some("15")));
        for bad in [Ok(Some(0.0)), Ok(Some(101.0)), Ok(Some(1.5)), Err(()), Ok(Some(-1.0))] {
            assert_eq!(ListQuery::from_given(bad, Ok(None)).unwrap_err().field, "limit", "{bad:?}");
        }
        assert_eq!(ListQuery::from_given(Ok(None), Err(())).unwrap_err().field, "cursor");
        assert_eq!(ListQuery::new(None, Some(String::new())).unwrap().cursor, None);
    }
}
