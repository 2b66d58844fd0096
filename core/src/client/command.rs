//! What a queued action does, typed: the operation and what it carries, not a raw path and
//! body. Kept in the store as JSON with the version of its shape, so a later app reads what an
//! earlier one queued; rows queued before commands existed are read from their request.

use serde::{Deserialize, Serialize};

use super::error::{ClientError, ClientResult};
use super::store::OutboxKind;
use crate::api::{
    Capture, CaptureBatch, DocumentEmailRequest, NotificationSettings, ReadingSubmission, Route,
    Target,
};
use crate::period::Period;

/// The shape of [`Command`] as stored; raised when a change would not read the rows before it.
pub const COMMAND_VERSION: u32 = 1;

/// An action queued on the device for the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "snake_case")]
pub enum Command {
    /// R11: a meter's reading (with its photo's id once the photo is uploaded).
    Reading { number: String, meter_id: String, submission: ReadingSubmission },
    /// R8: a payment document by e-mail.
    DocumentEmail { number: String, period: Period, request: DocumentEmailRequest },
    /// R18: the notification choices.
    Notifications { settings: NotificationSettings },
    /// R24: a meter reader's capture at a stop of a route; its `device_id` is the item's key.
    RoundCapture { round_id: String, capture: Capture },
}

/// A command as the store keeps it: with the version of its shape.
#[derive(Serialize, Deserialize)]
struct Stored {
    version: u32,
    #[serde(flatten)]
    command: Command,
}

impl Command {
    pub fn kind(&self) -> OutboxKind {
        match self {
            Command::Reading { .. } => OutboxKind::Reading,
            Command::DocumentEmail { .. } => OutboxKind::DocumentEmail,
            Command::Notifications { .. } => OutboxKind::Notifications,
            Command::RoundCapture { .. } => OutboxKind::RoundCapture,
        }
    }

    /// The operation that carries it out.
    pub fn target(&self) -> Target {
        match self {
            Command::Reading { number, meter_id, .. } => Route::READINGS.at(&[number, meter_id]),
            Command::DocumentEmail { number, period, .. } => {
                Route::DOCUMENT_EMAIL.at(&[number, &period.to_string()])
            }
            Command::Notifications { .. } => Route::PROFILE_NOTIFICATIONS.at(&[]),
            Command::RoundCapture { round_id, .. } => Route::ROUND_CAPTURES.at(&[round_id]),
        }
    }

    /// The request's JSON body.
    pub fn body(&self) -> ClientResult<serde_json::Value> {
        Ok(match self {
            Command::Reading { submission, .. } => serde_json::to_value(submission)?,
            Command::DocumentEmail { request, .. } => serde_json::to_value(request)?,
            Command::Notifications { settings } => serde_json::to_value(settings)?,
            // Alone, a batch of one; the sync sends a route's queued captures together.
            Command::RoundCapture { capture, .. } => {
                serde_json::to_value(CaptureBatch { captures: vec![capture.clone()] })?
            }
        })
    }

    pub fn to_stored(&self) -> ClientResult<String> {
        Ok(serde_json::to_string(&Stored { version: COMMAND_VERSION, command: self.clone() })?)
    }

    pub fn from_stored(text: &str) -> ClientResult<Command> {
        let stored: Stored = serde_json::from_str(text)?;
        if stored.version > COMMAND_VERSION {
            return Err(ClientError::Store(format!(
                "действие записано более новой версией приложения ({})",
                stored.version
            )));
        }
        Ok(stored.command)
    }

    /// A row queued before commands were stored (store schema 3 and earlier): the command read
    /// back from the request it kept, its path and body.
    pub fn from_request(kind: OutboxKind, path: &str, body: &str) -> ClientResult<Command> {
        let segments: Vec<String> = path.split('/').map(segment_text).collect();
        let unreadable = || ClientError::Store(format!("запрос очереди не разобран: {path}"));
        Ok(match (kind, segments.as_slice()) {
            (OutboxKind::Reading, [_, _, number, _, meter_id, _]) => Command::Reading {
                number: number.clone(),
                meter_id: meter_id.clone(),
                submission: serde_json::from_str(body)?,
            },
            (OutboxKind::DocumentEmail, [_, _, number, _, period, _]) => Command::DocumentEmail {
                number: number.clone(),
                period: period.parse().map_err(|_| unreadable())?,
                request: serde_json::from_str(body)?,
            },
            (OutboxKind::Notifications, _) => {
                Command::Notifications { settings: serde_json::from_str(body)? }
            }
            _ => return Err(unreadable()),
        })
    }
}

/// A path segment back to text (percent-decoded).
fn segment_text(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::readings::ZoneInput;

    fn reading() -> Command {
        Command::Reading {
            number: "450001000001".into(),
            meter_id: "m 1/2".into(),
            submission: ReadingSubmission {
                values: vec![ZoneInput {
                    zone: crate::service::TariffZone::Single,
                    text: "125,5".into(),
                }],
                confirmed: vec![],
                source: None,
                taken_at: None,
                photo: None,
            },
        }
    }

    #[test]
    fn a_command_is_stored_with_its_version_and_read_back_as_itself() {
        let text = reading().to_stored().unwrap();
        assert!(
            text.contains("\"version\":1") && text.contains("\"command\":\"reading\""),
            "{text}"
        );
        assert_eq!(Command::from_stored(&text).unwrap(), reading());
    }

    /// R24: a capture goes to its route's captures as a batch of one and comes back from the
    /// store as itself.
    #[test]
    fn r24_a_round_capture_is_a_batch_of_one_to_its_route_and_kept_as_itself() {
        let capture: Capture = serde_json::from_value(serde_json::json!({
            "device_id": "0123456789abcdef",
            "stop_id": "S-1",
            "meter_id": "450001000001-2",
            "recorded": { "type": "skip", "reason": "no_access", "note": "" },
            "taken_at": "2026-11-20T08:00:00Z",
            "photos": ["fedcba9876543210"],
        }))
        .unwrap();
        let command = Command::RoundCapture { round_id: "R 2".into(), capture: capture.clone() };
        assert_eq!(command.kind(), OutboxKind::RoundCapture);
        assert_eq!(command.target().path, Route::ROUND_CAPTURES.at(&["R 2"]).path);
        let body: CaptureBatch = serde_json::from_value(command.body().unwrap()).unwrap();
        assert_eq!(body.captures, vec![capture]);
        assert_eq!(Command::from_stored(&command.to_stored().unwrap()).unwrap(), command);
    }

    #[test]
    fn a_command_from_a_newer_app_is_not_guessed_at() {
        let text = reading().to_stored().unwrap().replace("\"version\":1", "\"version\":2");
        assert!(matches!(Command::from_stored(&text), Err(ClientError::Store(_))));
    }

    #[test]
    fn a_row_queued_before_commands_is_read_from_its_request() {
        let command = reading();
        let path = command.target().path;
        let body = command.body().unwrap().to_string();
        assert_eq!(Command::from_request(OutboxKind::Reading, &path, &body).unwrap(), command);
        let email = Command::DocumentEmail {
            number: "450001000001".into(),
            period: "2026-10".parse().unwrap(),
            request: DocumentEmailRequest { email: None },
        };
        let (path, body) = (email.target().path, email.body().unwrap().to_string());
        assert_eq!(Command::from_request(OutboxKind::DocumentEmail, &path, &body).unwrap(), email);
        assert!(Command::from_request(OutboxKind::Reading, "/x", "{}").is_err());
    }
}
