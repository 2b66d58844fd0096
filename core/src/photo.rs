//! What a photo of a dial may be (R21), the same for the phone that takes it and the service
//! that keeps it: an image known by its first bytes (not its name), within one size.

/// The largest photo taken: a phone's picture of a dial, resized by the app.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// HEIF brands a phone camera writes (iOS: `heic`; others `mif1` with HEVC inside).
const HEIF_BRANDS: &[&[u8; 4]] =
    &[b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"];

/// The image's media type by its first bytes: JPEG, PNG or HEIC, else `None`.
pub fn media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.get(4..8) == Some(b"ftyp")
        && bytes.get(8..12).is_some_and(|brand| HEIF_BRANDS.iter().any(|b| &b[..] == brand))
    {
        Some("image/heic")
    } else {
        None
    }
}
