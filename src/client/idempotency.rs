//! Idempotency keys: checked when the caller brings one, formatted when we make one.

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

/// Formats 16 random bytes as a UUID version 4 (RFC 9562), setting the version
/// and variant bits. The randomness comes from the caller (`crypto.getRandomValues`
/// in the browser), so the core needs no random-number crate.
///
/// ```
/// use agoralia::client::uuid_v4;
/// assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
/// assert_eq!(uuid_v4([0xff; 16]), "ffffffff-ffff-4fff-bfff-ffffffffffff");
/// ```
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[(b >> 4) as usize] as char);
        out.push(HEX[(b & 15) as usize] as char);
    }
    out
}
