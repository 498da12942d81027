//! Idempotency keys a caller brings: checked before they are sent. (The
//! glue makes the others from the platform's CSPRNG: `pkg-template/src/idempotency.js`.)

/// Longest key accepted (Stripe's limit; the API states none).
pub const MAX_KEY_LEN: usize = 255;

/// A caller's key is sent as a header: it must be visible ASCII, so it can
/// neither break the header nor be silently altered by `fetch`.
///
/// ```
/// use agoralia::client::check_idempotency_key;
/// assert!(check_idempotency_key("3f1c2a9e-8b7d-4c6e-9f01-23456789abcd").is_ok());
/// assert!(check_idempotency_key("").is_err());
/// assert!(check_idempotency_key("two\nlines").is_err());
/// ```
pub fn check_idempotency_key(key: &str) -> Result<(), String> {
    if key.is_empty() || key.len() > MAX_KEY_LEN {
        return Err(format!("idempotencyKey must be 1 to {MAX_KEY_LEN} characters long"));
    }
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err("idempotencyKey must contain only visible ASCII characters (no spaces or control characters)".into());
    }
    Ok(())
}
