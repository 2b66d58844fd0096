//! SMS and e-mail out. A request only writes the message to the outbox table, inside its own
//! transaction; a background worker delivers it through the configured provider and retries
//! with backoff, so a slow or dead provider never holds up a request and nothing is lost.
//!
//! Providers: the outbox itself (the demo default: messages stay readable there), SMTP through
//! `lettre`, and an HTTP SMS gateway (a JSON POST of `{"to", "text"}` with a bearer token).

use std::sync::Arc;
use std::time::Duration as StdDuration;

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use lk_core::api::Channel;
use rusqlite::{Connection, params};

use crate::clock::Clock;
use crate::db::Db;
use crate::error::AppResult;
use crate::security;
use crate::worker::DELIVERY_RETRY;

pub struct Message {
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

/// A file sent with an e-mail.
pub struct Attachment {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Writes a message to the outbox as part of the caller's transaction.
pub fn queue(
    tx: &Connection,
    message: &Message,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    queue_with(tx, message, None, now)
}

/// Like [`queue`], with a PDF attached (e-mail only).
pub fn queue_with(
    tx: &Connection,
    message: &Message,
    attachment: Option<&Attachment>,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    tx.execute(
        "INSERT INTO outbox (channel, recipient, subject, body, created_at, next_attempt_at, attachment_name, attachment)
         VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7)",
        params![
            channel_name(message.channel),
            message.recipient,
            message.subject,
            message.body,
            now.to_rfc3339(),
            attachment.map(|a| a.name.as_str()),
            attachment.map(|a| a.bytes.as_slice())
        ],
    )?;
    Ok(())
}

pub fn channel_name(channel: Channel) -> &'static str {
    match channel {
        Channel::Phone => "phone",
        Channel::Email => "email",
    }
}

pub enum EmailProvider {
    /// Kept in the outbox only (demo).
    Outbox,
    Smtp {
        transport: Box<AsyncSmtpTransport<Tokio1Executor>>,
        from: Mailbox,
    },
}

pub enum SmsProvider {
    Outbox,
    Http { client: reqwest::Client, url: String, token: String },
}

impl EmailProvider {
    /// SMTP from a URL: `smtps://user:password@host:465` (TLS), `smtp://…:587?tls=required`
    /// (STARTTLS), or plain `smtp://host:25` for a relay on the same machine.
    pub fn smtp(url: &str, from: &str) -> Result<EmailProvider, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("SMTP URL: {e}"))?
            .timeout(Some(StdDuration::from_secs(20)))
            .build();
        let from = from.parse().map_err(|e| format!("адрес отправителя: {e}"))?;
        Ok(EmailProvider::Smtp { transport: Box::new(transport), from })
    }
}

pub struct Providers {
    pub email: EmailProvider,
    pub sms: SmsProvider,
}

const MAX_ATTEMPTS: i64 = 8;

/// Wakes the e-mail and SMS delivery worker.
pub type Notifier = crate::worker::Waker;

/// Starts the delivery worker.
pub fn start(db: Db, clock: Arc<dyn Clock>, providers: Providers) -> Notifier {
    let providers = Arc::new(providers);
    crate::worker::spawn("outbox", move || {
        let (db, clock, providers) = (db.clone(), clock.clone(), providers.clone());
        async move { deliver_due(&db, clock.as_ref(), &providers).await }
    })
}

struct Due {
    id: i64,
    created_at: String,
    channel: String,
    recipient: String,
    subject: String,
    body: String,
    attempts: i64,
    attachment: Option<Attachment>,
}

async fn deliver_due(db: &Db, clock: &dyn Clock, providers: &Providers) -> AppResult<()> {
    let now = clock.now();
    let due: Vec<Due> = db
        .call(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT id, channel, recipient, subject, body, attempts, attachment_name, attachment, created_at FROM outbox
                 WHERE status = 'queued' AND next_attempt_at <= ?1 ORDER BY id LIMIT 50",
            )?;
            let rows = stmt.query_map([now.to_rfc3339()], |r| {
                Ok(Due {
                    id: r.get(0)?,
                    channel: r.get(1)?,
                    recipient: r.get(2)?,
                    subject: r.get(3)?,
                    body: r.get(4)?,
                    attempts: r.get(5)?,
                    created_at: r.get(8)?,
                    attachment: match (r.get::<_, Option<String>>(6)?, r.get::<_, Option<Vec<u8>>>(7)?) {
                        (Some(name), Some(bytes)) => Some(Attachment { name, bytes }),
                        _ => None,
                    },
                })
            })?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await?;
    for message in due {
        let outcome = send(providers, &message, clock.now()).await;
        let now = clock.now();
        db.call(move |conn| {
            match outcome {
                Ok(status) => conn.execute(
                    "UPDATE outbox SET status = ?2, attempts = attempts + 1, last_error = NULL WHERE id = ?1",
                    params![message.id, status],
                )?,
                Err(error) => {
                    let attempts = message.attempts + 1;
                    let status = if attempts >= MAX_ATTEMPTS { "failed" } else { "queued" };
                    let next = DELIVERY_RETRY.next_at(u32::try_from(attempts).unwrap_or(u32::MAX), now);
                    tracing::warn!(id = message.id, %error, attempts, "message not delivered");
                    conn.execute(
                        "UPDATE outbox SET status = ?2, attempts = ?3, next_attempt_at = ?4, last_error = ?5 WHERE id = ?1",
                        params![message.id, status, attempts, next.to_rfc3339(), error],
                    )?
                }
            };
            Ok(())
        })
        .await?;
    }
    Ok(())
}

/// The Message-ID of an outbox message: the same on every retry, so a receiving server can
/// drop a duplicate, and unique across databases by the time it was queued.
fn message_id(message: &Due, from: &Mailbox) -> String {
    let queued = security::digest(&message.created_at);
    format!("<lk.{}.{}@{}>", message.id, &queued[..12], from.email.domain())
}

/// Delivers one message; the status to record on success.
async fn send(
    providers: &Providers,
    message: &Due,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<&'static str, String> {
    match (message.channel.as_str(), &providers.email, &providers.sms) {
        ("email", EmailProvider::Smtp { transport, from }, _) => {
            use lettre::message::header::{ContentType, MIME_VERSION_1_0};
            use lettre::message::{MultiPart, SinglePart};
            // Dated by the service's clock (which tests and demos may set), with a Message-ID
            // and a MIME-Version on every message, as mail filters expect.
            let builder = lettre::Message::builder()
                .from(from.clone())
                .to(message.recipient.parse().map_err(|e| format!("получатель: {e}"))?)
                .subject(message.subject.clone())
                .date(now.into())
                .message_id(Some(message_id(message, from)))
                .header(MIME_VERSION_1_0);
            let email = match &message.attachment {
                None => builder.header(ContentType::TEXT_PLAIN).body(message.body.clone()),
                Some(file) => {
                    let pdf = ContentType::parse("application/pdf").map_err(|e| e.to_string())?;
                    builder.multipart(
                        MultiPart::mixed()
                            .singlepart(SinglePart::plain(message.body.clone()))
                            .singlepart(
                                lettre::message::Attachment::new(file.name.clone())
                                    .body(file.bytes.clone(), pdf),
                            ),
                    )
                }
            }
            .map_err(|e| e.to_string())?;
            transport.send(email).await.map_err(|e| e.to_string())?;
            Ok("sent")
        }
        ("phone", _, SmsProvider::Http { client, url, token }) => {
            let response = client
                .post(url)
                .bearer_auth(token)
                .timeout(StdDuration::from_secs(20))
                .json(&serde_json::json!({ "to": message.recipient, "text": message.body }))
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if response.status().is_success() {
                Ok("sent")
            } else {
                Err(format!("SMS-шлюз ответил {}", response.status()))
            }
        }
        _ => Ok("kept"),
    }
}
