//! UTF-8 checking with an ASCII fast path.
//!
//! Why: text reaches the wasm as bytes (a CSV file, JSON from `TextEncoder`),
//! and std's validation, built for size like the rest of the release wasm,
//! cost about as much as parsing a 1.4 MB leads file. Lead files are mostly
//! ASCII, which a word at a time settles.

/// The bytes as `&str` when they are UTF-8, checking ASCII 8 bytes at a time
/// and handing only the rest to std.
///
/// ```
/// use agoralia::utf8::to_str;
/// assert_eq!(to_str(b"+393401234567,Nicol\xC3\xB2"), Some("+393401234567,Nicolò"));
/// assert_eq!(to_str(b"Nicol\xF2"), None);
/// ```
pub fn to_str(bytes: &[u8]) -> Option<&str> {
    let mut ascii = 0;
    for chunk in bytes.chunks_exact(8) {
        let word = u64::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7]]);
        if word & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        ascii += 8;
    }
    // `bytes[..ascii]` is ASCII, so it is UTF-8 and ends on a char boundary:
    // the whole is UTF-8 exactly when the rest is.
    std::str::from_utf8(&bytes[ascii..]).ok()?;
    // SAFETY: checked above, ASCII prefix plus a valid UTF-8 rest.
    Some(unsafe { std::str::from_utf8_unchecked(bytes) })
}
