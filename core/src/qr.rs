//! The payment QR code of GOST R 56042-2014 (R8): built for every payment document so any
//! Russian bank app can pay it, and read back tolerantly from codes printed by others.
//!
//! Why not the `gost-56042` crate: its one release (0.1.0) decodes windows-1251 and KOI8-R
//! through the `encoding` crate, unmaintained since 2016 (RUSTSEC-2021-0153), matches keys only in
//! their exact case, and has no way to pick another separator when a value contains `|`. The
//! format is small; here it is built on `encoding_rs` (maintained, the one Firefox uses).
//!
//! Format: `ST` + version `0001` + encoding digit (1 windows-1251, 2 UTF-8, 3 KOI8-R) + a
//! separator character, then `Key=Value` pairs split by that separator. The five mandatory
//! requisites come first, in the order `Name`, `PersonalAcc`, `BankName`, `BIC`, `CorrespAcc`.

use qrcode::{EcLevel, QrCode};
use serde::{Deserialize, Serialize};

use crate::account::AccountNumber;
use crate::money::Money;
use crate::period::Period;
use crate::requisites::{Requisites, RequisitesError};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    #[error(transparent)]
    Requisites(#[from] RequisitesError),
    #[error("Поле {field} длиннее допустимого (наибольшая длина — {max})")]
    TooLong { field: String, max: usize },
    #[error("Поле {0} не заполнено")]
    Empty(&'static str),
    #[error("Сумма к оплате в QR-коде должна быть больше нуля")]
    SumNotPositive,
    #[error("Для значений не нашлось символа-разделителя")]
    NoSeparator,
    #[error("Это не платёжный QR-код: нет заголовка ST0001")]
    NotAPaymentCode,
    #[error("Неизвестная кодировка QR-кода «{0}»")]
    UnknownEncoding(char),
    #[error("Текст QR-кода не читается в заявленной кодировке")]
    Undecodable,
    #[error("Фрагмент «{0}» — не пара «реквизит=значение»")]
    NotAPair(String),
    #[error("Реквизит {0} указан дважды")]
    Duplicate(String),
    #[error("Нет обязательного реквизита {0}")]
    MissingMandatory(&'static str),
    #[error("Обязательные реквизиты идут не в порядке стандарта: ожидался {expected}")]
    MandatoryOrder { expected: &'static str },
    #[error("Реквизит {key}: {problem}")]
    BadValue { key: String, problem: &'static str },
    #[error("QR-код не построить: {0}")]
    Render(String),
}

impl QrError {
    /// Stable code for the apps and tests; the message is for people.
    pub fn code(&self) -> &'static str {
        match self {
            QrError::Requisites(_) => "requisites",
            QrError::TooLong { .. } => "too_long",
            QrError::Empty(_) => "empty",
            QrError::SumNotPositive => "sum_not_positive",
            QrError::NoSeparator => "no_separator",
            QrError::NotAPaymentCode => "not_a_payment_code",
            QrError::UnknownEncoding(_) => "unknown_encoding",
            QrError::Undecodable => "undecodable",
            QrError::NotAPair(_) => "not_a_pair",
            QrError::Duplicate(_) => "duplicate",
            QrError::MissingMandatory(_) => "missing_mandatory",
            QrError::MandatoryOrder { .. } => "mandatory_order",
            QrError::BadValue { .. } => "bad_value",
            QrError::Render(_) => "render",
        }
    }
}

/// Character encodings the standard allows, by their header digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QrEncoding {
    Windows1251,
    Utf8,
    Koi8R,
}

impl QrEncoding {
    fn from_digit(digit: u8) -> Option<QrEncoding> {
        match digit {
            b'1' => Some(QrEncoding::Windows1251),
            b'2' => Some(QrEncoding::Utf8),
            b'3' => Some(QrEncoding::Koi8R),
            _ => None,
        }
    }

    fn codec(self) -> &'static encoding_rs::Encoding {
        match self {
            QrEncoding::Windows1251 => encoding_rs::WINDOWS_1251,
            QrEncoding::Utf8 => encoding_rs::UTF_8,
            QrEncoding::Koi8R => encoding_rs::KOI8_R,
        }
    }
}

const MANDATORY: [&str; 5] = ["Name", "PersonalAcc", "BankName", "BIC", "CorrespAcc"];

/// Keys of the standard's tables 2 and 3 this code knows by name, for case-insensitive matching.
const KNOWN_KEYS: [&str; 36] = [
    "Name",
    "PersonalAcc",
    "BankName",
    "BIC",
    "CorrespAcc",
    "Sum",
    "Purpose",
    "PayeeINN",
    "PayerINN",
    "DrawerStatus",
    "KPP",
    "CBC",
    "OKTMO",
    "PaytReason",
    "TaxPeriod",
    "DocNo",
    "DocDate",
    "TaxPaytKind",
    "LastName",
    "FirstName",
    "MiddleName",
    "PayerAddress",
    "PersonalAccount",
    "DocIdx",
    "PensAcc",
    "Contract",
    "PersAcc",
    "Flat",
    "Phone",
    "PaymTerm",
    "PaymPeriod",
    "Category",
    "ServiceName",
    "CounterId",
    "CounterVal",
    "TechCode",
];

/// Most characters a value may have, per the standard's tables (None: no limit set).
fn max_len(key: &str) -> Option<usize> {
    Some(match key {
        "Name" => 160,
        "PersonalAcc" | "CorrespAcc" => 20,
        "BankName" => 45,
        "BIC" | "KPP" => 9,
        "Sum" => 18,
        "Purpose" => 210,
        "PayeeINN" | "PayerINN" => 12,
        "TechCode" => 2,
        "PaymPeriod" => 6,
        _ => return None,
    })
}

/// Separators tried in turn when a value contains the usual `|`.
const SEPARATORS: &str = "|#;^~`!@$%*+/\\";

/// The payment QR of one payment document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentQr {
    pub payee: Requisites,
    pub account: AccountNumber,
    pub sum: Money,
    pub purpose: String,
    pub period: Period,
}

/// `TechCode` 02: housing and utility services (услуги ЖКХ).
const TECH_CODE_UTILITIES: &str = "02";

/// Most bytes a payment payload may take: the limit commonly applied to GOST R 56042 codes,
/// beyond which bank apps are known to refuse them.
pub const MAX_PAYLOAD_BYTES: usize = 300;

impl PaymentQr {
    /// The payload in windows-1251 (`ST00011`), the encoding bank apps read best, within
    /// [`MAX_PAYLOAD_BYTES`]: optional fields are dropped, least useful first, until it fits.
    pub fn payload(&self) -> Result<String, QrError> {
        self.payee.validate()?;
        if !self.sum.is_positive() {
            return Err(QrError::SumNotPositive);
        }
        let p = &self.payee;
        let mandatory = [
            ("Name", p.name.trim().to_owned()),
            ("PersonalAcc", p.settlement_account.clone()),
            ("BankName", p.bank_name.trim().to_owned()),
            ("BIC", p.bic.clone()),
            ("CorrespAcc", p.correspondent_account.clone()),
        ];
        // In the standard's order; `drop` ranks them by how little a bank app misses them.
        let optional = [
            ("PayeeINN", p.inn.clone(), 3),
            ("KPP", p.kpp.clone(), 0),
            ("PersAcc", self.account.to_string(), 6),
            ("Sum", self.sum.kopecks().to_string(), 5),
            ("Purpose", self.purpose.trim().to_owned(), 4),
            ("PaymPeriod", self.period.mmyyyy(), 2),
            ("TechCode", TECH_CODE_UTILITIES.to_owned(), 1),
        ];
        let all = mandatory.iter().cloned().chain(optional.iter().map(|(k, v, _)| (*k, v.clone())));
        for (key, value) in all {
            if value.is_empty() {
                return Err(QrError::Empty(key));
            }
            if let Some(max) = max_len(key).filter(|&max| value.chars().count() > max) {
                return Err(QrError::TooLong { field: key.to_owned(), max });
            }
            if encoding_rs::WINDOWS_1251.encode(&value).2 {
                return Err(QrError::BadValue {
                    key: key.to_owned(),
                    problem: "нет в кодировке windows-1251",
                });
            }
        }
        let mut kept: Vec<(&str, String, u8)> = optional.to_vec();
        loop {
            let fields: Vec<(&str, &str)> = mandatory
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .chain(kept.iter().map(|(k, v, _)| (*k, v.as_str())))
                .collect();
            let separator = SEPARATORS
                .chars()
                .find(|s| fields.iter().all(|(_, v)| !v.contains(*s)))
                .ok_or(QrError::NoSeparator)?;
            let pairs: Vec<String> = fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let payload = format!("ST00011{separator}{}", pairs.join(&separator.to_string()));
            // One byte a character in windows-1251.
            if payload.chars().count() <= MAX_PAYLOAD_BYTES {
                return Ok(payload);
            }
            let least =
                kept.iter().enumerate().min_by_key(|(_, (_, _, rank))| *rank).map(|(i, _)| i);
            match least {
                Some(i) => drop(kept.remove(i)),
                None => {
                    return Err(QrError::TooLong {
                        field: "ST00011".into(),
                        max: MAX_PAYLOAD_BYTES,
                    });
                }
            }
        }
    }

    pub fn render(&self) -> Result<QrImage, QrError> {
        QrImage::of_payment(&self.payload()?)
    }
}

/// A rendered QR code: a square of dark and light modules, to draw on a screen or a page.
pub struct QrImage {
    code: QrCode,
}

/// The bytes of a payment payload's text, in the encoding its header names (what the QR code
/// carries and what [`parse`] reads).
pub fn encode(payload: &str) -> Result<(QrEncoding, Vec<u8>), QrError> {
    let encoding = payload
        .as_bytes()
        .get(6)
        .filter(|_| payload.starts_with("ST0001"))
        .and_then(|&digit| QrEncoding::from_digit(digit))
        .ok_or(QrError::NotAPaymentCode)?;
    let (bytes, _, unmappable) = encoding.codec().encode(payload);
    if unmappable {
        return Err(QrError::Undecodable);
    }
    Ok((encoding, bytes.into_owned()))
}

/// ECI designators (ISO/IEC 18004) of the payload encodings, so a reader need not guess;
/// KOI8-R has none.
fn eci_of(encoding: QrEncoding) -> Option<u32> {
    match encoding {
        QrEncoding::Windows1251 => Some(22),
        QrEncoding::Utf8 => Some(26),
        QrEncoding::Koi8R => None,
    }
}

impl QrImage {
    /// Error correction M (15 %), as banks' scanners expect for payment codes.
    pub fn of(payload: &str) -> Result<QrImage, QrError> {
        QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
            .map(|code| QrImage { code })
            .map_err(|e| QrError::Render(e.to_string()))
    }

    /// A payment payload's QR: its text in the encoding its header names, marked with that
    /// encoding's ECI designator (a reader that guessed showed «май» as CJK characters).
    pub fn of_payment(payload: &str) -> Result<QrImage, QrError> {
        let (encoding, bytes) = encode(payload)?;
        let render = |e: qrcode::types::QrError| QrError::Render(e.to_string());
        for version in 1..=40 {
            let mut bits = qrcode::bits::Bits::new(qrcode::Version::Normal(version));
            let fits = eci_of(encoding)
                .map_or(Ok(()), |eci| bits.push_eci_designator(eci))
                .and_then(|()| bits.push_byte_data(&bytes))
                .and_then(|()| bits.push_terminator(EcLevel::M));
            if fits.is_ok() {
                return QrCode::with_bits(bits, EcLevel::M)
                    .map(|code| QrImage { code })
                    .map_err(render);
            }
        }
        Err(QrError::Render("данные не помещаются в QR-код".into()))
    }

    /// Modules per side, without the quiet zone.
    pub fn width(&self) -> usize {
        self.code.width()
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.code[(x, y)] == qrcode::Color::Dark
    }

    /// An SVG with the standard four-module quiet zone, at least `min_px` pixels wide.
    pub fn to_svg(&self, min_px: u32) -> String {
        self.code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(min_px, min_px).build()
    }
}

/// How forgiving [`parse`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParseMode {
    /// What scanners meet in the wild: keys in any case and order, empty segments and
    /// surrounding whitespace skipped, UTF-8 text under a windows-1251 or KOI8-R header read as
    /// UTF-8, lengths not enforced.
    Tolerant,
    /// The standard to the letter: exact key case, the mandatory five first and in order, no
    /// empty segment, declared encoding only, field lengths enforced.
    Strict,
}

/// A payload read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedQr {
    /// The encoding the text was decoded with.
    pub encoding: QrEncoding,
    pub separator: char,
    /// Pairs in the order found; known keys in the standard's spelling.
    pub fields: Vec<(String, String)>,
}

impl ParsedQr {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.as_str())
    }

    /// `Sum` (kopecks in the payload) as money.
    pub fn sum(&self) -> Result<Option<Money>, QrError> {
        let Some(text) = self.get("Sum") else { return Ok(None) };
        let bad = || QrError::BadValue {
            key: "Sum".into(),
            problem: "сумма в копейках — только цифры",
        };
        if text.is_empty() || text.len() > 18 || !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        text.parse::<i64>().map(|k| Some(Money::from_kopecks(k))).map_err(|_| bad())
    }
}

pub fn parse(bytes: &[u8], mode: ParseMode) -> Result<ParsedQr, QrError> {
    let tolerant = mode == ParseMode::Tolerant;
    let bytes = if tolerant { trim_bytes(bytes) } else { bytes };
    if bytes.len() < 8
        || !bytes[..6].eq_ignore_ascii_case(b"ST0001")
        || (!tolerant && &bytes[..2] != b"ST")
    {
        return Err(QrError::NotAPaymentCode);
    }
    let declared =
        QrEncoding::from_digit(bytes[6]).ok_or(QrError::UnknownEncoding(char::from(bytes[6])))?;
    if !bytes[7].is_ascii() || bytes[7].is_ascii_alphanumeric() || bytes[7] == b'=' {
        return Err(QrError::NotAPaymentCode);
    }
    let separator = char::from(bytes[7]);
    let body = &bytes[8..];
    // Cyrillic in windows-1251 or KOI8-R is practically never valid UTF-8, so valid UTF-8 with
    // non-ASCII text under such a header means a scanner or generator re-encoded it.
    let encoding = match std::str::from_utf8(body) {
        Ok(text) if tolerant && !text.is_ascii() => QrEncoding::Utf8,
        _ => declared,
    };
    let text = encoding
        .codec()
        .decode_without_bom_handling_and_without_replacement(body)
        .ok_or(QrError::Undecodable)?;
    let mut fields: Vec<(String, String)> = Vec::new();
    for segment in text.split(separator) {
        let segment = if tolerant { segment.trim() } else { segment };
        if segment.is_empty() && tolerant {
            continue;
        }
        let (key, value) =
            segment.split_once('=').ok_or_else(|| QrError::NotAPair(segment.to_owned()))?;
        let key = if tolerant { canonical_key(key.trim()) } else { key.to_owned() };
        if fields.iter().any(|(k, _)| k.eq_ignore_ascii_case(&key)) {
            return Err(QrError::Duplicate(key));
        }
        fields.push((key, value.to_owned()));
    }
    for required in MANDATORY {
        if !fields.iter().any(|(k, _)| k == required) {
            return Err(QrError::MissingMandatory(required));
        }
    }
    if !tolerant {
        check_strict(&fields)?;
    }
    Ok(ParsedQr { encoding, separator, fields })
}

fn check_strict(fields: &[(String, String)]) -> Result<(), QrError> {
    for (expected, (key, _)) in MANDATORY.iter().zip(fields) {
        if key != expected {
            return Err(QrError::MandatoryOrder { expected });
        }
    }
    for (key, value) in fields {
        if let Some(max) = max_len(key).filter(|&max| value.chars().count() > max) {
            return Err(QrError::TooLong { field: key.clone(), max });
        }
        if DIGITS_ONLY.contains(&key.as_str()) && !value.bytes().all(|b| b.is_ascii_digit()) {
            return Err(QrError::BadValue {
                key: key.clone(), problem: "допустимы только цифры"
            });
        }
    }
    Ok(())
}

/// Keys whose values the standard defines as digits.
const DIGITS_ONLY: [&str; 6] = ["PersonalAcc", "BIC", "CorrespAcc", "Sum", "PayeeINN", "PayerINN"];

fn canonical_key(key: &str) -> String {
    KNOWN_KEYS
        .iter()
        .find(|known| known.eq_ignore_ascii_case(key))
        .map_or_else(|| key.to_owned(), |known| (*known).to_owned())
}

/// Drops surrounding whitespace and a byte order mark.
fn trim_bytes(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.trim_ascii();
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes).trim_ascii()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::requisites::tests::sample;
    use proptest::prelude::*;

    fn document_qr() -> PaymentQr {
        PaymentQr {
            payee: sample(),
            account: "450012345678".parse().unwrap(),
            sum: "3500.07".parse().unwrap(),
            purpose: "Оплата ЖКУ, л/с 450012345678, ноябрь 2026".into(),
            period: Period::new(2026, 11).unwrap(),
        }
    }

    /// Draws the code as a scanner's camera would see it and reads it with an independent
    /// decoder (rqrr).
    fn scan(image: &QrImage) -> String {
        let (scale, quiet) = (4, 4);
        let side = (image.width() + 2 * quiet) * scale;
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            let (mx, my) = (x / scale, y / scale);
            let inside = (quiet..quiet + image.width()).contains(&mx)
                && (quiet..quiet + image.width()).contains(&my);
            if inside && image.is_dark(mx - quiet, my - quiet) { 0 } else { 255 }
        });
        let grids = prepared.detect_grids();
        assert_eq!(grids.len(), 1, "one code on the picture");
        let mut bytes = Vec::new();
        grids[0].decode_to(&mut bytes).unwrap();
        let parsed = parse(&bytes, ParseMode::Strict).unwrap();
        assert_eq!(parsed.encoding, QrEncoding::Windows1251);
        encoding_rs::WINDOWS_1251.decode(&bytes).0.into_owned()
    }

    #[test]
    fn builds_the_payload_in_the_standards_order() {
        assert_eq!(
            document_qr().payload().unwrap(),
            "ST00011|Name=АО «ЭК «Восток»|PersonalAcc=40702810138250123017|BankName=ПАО Сбербанк|\
             BIC=044525225|CorrespAcc=30101810400000000225|PayeeINN=7705260681|KPP=720301001|\
             PersAcc=450012345678|Sum=350007|Purpose=Оплата ЖКУ, л/с 450012345678, ноябрь 2026|\
             PaymPeriod=112026|TechCode=02"
        );
    }

    #[test]
    fn a_payload_over_300_bytes_drops_optional_fields_least_useful_first() {
        let mut qr = document_qr();
        qr.payee.bank_name = "Курганское отделение № 8599 ПАО Сбербанк".into();
        let full = qr.payload().unwrap();
        assert!(full.chars().count() <= MAX_PAYLOAD_BYTES, "{full}");
        assert!(!full.contains("KPP="), "KPP goes first: {full}");
        assert!(full.contains("TechCode=02") && full.contains("Sum=350007"), "{full}");
        qr.purpose = "Оплата ЖКУ ".repeat(18).trim().to_owned();
        let tight = qr.payload().unwrap();
        assert!(tight.chars().count() <= MAX_PAYLOAD_BYTES, "{tight}");
        assert!(tight.contains("Sum=350007") && tight.contains("PersAcc=450012345678"), "{tight}");
        assert!(!tight.contains("Purpose="), "{tight}");
    }

    #[test]
    fn picks_another_separator_when_a_value_has_a_bar() {
        let mut qr = document_qr();
        qr.purpose = "Оплата | ноябрь".into();
        let payload = qr.payload().unwrap();
        assert!(payload.starts_with("ST00011#Name="));
        let parsed = parse(&encode(&payload).unwrap().1, ParseMode::Strict).unwrap();
        assert_eq!(parsed.get("Purpose"), Some("Оплата | ноябрь"));
    }

    #[test]
    fn enforces_lengths_and_requisites() {
        let mut qr = document_qr();
        qr.purpose = "х".repeat(211);
        assert_eq!(qr.payload(), Err(QrError::TooLong { field: "Purpose".into(), max: 210 }));
        let mut qr = document_qr();
        qr.payee.bank_name = "Б".repeat(46);
        assert_eq!(qr.payload(), Err(QrError::TooLong { field: "BankName".into(), max: 45 }));
        let mut qr = document_qr();
        qr.payee.bic = "04452522".into();
        assert_eq!(qr.payload(), Err(QrError::Requisites(RequisitesError::BicFormat)));
        let mut qr = document_qr();
        qr.sum = Money::ZERO;
        assert_eq!(qr.payload(), Err(QrError::SumNotPositive));
        let mut qr = document_qr();
        qr.purpose = "  ".into();
        assert_eq!(qr.payload(), Err(QrError::Empty("Purpose")));
    }

    #[test]
    fn the_rendered_code_scans_back_to_the_payload() {
        let payload = document_qr().payload().unwrap();
        let image = document_qr().render().unwrap();
        assert_eq!(scan(&image), payload);
        let parsed = parse(&encode(&payload).unwrap().1, ParseMode::Strict).unwrap();
        assert_eq!(parsed.sum().unwrap(), Some("3500.07".parse().unwrap()));
        assert!(image.to_svg(200).starts_with("<?xml"));
    }

    #[test]
    fn reads_windows_1251_and_koi8_r() {
        // KOI8-R has no «»: the same company in plain quotes there.
        for (digit, codec, expected, name) in [
            ('1', encoding_rs::WINDOWS_1251, QrEncoding::Windows1251, "ООО «Три кита»"),
            ('3', encoding_rs::KOI8_R, QrEncoding::Koi8R, "ООО \"Три кита\""),
        ] {
            let text = format!(
                "|Name={name}|PersonalAcc=40702810138250123017|BankName=ОАО \"БАНК\"|BIC=044525225|CorrespAcc=30101810400000000225|Sum=100"
            );
            let (encoded, _, unmappable) = codec.encode(&text);
            assert!(!unmappable);
            let mut bytes = format!("ST0001{digit}").into_bytes();
            bytes.extend_from_slice(&encoded);
            let parsed = parse(&bytes, ParseMode::Strict).unwrap();
            assert_eq!(parsed.encoding, expected);
            assert_eq!(parsed.get("Name"), Some(name));
            assert_eq!(parsed.get("BankName"), Some("ОАО \"БАНК\""));
        }
    }

    #[test]
    fn tolerant_mode_accepts_what_strict_mode_refuses() {
        let messy = " \u{feff}ST00012;bic=044525225;NAME=ООО Ромашка;personalacc=40702810138250123017;;\
                     BankName=ПАО Сбербанк;CorrespAcc=30101810400000000225;Custom=x;\n";
        let parsed = parse(messy.as_bytes(), ParseMode::Tolerant).unwrap();
        assert_eq!(parsed.separator, ';');
        assert_eq!(parsed.get("Name"), Some("ООО Ромашка"));
        assert_eq!(parsed.fields[0].0, "BIC", "known keys in the standard's spelling");
        assert_eq!(parsed.get("Custom"), Some("x"));
        assert!(parse(messy.trim().as_bytes(), ParseMode::Strict).is_err());
        let disordered = "ST00012|BIC=044525225|Name=А|PersonalAcc=40702810138250123017|BankName=Б|CorrespAcc=30101810400000000225";
        assert!(parse(disordered.as_bytes(), ParseMode::Tolerant).is_ok());
        assert_eq!(
            parse(disordered.as_bytes(), ParseMode::Strict),
            Err(QrError::MandatoryOrder { expected: "Name" })
        );
        // UTF-8 text under a windows-1251 header, as phone scanners hand it over.
        let reencoded = "ST00011|Name=Восток|PersonalAcc=40702810138250123017|BankName=Б|BIC=044525225|CorrespAcc=30101810400000000225";
        assert_eq!(
            parse(reencoded.as_bytes(), ParseMode::Tolerant).unwrap().get("Name"),
            Some("Восток")
        );
        assert_eq!(
            parse(reencoded.as_bytes(), ParseMode::Strict).unwrap().get("Name"),
            Some("Р’РѕСЃС‚РѕРє")
        );
    }

    #[test]
    fn refuses_what_is_not_a_payment_code() {
        let ok = "|Name=А|PersonalAcc=40702810138250123017|BankName=Б|BIC=044525225|CorrespAcc=30101810400000000225";
        assert_eq!(
            parse(b"https://example.org", ParseMode::Tolerant),
            Err(QrError::NotAPaymentCode)
        );
        assert_eq!(
            parse(format!("ST00019{ok}").as_bytes(), ParseMode::Tolerant),
            Err(QrError::UnknownEncoding('9'))
        );
        assert_eq!(
            parse(b"ST00012|Name=A|PersonalAcc=1", ParseMode::Tolerant),
            Err(QrError::MissingMandatory("BankName"))
        );
        assert_eq!(
            parse(format!("ST00012{ok}|Name=B").as_bytes(), ParseMode::Tolerant),
            Err(QrError::Duplicate("Name".into()))
        );
        assert_eq!(
            parse(format!("ST00012{ok}|junk").as_bytes(), ParseMode::Strict),
            Err(QrError::NotAPair("junk".into()))
        );
        assert_eq!(parse(b"ST00012|Name=\xff\xfe", ParseMode::Strict), Err(QrError::Undecodable));
        let long_bic = ok.replace("BIC=044525225", "BIC=0445252250");
        assert!(matches!(
            parse(format!("ST00012{long_bic}").as_bytes(), ParseMode::Strict),
            Err(QrError::TooLong { .. })
        ));
        let bad_sum =
            parse(format!("ST00012{ok}|Sum=12.50").as_bytes(), ParseMode::Tolerant).unwrap();
        assert!(bad_sum.sum().is_err());
    }

    proptest! {
        #[test]
        fn any_purpose_and_sum_round_trip(purpose in "[^\\s=][^=]{0,150}", kopecks in 1i64..100_000_000_000) {
            let mut qr = document_qr();
            qr.purpose = purpose.trim().to_owned();
            qr.sum = Money::from_kopecks(kopecks);
            prop_assume!(!qr.purpose.is_empty());
            match qr.payload() {
                Ok(payload) => {
                    let (_, bytes) = encode(&payload).unwrap();
                    prop_assert!(bytes.len() <= MAX_PAYLOAD_BYTES);
                    let parsed = parse(&bytes, ParseMode::Strict).unwrap();
                    // A purpose too long for the byte budget is dropped before the sum.
                    let purpose = parsed.get("Purpose");
                    prop_assert!(purpose.is_none_or(|p| p == qr.purpose.as_str()));
                    prop_assert_eq!(parsed.sum().unwrap(), Some(qr.sum));
                }
                Err(QrError::NoSeparator | QrError::BadValue { .. }) => {}
                Err(e) => prop_assert!(false, "{e}"),
            }
        }

        #[test]
        fn parser_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
            let _ = parse(&bytes, ParseMode::Tolerant);
            let _ = parse(&bytes, ParseMode::Strict);
        }
    }
}
