//! Rule: cursor pagination (limit default 20, max 100, next_cursor null at the end)
//! that never skips or repeats an item while items are being added.
mod common;
use common::*;
use serde_json::json;

#[test]
fn default_limit_is_20_and_next_cursor_is_null_at_the_end() {
    let sb = Sandbox::start();
    let p1 = sb.get("/api/v1/calls", ALL).json();
    assert_eq!(p1["items"].as_array().unwrap().len(), 20);
    assert_eq!(p1["next_cursor"], 20);
    let p2 = sb.get("/api/v1/calls?cursor=20", ALL).json();
    assert_eq!(ids(p2["items"].as_array().unwrap()), (21..=40).collect::<Vec<_>>());
    let p3 = sb.get("/api/v1/calls?cursor=40", ALL).json();
    assert_eq!(ids(p3["items"].as_array().unwrap()), (41..=45).collect::<Vec<_>>());
    assert_eq!(p3["next_cursor"], json!(null));
    // Exactly a full last page: null too, not a cursor to an empty page.
    let full = sb.get("/api/v1/agents?limit=3", ALL).json();
    assert_eq!(full["next_cursor"], json!(null));
    let two = sb.get("/api/v1/agents?limit=2", ALL).json();
    assert_eq!(two["next_cursor"], 2);
}

#[test]
fn max_limit_is_100_and_pages_cover_everything_once() {
    let sb = Sandbox::start();
    let v = sb.get("/api/v1/calls?limit=100", ALL).json();
    assert_eq!(v["items"].as_array().unwrap().len(), 45);
    assert_eq!(v["next_cursor"], json!(null));
    for limit in [1, 2, 7, 20, 44, 45, 46] {
        assert_eq!(ids(&sb.all_pages("/api/v1/calls", limit)), (1..=45).collect::<Vec<_>>(), "limit {limit}");
    }
    assert_eq!(ids(&sb.all_pages("/api/v1/agents", 2)), [1, 2, 3]);
}

#[test]
fn pagination_never_skips_or_repeats_while_items_are_added_concurrently() {
    let sb = std::sync::Arc::new(Sandbox::start());
    let writer = {
        let sb = sb.clone();
        std::thread::spawn(move || {
            for i in 0..60 {
                let r = sb.post("/api/v1/agents", ALL, &json!({"name": format!("concurrent {i}")}));
                assert_eq!(r.status, 201);
            }
        })
    };
    let mut rounds = 0;
    while !writer.is_finished() || rounds < 3 {
        let seen = ids(&sb.all_pages("/api/v1/agents", 2));
        let mut sorted = seen.clone();
        sorted.dedup();
        assert_eq!(sorted.len(), seen.len(), "repeated item: {seen:?}");
        assert!(seen.windows(2).all(|w| w[0] < w[1]), "out of order: {seen:?}");
        // Ids are dense (1..=n) as created: any gap would be a skipped item.
        assert_eq!(seen, (1..=seen.len() as i64).collect::<Vec<_>>(), "skipped item");
        rounds += 1;
    }
    writer.join().expect("writer");
    assert_eq!(sb.all_pages("/api/v1/agents", 7).len(), 63);
}
