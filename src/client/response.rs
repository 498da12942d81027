/// What a response means to the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx: the body is the result (any 2xx: the SDK does not depend on 200 vs 201).
    Success,
    /// Anything else: an API error with this status.
    ApiError { status: u16 },
}

/// Classifies a response by status.
///
/// ```
/// use agoralia::client::{classify, Outcome};
/// assert_eq!(classify(201), Outcome::Success);
/// assert_eq!(classify(404), Outcome::ApiError { status: 404 });
/// ```
pub fn classify(status: u16) -> Outcome {
    if (200..300).contains(&status) {
        Outcome::Success
    } else {
        Outcome::ApiError { status }
    }
}
