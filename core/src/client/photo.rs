//! Photos of dials (R21), copied into the store when the reading is queued: the file the camera
//! or gallery left may be gone by the time the network is back. Checked here, at the person's
//! action, so a photo the server would refuse is refused at once and in Russian.

use std::io::Read;
use std::path::Path;

use crate::api::{ApiError, ErrorCode};

/// The largest photo the service takes.
pub const PHOTO_MAX_BYTES: usize = crate::photo::MAX_BYTES;

/// A photo's bytes and its type, as they go to the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("Фото счётчика не найдено на устройстве. Отправьте показания без фото или удалите их")]
    Missing,
    #[error("Фото счётчика не удалось прочитать. Отправьте показания без фото или удалите их")]
    Unreadable,
    #[error("Фото счётчика больше {} МБ. Уменьшите его или снимите заново", PHOTO_MAX_BYTES / 1024 / 1024)]
    TooLarge,
    #[error("Фото счётчика должно быть снимком в формате JPEG, PNG или HEIC")]
    NotAnImage,
}

impl PhotoError {
    pub fn code(&self) -> ErrorCode {
        match self {
            PhotoError::Missing => ErrorCode::PhotoMissing,
            PhotoError::Unreadable => ErrorCode::PhotoUnreadable,
            PhotoError::TooLarge => ErrorCode::PhotoTooLarge,
            PhotoError::NotAnImage => ErrorCode::PhotoNotAnImage,
        }
    }

    /// As a refusal kept on an outbox item.
    pub fn api_error(&self) -> ApiError {
        ApiError { code: self.code(), message: self.to_string(), field: Some("photo".to_owned()) }
    }
}

impl Photo {
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Photo, PhotoError> {
        if bytes.len() > PHOTO_MAX_BYTES {
            return Err(PhotoError::TooLarge);
        }
        let content_type = crate::photo::media_type(&bytes).ok_or(PhotoError::NotAnImage)?;
        Ok(Photo { content_type: content_type.to_owned(), bytes })
    }

    /// Reads at most one byte past the limit, so a huge file is refused without loading it.
    pub fn read(path: &Path) -> Result<Photo, PhotoError> {
        let file = std::fs::File::open(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => PhotoError::Missing,
            _ => PhotoError::Unreadable,
        })?;
        let mut bytes = Vec::new();
        file.take(PHOTO_MAX_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|_| PhotoError::Unreadable)?;
        Photo::from_bytes(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jpeg_png_and_heic_are_known_by_their_first_bytes_whatever_the_name() {
        let heic = [&[0, 0, 0, 0x18][..], b"ftypheic", &[0; 8]].concat();
        let cases: [(&[u8], Option<&str>); 5] = [
            (&[0xFF, 0xD8, 0xFF, 0xE1, 0, 0], Some("image/jpeg")),
            (b"\x89PNG\r\n\x1a\n\0\0", Some("image/png")),
            (&heic, Some("image/heic")),
            (b"GIF89a......", None),
            (b"%PDF-1.7", None),
        ];
        for (bytes, expected) in cases {
            assert_eq!(
                Photo::from_bytes(bytes.to_vec()).ok().map(|p| p.content_type),
                expected.map(str::to_owned)
            );
        }
        assert_eq!(Photo::from_bytes(Vec::new()), Err(PhotoError::NotAnImage));
    }

    #[test]
    fn a_photo_over_the_services_limit_is_refused_in_russian_without_reading_it_all() {
        let dir = std::env::temp_dir().join(format!("lk-photo-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let big = dir.join("big.jpg");
        let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
        bytes.resize(PHOTO_MAX_BYTES + 1, 0);
        std::fs::write(&big, &bytes).unwrap();
        let error = Photo::read(&big).unwrap_err();
        assert_eq!(
            (error.code(), error.to_string().as_str()),
            (
                ErrorCode::PhotoTooLarge,
                "Фото счётчика больше 5 МБ. Уменьшите его или снимите заново"
            )
        );
        bytes.truncate(PHOTO_MAX_BYTES);
        std::fs::write(&big, &bytes).unwrap();
        assert_eq!(
            Photo::read(&big).unwrap().bytes.len(),
            PHOTO_MAX_BYTES,
            "the limit itself is fine"
        );
        assert_eq!(Photo::read(&dir.join("none.jpg")), Err(PhotoError::Missing));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
