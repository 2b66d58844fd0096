//! The PDFs (R8, R13–R15, R20, receipts) read back as a person and a bank's app would: the text
//! pdftotext extracts holds every amount and field, the payment QR rendered on the page decodes
//! to exactly the core's payload, long reports paginate, and the same input gives the same file.

mod common;

use std::process::Command;

use common::{Server, start_at, window_day};
use reqwest::StatusCode;
use serde_json::Value;

struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("lk-pdf-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The PDF's text as pdftotext lays it out, with no-break spaces as plain ones.
fn text_of(pdf: &[u8], name: &str) -> String {
    let dir = Scratch::new(name);
    let file = dir.0.join("doc.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().replace('\u{a0}', " ")
}

/// qpdf, a PDF library no one here wrote, finds the file sound.
fn qpdf_check(pdf: &[u8], name: &str) {
    let dir = Scratch::new(&format!("{name}-qpdf"));
    let file = dir.0.join("doc.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("qpdf").arg("--check").arg(&file).output().expect("qpdf");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "qpdf --check: {report}{}", String::from_utf8_lossy(&out.stderr));
    assert!(report.contains("No syntax or stream encoding errors"), "{report}");
}

fn info_of(pdf: &[u8], name: &str) -> String {
    let dir = Scratch::new(&format!("{name}-info"));
    let file = dir.0.join("doc.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdfinfo").arg(&file).output().expect("pdfinfo (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pages_of(pdf: &[u8], name: &str) -> usize {
    let dir = Scratch::new(name);
    let file = dir.0.join("doc.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = Command::new("pdfinfo").arg(&file).output().expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8(out.stdout).unwrap();
    info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap()
}

/// Renders the first page in grey at `dpi` (pdftoppm) and decodes the QR codes on it (rqrr).
fn qr_codes_on_first_page(pdf: &[u8], name: &str, dpi: u32) -> Vec<String> {
    let dir = Scratch::new(name);
    let file = dir.0.join("doc.pdf");
    std::fs::write(&file, pdf).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-gray", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&file)
        .arg(dir.0.join("page"))
        .status()
        .expect("pdftoppm (poppler-utils)");
    assert!(status.success());
    let pgm = std::fs::read(dir.0.join("page.pgm")).unwrap();
    // P5 <width> <height> <max>\n then one byte per pixel.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..at]).into_owned());
    }
    let (width, height): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = &pgm[at + 1..];
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
    image
        .detect_grids()
        .into_iter()
        .map(|grid| {
            let mut bytes = Vec::new();
            grid.decode_to(&mut bytes).expect("a readable QR code");
            // Payment codes are windows-1251 (ST00011), receipts plain ASCII.
            let parsed = lk_core::qr::parse(&bytes, lk_core::qr::ParseMode::Tolerant);
            match parsed.map(|p| p.encoding) {
                Ok(lk_core::qr::QrEncoding::Windows1251) | Err(_) => {
                    encoding_rs::WINDOWS_1251.decode(&bytes).0.into_owned()
                }
                Ok(other) => panic!("a payment code in {other:?}"),
            }
        })
        .collect()
}

async fn pdf(s: &Server, path: &str, token: &str) -> Vec<u8> {
    let answer = s.http.get(format!("{}{path}", s.base)).bearer_auth(token).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK, "{path}");
    assert_eq!(answer.headers()["content-type"], "application/pdf");
    let bytes = answer.bytes().await.unwrap().to_vec();
    qpdf_check(&bytes, &path.replace(['/', '?', '&', '='], "-"));
    bytes
}

fn amount(v: &Value) -> String {
    lk_core::Money::parse(v.as_str().unwrap()).unwrap().format_ru_plain().replace('\u{a0}', " ")
}

#[tokio::test]
async fn r8_the_payment_document_pdf_holds_every_amount_and_its_qr_decodes_to_the_payload() {
    let s = start_at(window_day()).await;
    let token = s.token("ivanova", "Ivanova-2026").await;
    let (_, accounts) = s.get("/accounts", Some(&token)).await;
    for account in accounts.as_array().unwrap() {
        let number = account["number"].as_str().unwrap();
        let (_, view) = s.get(&format!("/accounts/{number}/documents/2026-10"), Some(&token)).await;
        let file = pdf(&s, &format!("/accounts/{number}/documents/2026-10/pdf"), &token).await;
        assert!(file.starts_with(b"%PDF-"));
        assert!(file.len() < 120_000, "a subset font keeps it small: {} bytes", file.len());
        // Dated the day the document was issued, and claiming no PDF/X conformance.
        let info = info_of(&file, number);
        let issued: chrono::NaiveDate =
            view["document"]["head"]["issued_on"].as_str().unwrap().parse().unwrap();
        let dated = info.lines().find(|l| l.starts_with("CreationDate:")).unwrap_or_default();
        assert!(dated.contains(&issued.format("%Y").to_string()), "{info}");
        assert!(!dated.contains("1970"), "{info}");
        assert!(!file.windows(15).any(|w| w == b"GTS_PDFXVersion"), "no PDF/X claim");
        let text = text_of(&file, number);
        let d = &view["document"];
        let head = &d["head"];
        for expected in [
            "ЕДИНЫЙ ПЛАТЁЖНЫЙ ДОКУМЕНТ",
            "за октябрь 2026",
            number,
            head["account"]["address"].as_str().unwrap(),
            head["payee"]["inn"].as_str().unwrap(),
            head["payee"]["kpp"].as_str().unwrap(),
            head["payee"]["settlement_account"].as_str().unwrap(),
            head["payee"]["bic"].as_str().unwrap(),
            head["payee"]["correspondent_account"].as_str().unwrap(),
            "Оплатить до 10.11.2026",
            "8 800 250-60-06",
        ] {
            assert!(text.contains(expected), "«{expected}» in the PDF of {number}:\n{text}");
        }
        let owner = &head["account"]["owner"];
        assert!(text.contains(&format!(
            "{} {}",
            owner["last"].as_str().unwrap(),
            owner["first"].as_str().unwrap()
        )));
        for line in d["lines"].as_array().unwrap() {
            let row = text
                .lines()
                .find(|l| l.starts_with(line["service_name"].as_str().unwrap()))
                .unwrap_or_else(|| panic!("a row for {line}"));
            for column in ["debt", "paid", "charged", "recalculation", "to_pay"] {
                assert!(row.contains(&amount(&line[column])), "{column} of {row}");
            }
        }
        let totals = text.lines().find(|l| l.starts_with("Итого ")).unwrap();
        for column in ["debt", "paid", "charged", "recalculation", "to_pay"] {
            assert!(totals.contains(&amount(&d["totals"][column])), "total {column} in {totals}");
        }
        assert!(text.contains(&format!("{} ₽", amount(&d["totals"]["amount_due"]))));
        for r in view["meter_readings"].as_array().unwrap() {
            assert!(text.contains(r["serial"].as_str().unwrap()));
        }
        // The QR code, as a bank's app reads it off the printed page.
        let codes = qr_codes_on_first_page(&file, number, 150);
        assert_eq!(codes, [view["payment_qr"].as_str().unwrap()], "exactly the core's payload");

        let again = pdf(&s, &format!("/accounts/{number}/documents/2026-10/pdf"), &token).await;
        assert_eq!(again, file, "the same document gives the same bytes");
    }
}

#[tokio::test]
async fn r13_r15_r20_reports_and_the_form_as_pdf() {
    let s = start_at(window_day()).await;
    let token = s.token("demo", "Demo-2026").await;
    let (_, accounts) = s.get("/accounts", Some(&token)).await;
    let number = accounts[0]["number"].as_str().unwrap();

    let (_, history) = s
        .get(
            &format!("/accounts/{number}/reports/payments?from=2026-01-01&to=2026-10-31"),
            Some(&token),
        )
        .await;
    let text = text_of(
        &pdf(
            &s,
            &format!("/accounts/{number}/reports/payments/pdf?from=2026-01-01&to=2026-10-31"),
            &token,
        )
        .await,
        "payments",
    );
    assert!(text.contains("История платежей с 01.01.2026 по 31.10.2026"));
    for p in history["payments"].as_array().unwrap() {
        assert!(text.contains(&amount(&p["allocation"]["total"])), "{p}");
        assert!(text.contains(&p["receipt"]["document_number"].to_string()));
    }
    assert!(text.contains(&amount(&history["total_paid"])));

    let (_, charges) = s.get(&format!("/accounts/{number}/reports/charges"), Some(&token)).await;
    let text = text_of(
        &pdf(&s, &format!("/accounts/{number}/reports/charges/pdf"), &token).await,
        "charges",
    );
    for month in charges["months"].as_array().unwrap() {
        assert!(text.contains(&amount(&month["totals"]["to_pay"])), "{}", month["period"]);
    }

    for kind in ["individual", "common_house"] {
        let query = format!("kind={kind}&from=2026-08&to=2026-10");
        let (_, report) =
            s.get(&format!("/accounts/{number}/reports/readings?{query}"), Some(&token)).await;
        let text = text_of(
            &pdf(&s, &format!("/accounts/{number}/reports/readings/pdf?{query}"), &token).await,
            kind,
        );
        for row in report["rows"].as_array().unwrap() {
            assert!(text.contains(row["serial"].as_str().unwrap()), "{row}");
        }
    }

    let (_, form) = s.get(&format!("/accounts/{number}/paper-refusal-form"), Some(&token)).await;
    let text = text_of(
        &pdf(&s, &format!("/accounts/{number}/paper-refusal-form/pdf"), &token).await,
        "form",
    );
    for field in ["applicant", "address", "email"] {
        assert!(text.contains(form[field].as_str().unwrap()), "{field}");
    }
    // The header names the applicant in the genitive, as a form is addressed («от кого»).
    let owner = form["owner"].as_str().unwrap();
    let applicant = form["applicant"].as_str().unwrap();
    assert!(applicant.starts_with("от ") && applicant != format!("от {owner}"), "{applicant}");
    assert!(text.contains("ЗАЯВЛЕНИЕ") && text.contains("подпись"));
}

#[tokio::test]
async fn a_receipt_copy_has_the_54_fz_fields_and_its_qr() {
    let s = start_at(window_day()).await;
    let token = s.token("demo", "Demo-2026").await;
    let (_, history) = s.get("/accounts/450001000001/reports/payments", Some(&token)).await;
    let payment = &history["payments"][0];
    let id = payment["id"].as_str().unwrap();
    let file = pdf(&s, &format!("/payments/{id}/receipt/pdf"), &token).await;
    let text = text_of(&file, "receipt");
    let receipt = &payment["receipt"];
    for value in [
        "КАССОВЫЙ ЧЕК · ПРИХОД".to_owned(),
        receipt["seller_inn"].as_str().unwrap().to_owned(),
        receipt["fiscal_storage"].as_str().unwrap().to_owned(),
        receipt["register_number"].as_str().unwrap().to_owned(),
        receipt["document_number"].to_string(),
        receipt["fiscal_sign"].to_string(),
        amount(&receipt["total"]),
    ] {
        assert!(text.contains(&value), "«{value}» in\n{text}");
    }
    let codes = qr_codes_on_first_page(&file, "receipt-qr", 150);
    assert_eq!(codes.len(), 1);
    assert!(
        codes[0].starts_with("t=")
            && codes[0].contains(&format!("&fn={}", receipt["fiscal_storage"].as_str().unwrap())),
        "{codes:?}"
    );
}

#[tokio::test]
async fn a_24_month_charge_report_paginates_with_its_header_on_every_page() {
    let s = start_at(window_day()).await;
    let token = s.token("demo", "Demo-2026").await;
    let (_, charges) =
        s.get("/accounts/450001000001/reports/charges?months=12", Some(&token)).await;
    let mut history: lk_core::api::ChargeHistory = serde_json::from_value(charges).unwrap();
    // Two years: the demo has 14 months, so the months are repeated under earlier periods.
    let mut months = Vec::new();
    let mut period = lk_core::period::Period::new(2024, 11).unwrap();
    for i in 0..24 {
        let mut month = history.months[i % history.months.len()].clone();
        month.period = period;
        months.push(month);
        period = period.next();
    }
    history.months = months;
    let file = lk_core::pdf::charge_history(&history).unwrap();
    let pages = pages_of(&file, "long");
    assert!(pages >= 3, "{pages} pages");
    let text = text_of(&file, "long-text");
    assert_eq!(text.matches("Начислено, руб.").count(), pages, "the header on every page");
    assert!(text.contains(&format!("Страница {pages} из {pages}")));
    assert!(text.contains("ноябрь 2024") && text.contains("октябрь 2026"));
    assert_eq!(lk_core::pdf::charge_history(&history).unwrap(), file, "deterministic");
}
