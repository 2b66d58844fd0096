//! The page a person sees after following a link from an e-mail in a browser.

use axum::response::Html;

pub fn page(title: &str, text: &str) -> Html<String> {
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    Html(format!(
        "<!doctype html><html lang=\"ru\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
         <title>{0}</title><body style=\"font-family:sans-serif;max-width:32em;margin:3em auto\"><h1>{0}</h1><p>{1}</p>\
         <p>Личный кабинет АО «ЭК «Восток»</p></body></html>",
        escape(title),
        escape(text)
    ))
}
