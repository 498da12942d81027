//! Cursor pagination shared by the list endpoints. Items are kept in ascending id
//! order and the cursor is the last id returned, so the next page is "ids greater
//! than the cursor": appending items while a client pages can neither make it skip
//! an item nor see one twice.

use serde_json::{json, Value};

use crate::validation::{Errors, Query};

pub const DEFAULT_LIMIT: i64 = 20;
pub const MAX_LIMIT: i64 = 100;

pub struct Page {
    pub limit: usize,
    pub cursor: Option<i64>,
}

/// Reads `limit` (1..=100, default 20) and `cursor` (an integer), collecting 422 items.
pub fn read(q: &Query, errors: &mut Errors) -> Page {
    let limit = q.int("limit", Some(1), Some(MAX_LIMIT), errors).unwrap_or(DEFAULT_LIMIT);
    let cursor = q.int("cursor", None, None, errors);
    Page { limit: limit as usize, cursor }
}

/// Pages `items` (ascending by id) and renders `{"items", "next_cursor"}`.
pub fn render<T>(items: &[T], id: impl Fn(&T) -> i64, view: impl Fn(&T) -> Value, page: &Page) -> Value {
    let after: Vec<&T> = items.iter().filter(|t| page.cursor.is_none_or(|c| id(t) > c)).collect();
    let taken = &after[..after.len().min(page.limit)];
    let next = if after.len() > taken.len() { taken.last().map(|t| json!(id(t))) } else { None };
    json!({
        "items": taken.iter().map(|t| view(t)).collect::<Vec<_>>(),
        "next_cursor": next.unwrap_or(Value::Null),
    })
}
