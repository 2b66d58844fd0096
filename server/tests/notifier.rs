//! Messages leave through real providers: SMTP (lettre) to a loopback SMTP double, and the HTTP
//! SMS gateway to a loopback double, each speaking its documented protocol.

mod common;

use std::sync::{Arc, Mutex};

use lk_server::notifier::{EmailProvider, Providers, SmsProvider};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A minimal SMTP server: accepts one message per connection and keeps its DATA.
async fn smtp_double() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let received = Arc::new(Mutex::new(Vec::new()));
    let store = received.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else { return };
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 double ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(body) = data.as_mut() {
                        if line == "." {
                            store.lock().unwrap().push(data.take().unwrap_or_default());
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            body.push_str(&line);
                            body.push('\n');
                        }
                        continue;
                    }
                    let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 double\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go on\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.unwrap();
                            return;
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, received)
}

/// What the SMS gateway double received: the Authorization header and the JSON body of each POST.
type Texts = Arc<Mutex<Vec<(String, Value)>>>;

/// An SMS gateway: records each JSON POST with its credentials.
async fn sms_double() -> (String, Texts) {
    use axum::extract::State;
    use axum::http::HeaderMap;
    let received: Texts = Arc::default();
    let app = axum::Router::new()
        .route(
            "/send",
            axum::routing::post(
                |State(store): State<Texts>,
                 headers: HeaderMap,
                 axum::Json(body): axum::Json<Value>| async move {
                    let auth = headers
                        .get("authorization")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_owned();
                    store.lock().unwrap().push((auth, body));
                    StatusCode::ACCEPTED
                },
            ),
        )
        .with_state(received.clone());
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/send", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

async fn eventually<T>(mut probe: impl FnMut() -> Option<T>) -> T {
    for _ in 0..100 {
        if let Some(found) = probe() {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("not delivered in 5 s");
}

#[tokio::test]
async fn codes_go_out_by_smtp_and_through_the_sms_gateway() {
    let (smtp_port, mails) = smtp_double().await;
    let (sms_url, texts) = sms_double().await;
    let providers = Providers {
        email: EmailProvider::smtp(
            &format!("smtp://127.0.0.1:{smtp_port}"),
            "ЛК <lk@vostok.example>",
        )
        .unwrap(),
        sms: SmsProvider::Http {
            client: reqwest::Client::new(),
            url: sms_url,
            token: "gateway-secret".into(),
        },
    };
    // The service's clock stands at 21 November 2026: the e-mail is dated by it.
    let s = common::start_configured(common::window_day(), |c| c.providers = providers).await;

    let captcha = s.captcha().await;
    s.post(
        "/recoveries",
        None,
        json!({ "channel": "phone", "contact": "+79120000003", "captcha": captcha }),
    )
    .await;
    let (auth, sms) = eventually(|| texts.lock().unwrap().first().cloned()).await;
    assert_eq!(auth, "Bearer gateway-secret");
    assert_eq!(sms["to"], "+79120000003");
    assert!(sms["text"].as_str().unwrap().contains("Код восстановления"));

    let captcha = s.captcha().await;
    s.post(
        "/recoveries",
        None,
        json!({ "channel": "email", "contact": "petrov@example.ru", "captcha": captcha }),
    )
    .await;
    let mail = eventually(|| mails.lock().unwrap().first().cloned()).await;
    assert!(mail.contains("To: petrov@example.ru"), "{mail}");
    assert!(mail.contains("lk@vostok.example"));
    assert!(mail.contains("MIME-Version: 1.0"), "{mail}");
    assert!(mail.contains("Message-ID: <lk."), "{mail}");
    assert!(mail.contains("@vostok.example>"), "{mail}");
    assert!(mail.contains("Date: Sat, 21 Nov 2026 08:"), "by the service's clock: {mail}");
    // And as a mail parser no one here wrote reads it (Python's email package, RFC 5322).
    let parsed = python_mail_headers(&mail);
    assert_eq!(parsed["mime"], "1.0", "{parsed}");
    assert!(parsed["id"].as_str().unwrap().starts_with("<lk."), "{parsed}");
    assert_eq!(parsed["date"], "2026-11-21", "{parsed}");
    assert!(parsed["subject"].as_str().unwrap().contains("Восстановление"), "{parsed}");

    // The outbox records the delivery.
    for _ in 0..100 {
        let (_, outbox) = s.get("/demo/outbox?recipient=petrov%40example.ru", None).await;
        if outbox[0]["status"] == "sent" {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the outbox never marked the e-mail as sent");
}

#[tokio::test]
async fn a_dead_provider_keeps_the_message_queued_for_retry() {
    // Nothing listens on this port: delivery fails and the message stays for a later attempt.
    let dead = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = dead.local_addr().unwrap().port();
    drop(dead);
    let providers = Providers {
        email: EmailProvider::Outbox,
        sms: SmsProvider::Http {
            client: reqwest::Client::new(),
            url: format!("http://127.0.0.1:{port}/send"),
            token: String::new(),
        },
    };
    let s = common::start_with(providers).await;
    let captcha = s.captcha().await;
    let (status, _) = s
        .post(
            "/recoveries",
            None,
            json!({ "channel": "phone", "contact": "+79120000003", "captcha": captcha }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "the request does not wait for the provider");
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let (_, outbox) = s.get("/demo/outbox?recipient=%2B79120000003", None).await;
    assert_eq!(outbox[0]["status"], "queued");
}

/// The headers of a message as Python's `email` package parses them.
fn python_mail_headers(mail: &str) -> Value {
    use std::io::Write;
    let script = "import email, email.policy, email.utils, json, sys\n\
        m = email.message_from_string(sys.stdin.read(), policy=email.policy.default)\n\
        print(json.dumps({'mime': m['MIME-Version'], 'id': m['Message-ID'], \
        'subject': str(m['Subject']), \
        'date': email.utils.parsedate_to_datetime(m['Date']).date().isoformat()}))";
    let mut child = std::process::Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3");
    child.stdin.take().unwrap().write_all(mail.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}
