//! Apple Push Notification service with token-based authentication: each request carries a JWT
//! (ES256, `kid` = the key's id, `iss` = the team) renewed at most hourly, and goes to
//! `/3/device/{token}` with `apns-topic` (the app's bundle id) and `apns-push-type: alert`.
//! Apple serves this over HTTP/2, which the client negotiates over TLS.

use std::time::Duration;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;
use serde_json::json;

use super::{CachedToken, Delivery, Push};

pub struct ApnsConfig {
    pub team_id: String,
    pub key_id: String,
    /// The `.p8` key from the Apple developer account (PKCS#8, P-256).
    pub private_key_pem: String,
    /// The app's bundle id.
    pub topic: String,
    /// `https://api.push.apple.com` (or `https://api.sandbox.push.apple.com`).
    pub api_url: String,
}

pub struct ApnsProvider {
    config: ApnsConfig,
    key: EncodingKey,
    http: reqwest::Client,
    jwt: CachedToken,
}

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    iat: i64,
}

impl ApnsProvider {
    pub fn new(config: ApnsConfig) -> Result<ApnsProvider, String> {
        let key = EncodingKey::from_ec_pem(config.private_key_pem.as_bytes())
            .map_err(|e| format!("ключ APNs: {e}"))?;
        Ok(ApnsProvider {
            config,
            key,
            http: crate::acquirer::http_client(),
            jwt: CachedToken::default(),
        })
    }

    /// Apple refuses tokens older than an hour and too frequent renewals: renew after 50 min.
    async fn jwt(&self) -> Result<String, String> {
        self.jwt
            .get(async {
                let mut header = Header::new(Algorithm::ES256);
                header.kid = Some(self.config.key_id.clone());
                let claims =
                    Claims { iss: &self.config.team_id, iat: chrono::Utc::now().timestamp() };
                let jwt =
                    jsonwebtoken::encode(&header, &claims, &self.key).map_err(|e| e.to_string())?;
                Ok((jwt, Duration::from_secs(50 * 60)))
            })
            .await
    }

    pub async fn send(&self, push: &Push) -> Delivery {
        let jwt = match self.jwt().await {
            Ok(jwt) => jwt,
            Err(e) => return Delivery::Failed(e),
        };
        let mut body = json!({
            "aps": { "alert": { "title": push.title, "body": push.body }, "sound": "default" }
        });
        for (key, value) in &push.data {
            body[key] = value.clone();
        }
        let answer = self
            .http
            .post(format!("{}/3/device/{}", self.config.api_url, push.token))
            .header("authorization", format!("bearer {jwt}"))
            .header("apns-topic", &self.config.topic)
            .header("apns-push-type", "alert")
            .header("apns-priority", "10")
            .json(&body)
            .send()
            .await;
        let answer = match answer {
            Ok(answer) => answer,
            Err(e) => return Delivery::Failed(e.to_string()),
        };
        let status = answer.status();
        let text = answer.text().await.unwrap_or_default();
        match status.as_u16() {
            200 => Delivery::Sent,
            410 => Delivery::TokenGone,
            400 if text.contains("BadDeviceToken") => Delivery::TokenGone,
            403 if text.contains("ExpiredProviderToken") => {
                self.jwt.clear().await;
                Delivery::Failed(format!("APNs: {status} {text}"))
            }
            _ => Delivery::Failed(format!("APNs: {status} {text}")),
        }
    }
}
