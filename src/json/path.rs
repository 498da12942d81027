//! JSON paths: the address of a value inside a document.

/// One step of a path into a JSON document: an object key or an array index.
///
/// ```
/// use agoralia::json::PathSeg;
/// let path = vec![PathSeg::from("items"), PathSeg::from(3usize), PathSeg::from("phone")];
/// assert_eq!(agoralia::json::path_to_dotted(&path), "items.3.phone");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PathSeg {
    /// A key of an object.
    Key(String),
    /// A position in an array (0-based, as in JavaScript).
    Index(usize),
}

impl From<&str> for PathSeg {
    fn from(s: &str) -> Self {
        PathSeg::Key(s.to_string())
    }
}

impl From<String> for PathSeg {
    fn from(s: String) -> Self {
        PathSeg::Key(s)
    }
}

impl From<usize> for PathSeg {
    fn from(i: usize) -> Self {
        PathSeg::Index(i)
    }
}

/// Joins a path with dots, the form plain HTML forms and Formik use for
/// field names (`items.3.phone`). The empty path gives the empty string.
///
/// ```
/// use agoralia::json::{path_to_dotted, PathSeg};
/// assert_eq!(path_to_dotted(&[PathSeg::from("schedule"), PathSeg::from("timezone")]), "schedule.timezone");
/// assert_eq!(path_to_dotted(&[]), "");
/// ```
pub fn path_to_dotted(path: &[PathSeg]) -> String {
    let mut out = String::new();
    for (i, seg) in path.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        match seg {
            PathSeg::Key(k) => out.push_str(k),
            PathSeg::Index(n) => out.push_str(&n.to_string()),
        }
    }
    out
}
