//! Firebase Cloud Messaging, HTTP v1 API: a message is POSTed to
//! `/v1/projects/{project}/messages:send` with an OAuth 2.0 access token, which the service
//! account gets by signing a JWT (RS256) and exchanging it at the account's `token_uri`.

use std::time::Duration;

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::{CachedToken, Delivery, Push};

const SCOPE: &str = "https://www.googleapis.com/auth/firebase.messaging";

pub struct FcmConfig {
    pub project_id: String,
    pub client_email: String,
    pub private_key_pem: String,
    pub token_uri: String,
    /// `https://fcm.googleapis.com` in production.
    pub api_url: String,
}

#[derive(Deserialize)]
struct ServiceAccount {
    project_id: String,
    client_email: String,
    private_key: String,
    token_uri: String,
}

impl FcmConfig {
    /// From the service account's JSON key file, as the Firebase console gives it.
    pub fn from_service_account(json: &str, api_url: &str) -> Result<FcmConfig, String> {
        let account: ServiceAccount =
            serde_json::from_str(json).map_err(|e| format!("ключ сервисного аккаунта FCM: {e}"))?;
        Ok(FcmConfig {
            project_id: account.project_id,
            client_email: account.client_email,
            private_key_pem: account.private_key,
            token_uri: account.token_uri,
            api_url: api_url.trim_end_matches('/').to_owned(),
        })
    }
}

pub struct FcmProvider {
    config: FcmConfig,
    key: EncodingKey,
    http: reqwest::Client,
    token: CachedToken,
}

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    scope: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    expires_in: u64,
}

impl FcmProvider {
    pub fn new(config: FcmConfig) -> Result<FcmProvider, String> {
        let key = EncodingKey::from_rsa_pem(config.private_key_pem.as_bytes())
            .map_err(|e| format!("закрытый ключ FCM: {e}"))?;
        Ok(FcmProvider {
            config,
            key,
            http: crate::acquirer::http_client(),
            token: CachedToken::default(),
        })
    }

    /// The access token, renewed a minute before it expires.
    async fn access_token(&self) -> Result<String, String> {
        self.token.get(self.new_access_token()).await
    }

    async fn new_access_token(&self) -> Result<(String, Duration), String> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            iss: &self.config.client_email,
            scope: SCOPE,
            aud: &self.config.token_uri,
            iat: now,
            exp: now + 3600,
        };
        let assertion = jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &self.key)
            .map_err(|e| e.to_string())?;
        let answer = self
            .http
            .post(&self.config.token_uri)
            .form(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("assertion", &assertion),
            ])
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if !answer.status().is_success() {
            return Err(format!("OAuth: {}", answer.status()));
        }
        let answer: TokenAnswer = answer.json().await.map_err(|e| e.to_string())?;
        Ok((answer.access_token, Duration::from_secs(answer.expires_in.saturating_sub(60))))
    }

    pub async fn send(&self, push: &Push) -> Delivery {
        let token = match self.access_token().await {
            Ok(token) => token,
            Err(e) => return Delivery::Failed(e),
        };
        // FCM's data values are strings.
        let data: serde_json::Map<String, serde_json::Value> = push
            .data
            .iter()
            .map(|(k, v)| {
                (k.clone(), json!(v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
            })
            .collect();
        let body = json!({
            "message": {
                "token": push.token,
                "notification": { "title": push.title, "body": push.body },
                "data": data,
                "android": { "priority": "high" },
            }
        });
        let url =
            format!("{}/v1/projects/{}/messages:send", self.config.api_url, self.config.project_id);
        let answer = match self.http.post(url).bearer_auth(token).json(&body).send().await {
            Ok(answer) => answer,
            Err(e) => return Delivery::Failed(e.to_string()),
        };
        let status = answer.status();
        let text = answer.text().await.unwrap_or_default();
        match status.as_u16() {
            200 => Delivery::Sent,
            404 => Delivery::TokenGone,
            400 if text.contains("UNREGISTERED")
                || text.contains("registration-token-not-registered") =>
            {
                Delivery::TokenGone
            }
            401 => {
                self.token.clear().await;
                Delivery::Failed(format!("FCM: {status}"))
            }
            _ => Delivery::Failed(format!("FCM: {status} {text}")),
        }
    }
}
