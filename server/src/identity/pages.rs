//! The page a person sees after following a link from an e-mail in a browser: most often on a
//! phone, so one column that fits its screen.

use axum::response::Html;

pub fn page(title: &str, text: &str) -> Html<String> {
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    Html(format!(
        "<!doctype html><html lang=\"ru\"><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{0}</title>\
         <style>*{{box-sizing:border-box}}\
         body{{font:16px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;background:#f3f5f8;color:#1b1f24;margin:0;padding:12px}}\
         main{{max-width:32rem;margin:0 auto;background:#fff;border-radius:12px;padding:20px;box-shadow:0 2px 12px #0002;overflow-wrap:anywhere}}\
         h1{{font-size:1.4rem;margin:.2em 0 .5em}}.brand{{color:#667;font-size:.85rem;margin:1.5em 0 0}}</style>\
         <body><main><h1>{0}</h1><p>{1}</p><p class=\"brand\">Личный кабинет АО «ЭК «Восток»</p></main></body></html>",
        escape(title),
        escape(text)
    ))
}
