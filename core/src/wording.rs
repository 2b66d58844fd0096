//! Russian as every text of the LK writes it: numbers with a decimal comma and thousands grouped
//! by a no-break space (`99 997,5`), the noun form that agrees with a count (`1 день`, `2 дня`,
//! `5 дней`), a unit on every quantity, and the support contacts. The service, `lk` and the apps
//! (through the bindings) all use these, so a number reads the same wherever it is shown.
//!
//! [`problems`] is the other side: what the tests of every crate look for in the texts they walk.

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use crate::service::Unit;

/// Between digit groups and between a number and its unit: a no-break space, so a line never
/// breaks inside a number.
pub const GROUP_SEPARATOR: char = '\u{a0}';

/// The supplier's hot line, as the seed's support contacts give it.
pub const HOT_LINE: &str =
    "Горячая линия 8 800 250-60-06 (доб. 5 — личный кабинет), будни 8:00–17:00";

/// The e-mail of the LK's support service.
pub const SUPPORT_EMAIL: &str = "lk@vostok-electra.ru";

/// Where support is named, both ways to reach it go together.
pub fn support() -> String {
    format!("{HOT_LINE}; e-mail службы поддержки личного кабинета: {SUPPORT_EMAIL}")
}

/// `1234567` → `1 234 567` (no-break spaces); the digits of a whole number, without a sign.
pub fn group_digits(digits: &str) -> String {
    let count = digits.chars().count();
    let mut grouped = String::with_capacity(digits.len() + count / 3 * 2);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (count - i).is_multiple_of(3) {
            grouped.push(GROUP_SEPARATOR);
        }
        grouped.push(ch);
    }
    grouped
}

/// A tariff, a volume or a reading as Russian text shows it: `43,1725`, `99 997,5`, `-1 200`; no
/// trailing zeros.
pub fn number(value: Decimal) -> String {
    let text = value.normalize().to_string();
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    match unsigned.split_once('.') {
        Some((whole, fraction)) => format!("{sign}{},{fraction}", group_digits(whole)),
        None => format!("{sign}{}", group_digits(unsigned)),
    }
}

/// A quantity with its unit, never one without the other: `12,5 кВт·ч`, `3 м³`.
pub fn quantity(value: Decimal, unit: Unit) -> String {
    format!("{}{GROUP_SEPARATOR}{}", number(value), unit.symbol_ru())
}

/// A date as Russian text writes it: `21.11.2026`.
pub fn date(day: NaiveDate) -> String {
    day.format("%d.%m.%Y").to_string()
}

/// How old a screen's data is, for the line shown beside what came from the store:
/// «только что», «5 минут назад», «2 часа назад», «3 дня назад»; a date beyond a week.
pub fn age(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (now - since).num_minutes().max(0).unsigned_abs();
    let ago = |n: u64, forms| format!("{} назад", count(n, forms));
    match minutes {
        0 => "только что".to_owned(),
        1..=59 => ago(minutes, ["минуту", "минуты", "минут"]),
        60..=1439 => ago(minutes / 60, ["час", "часа", "часов"]),
        1440..=10079 => ago(minutes / 1440, ["день", "дня", "дней"]),
        _ => date(since.date_naive()),
    }
}

/// The form of a noun that agrees with `count`: `forms` is [one, few, many], as in
/// `["день", "дня", "дней"]` (1, 21 день; 2–4, 22 дня; 5–20, 11–14, 25 дней).
pub fn plural(count: u64, forms: [&str; 3]) -> &str {
    match (count % 10, count % 100) {
        (_, 11..=14) => forms[2],
        (1, _) => forms[0],
        (2..=4, _) => forms[1],
        _ => forms[2],
    }
}

/// A count with its noun: `3 цифры`, `1 показание`, `12 дней`.
pub fn count(count: u64, forms: [&str; 3]) -> String {
    format!("{count} {}", plural(count, forms))
}

/// Nouns that follow a number in our texts, as [one, few, many]: what [`problems`] checks the
/// agreement of.
const COUNTED: &[[&str; 3]] = &[
    ["день", "дня", "дней"],
    ["цифра", "цифры", "цифр"],
    ["показание", "показания", "показаний"],
    ["запись", "записи", "записей"],
    ["попытка", "попытки", "попыток"],
    ["минута", "минуты", "минут"],
    ["секунда", "секунды", "секунд"],
    ["час", "часа", "часов"],
    ["месяц", "месяца", "месяцев"],
    ["знак", "знака", "знаков"],
    ["символ", "символа", "символов"],
    ["счётчик", "счётчика", "счётчиков"],
    ["платёж", "платежа", "платежей"],
    ["документ", "документа", "документов"],
    ["рубль", "рубля", "рублей"],
    ["копейка", "копейки", "копеек"],
    ["зона", "зоны", "зон"],
    ["письмо", "письма", "писем"],
];

/// Words after which a counted noun is genitive: «до 5 дней», «более 1 дня».
const GENITIVE_BEFORE: &[&str] = &[
    "от",
    "до",
    "из",
    "более",
    "менее",
    "больше",
    "меньше",
    "свыше",
    "около",
    "длиннее",
    "короче",
];

/// Latin words a Russian text may carry: the names of things that are written so in Russian too
/// (formats, card brands, services, keys on a keyboard).
const LATIN_ALLOWED: &[&str] = &[
    "e",
    "mail",
    "E",
    "SMS",
    "PDF",
    "QR",
    "JPEG",
    "PNG",
    "HEIC",
    "CVC",
    "CVV",
    "VISA",
    "Mastercard",
    "D",
    "Secure",
    "FCM",
    "APNs",
    "Enter",
    "Ctrl",
    "C",
    "lk",
];

/// What a Russian text gets wrong, each in a few words: Latin words outside names and units
/// (codes, English), dot decimals (`125.5`), numbers of four digits and more left ungrouped
/// before a decimal comma, and nouns that do not agree with the number before them (`3 цифр`).
/// Dates (`21.11.2026`) and times are not decimals. Tests of every crate walk their texts with it.
pub fn problems(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    // Addresses are names: an e-mail, a link or a path, a site, a command's flag, a function.
    let address = |w: &str| {
        w.contains('@')
            || w.contains("://")
            || w.contains("www.")
            || w.starts_with("--")
            || w.contains("()")
            || w.split('/').skip(1).any(|part| part.starts_with(|c: char| c.is_ascii_alphabetic()))
    };
    // `lk readings outbox`, `cargo run …`: a command quoted for the person to type runs on to the first
    // word that is not all ASCII.
    let mut in_command = false;
    for word in text.split(char::is_whitespace) {
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
        if in_command && word.is_ascii() {
            continue;
        }
        in_command = matches!(bare, "lk" | "cargo");
        if in_command {
            continue;
        }
        if address(word) {
            continue;
        }
        for latin in word.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()) {
            if !LATIN_ALLOWED.contains(&latin) {
                found.push(format!("латиница «{latin}»"));
            }
        }
    }
    let numeric = |c: char| c.is_ascii_digit() || matches!(c, '.' | ',');
    for run in text.split(|c: char| !numeric(c)) {
        let run = run.trim_matches(['.', ',']);
        if !run.contains('.') {
            continue;
        }
        let groups: Vec<&str> = run.split('.').collect();
        let date =
            matches!(groups.iter().map(|g| g.len()).collect::<Vec<_>>()[..], [2, 2] | [2, 2, 4]);
        // One dot makes a decimal; more are a date, an address or a version.
        if !date
            && groups.len() == 2
            && groups.iter().all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()))
        {
            found.push(format!("десятичная точка «{run}»"));
        }
    }
    // Dates the Russian way, 21.11.2026: an ISO date (2026-11-21) is the wire's.
    for run in text.split(|c: char| !(c.is_ascii_digit() || c == '-')) {
        let parts: Vec<&str> = run.split('-').collect();
        let iso = matches!(parts.iter().map(|p| p.len()).collect::<Vec<_>>()[..], [4, 2, 2]);
        if iso && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
            found.push(format!("дата не по-русски «{run}»"));
        }
    }
    let digits = text.chars().collect::<Vec<_>>();
    let mut i = 0;
    while i < digits.len() {
        let start = i;
        while i < digits.len() && digits[i].is_ascii_digit() {
            i += 1;
        }
        let before_comma = i - start;
        let glued = start > 0
            && (digits[start - 1].is_ascii_digit() || digits[start - 1] == GROUP_SEPARATOR);
        if before_comma >= 4
            && !glued
            && digits.get(i) == Some(&',')
            && digits.get(i + 1).is_some_and(char::is_ascii_digit)
        {
            found.push(format!(
                "разряды не разделены «{}»",
                digits[start..i + 2].iter().collect::<String>()
            ));
        }
        i = i.max(start + 1);
    }
    let words: Vec<&str> = text.split([' ', '\n', '\t']).filter(|w| !w.is_empty()).collect();
    for (i, pair) in words.windows(2).enumerate() {
        let number = pair[0].trim_start_matches(['(', '«', '—']);
        let Some(n) = counted_number(number) else { continue };
        let noun =
            pair[1].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '»']).to_lowercase();
        // «до 64 символов», «от 21 символа»: after these the noun is genitive whatever the count.
        let genitive = i > 0 && GENITIVE_BEFORE.contains(&words[i - 1].to_lowercase().as_str());
        for forms in COUNTED {
            if forms.contains(&noun.as_str()) {
                let wanted = match n {
                    Some(n) if genitive && plural(n, *forms) == forms[0] => forms[1],
                    Some(_) if genitive => forms[2],
                    Some(n) => plural(n, *forms),
                    // A fraction takes the genitive singular: 2,5 дня, 1,5 часа.
                    None => forms[1],
                };
                if noun != wanted {
                    found.push(format!("«{number} {noun}»: нужно «{wanted}»"));
                }
            }
        }
    }
    found
}

/// A number as it stands before a noun: `Some(Some(n))` for a whole one, `Some(None)` for a
/// fraction, `None` for anything else.
fn counted_number(word: &str) -> Option<Option<u64>> {
    let digits: String = word.chars().filter(|&c| c != GROUP_SEPARATOR).collect();
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if let Ok(n) = digits.parse() {
        return Some(Some(n));
    }
    let (whole, fraction) = digits.split_once(',')?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (all_digits(whole) && all_digits(fraction)).then_some(None)
}

/// The same for the apps through the bindings, by the names and owned types UniFFI takes.
#[cfg(feature = "uniffi")]
mod ffi {
    use super::*;
    use crate::api::{Consent, ErrorCode};
    use crate::ffi_error::LkError;
    use crate::meter::MeterKind;
    use crate::payment::PaymentStatus;
    use crate::round::SkipReason;
    use crate::service::TariffZone;

    /// [`number`]: `99 997,5`.
    #[uniffi::export]
    pub fn number_ru(value: Decimal) -> String {
        number(value)
    }

    /// [`quantity`]: `12,5 кВт·ч`.
    #[uniffi::export]
    pub fn quantity_ru(value: Decimal, unit: Unit) -> String {
        quantity(value, unit)
    }

    /// [`plural`]: the form of the noun that agrees with `count` (a negative one by its size).
    #[uniffi::export]
    pub fn plural_ru(count: i64, one: String, few: String, many: String) -> String {
        plural(count.unsigned_abs(), [&one, &few, &many]).to_owned()
    }

    /// [`count`](super::count): `3 показания`.
    #[uniffi::export]
    pub fn count_ru(count: i64, one: String, few: String, many: String) -> String {
        format!("{count} {}", plural_ru(count, one, few, many))
    }

    /// [`Money::format_ru`](crate::Money::format_ru): `1 234,56 ₽`. An amount that is not
    /// money (more than two decimals) is refused as `invalid_input`, never a crash.
    #[uniffi::export]
    pub fn money_ru(amount: crate::Money) -> Result<String, LkError> {
        Ok(amount.format_ru())
    }

    /// [`Money::parse`](crate::Money::parse): what a person typed as an amount («1 234,5»),
    /// refused with the reason under `field`.
    #[uniffi::export]
    pub fn money_parse(text: String, field: String) -> Result<crate::Money, LkError> {
        crate::Money::parse(&text).map_err(|e| LkError::invalid(e, &field))
    }

    /// [`Period::name_ru`](crate::Period::name_ru): `ноябрь 2026`.
    #[uniffi::export]
    pub fn period_ru(period: crate::Period) -> String {
        period.name_ru()
    }

    /// The zone as printed on the meter and the document: «День (Т1)».
    #[uniffi::export]
    pub fn zone_ru(zone: TariffZone) -> String {
        zone.name_ru().to_owned()
    }

    /// «Холодная вода», «Электроэнергия, двухтарифный».
    #[uniffi::export]
    pub fn meter_kind_ru(kind: MeterKind) -> String {
        kind.name_ru().to_owned()
    }

    /// The zones a reading of this kind of meter carries, in the dial's order.
    #[uniffi::export]
    pub fn meter_kind_zones(kind: MeterKind) -> Vec<TariffZone> {
        kind.zones().to_vec()
    }

    /// What this kind of meter counts in.
    #[uniffi::export]
    pub fn meter_kind_unit(kind: MeterKind) -> Unit {
        kind.unit()
    }

    /// «кВт·ч», «м³».
    #[uniffi::export]
    pub fn unit_ru(unit: Unit) -> String {
        unit.symbol_ru().to_owned()
    }

    /// «нет доступа», «пломба нарушена».
    #[uniffi::export]
    pub fn skip_reason_ru(reason: SkipReason) -> String {
        reason.name_ru().to_owned()
    }

    /// «Оплата выполнена успешно».
    #[uniffi::export]
    pub fn payment_status_ru(status: PaymentStatus) -> String {
        status.name_ru().to_owned()
    }

    /// A stable code with the Russian text shown when the service sent no more exact one.
    #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
    pub struct ErrorText {
        pub code: ErrorCode,
        pub text: String,
    }

    /// Every code the apps can be given, `unknown` last, each with its text: so the apps can
    /// test that each is shown, and show one the service sent without a message.
    #[uniffi::export]
    pub fn error_texts() -> Vec<ErrorText> {
        ErrorCode::ALL
            .iter()
            .chain([&ErrorCode::Unknown])
            .map(|&code| ErrorText { code, text: code.text().to_owned() })
            .collect()
    }

    /// The consent to personal data processing a registration asks for, and its version.
    #[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
    pub struct ConsentText {
        pub version: String,
        pub text: String,
    }

    #[uniffi::export]
    pub fn consent_text() -> ConsentText {
        ConsentText { version: Consent::VERSION.to_owned(), text: Consent::TEXT.to_owned() }
    }

    /// [`date`]: `21.11.2026`.
    #[uniffi::export]
    pub fn date_ru(day: NaiveDate) -> String {
        date(day)
    }

    /// [`age`]: how old cached data is, «5 минут назад», for the line beside a screen kept offline.
    #[uniffi::export]
    pub fn age_ru(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
        age(since, now)
    }

    /// [`support`]: the hot line with the support e-mail, for the app's support screen.
    #[uniffi::export]
    pub fn support_contacts() -> String {
        support()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn a_date_reads_day_month_year_with_dots() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 21).expect("a date");
        assert_eq!(date(day), "21.11.2026");
    }

    #[test]
    fn the_age_of_kept_data_agrees_with_its_count_and_becomes_a_date_after_a_week() {
        let now: DateTime<Utc> = "2026-11-21T12:00:00Z".parse().expect("an instant");
        let at = |minutes: i64| now - chrono::TimeDelta::minutes(minutes);
        assert_eq!(age(at(0), now), "только что");
        assert_eq!(age(now + chrono::TimeDelta::minutes(3), now), "только что");
        assert_eq!(age(at(1), now), "1 минуту назад");
        assert_eq!(age(at(3), now), "3 минуты назад");
        assert_eq!(age(at(11), now), "11 минут назад");
        assert_eq!(age(at(21), now), "21 минуту назад");
        assert_eq!(age(at(60), now), "1 час назад");
        assert_eq!(age(at(5 * 60 + 59), now), "5 часов назад");
        assert_eq!(age(at(24 * 60), now), "1 день назад");
        assert_eq!(age(at(3 * 24 * 60), now), "3 дня назад");
        assert_eq!(age(at(10 * 24 * 60), now), "11.11.2026");
        for minutes in [1, 2, 5, 21, 22, 25, 60, 120, 300, 1440, 2880, 7200] {
            let text = age(at(minutes), now);
            assert!(problems(&text).is_empty(), "{text}: {:?}", problems(&text));
        }
    }

    #[test]
    fn numbers_take_the_decimal_comma_and_grouped_thousands() {
        assert_eq!(number(dec!(99997.50)), "99\u{a0}997,5");
        assert_eq!(number(dec!(43.1725)), "43,1725");
        assert_eq!(number(dec!(1234567)), "1\u{a0}234\u{a0}567");
        assert_eq!(number(dec!(-1200.0)), "-1\u{a0}200");
        assert_eq!(number(dec!(0.000)), "0");
        assert_eq!(number(dec!(999)), "999");
    }

    #[test]
    fn a_quantity_carries_its_unit_on_the_same_line() {
        assert_eq!(quantity(dec!(12.50), Unit::Kwh), "12,5\u{a0}кВт·ч");
        assert_eq!(quantity(dec!(3), Unit::CubicMetre), "3\u{a0}м³");
    }

    #[test]
    fn the_noun_agrees_with_the_count() {
        let days = ["день", "дня", "дней"];
        let expected = [
            (0, "0 дней"),
            (1, "1 день"),
            (2, "2 дня"),
            (4, "4 дня"),
            (5, "5 дней"),
            (11, "11 дней"),
            (12, "12 дней"),
            (14, "14 дней"),
            (21, "21 день"),
            (22, "22 дня"),
            (25, "25 дней"),
            (101, "101 день"),
            (111, "111 дней"),
            (112, "112 дней"),
        ];
        for (n, text) in expected {
            assert_eq!(count(n, days), text);
        }
        assert_eq!(count(3, ["показание", "показания", "показаний"]), "3 показания");
    }

    #[cfg(feature = "uniffi")]
    #[test]
    fn the_apps_get_the_same_numbers_and_plurals_through_the_bindings() {
        let forms = || ("показание".to_owned(), "показания".to_owned(), "показаний".to_owned());
        let (one, few, many) = forms();
        assert_eq!(ffi::count_ru(3, one, few, many), "3 показания");
        let (one, few, many) = forms();
        assert_eq!(ffi::plural_ru(-21, one, few, many), "показание");
        assert_eq!(ffi::number_ru(dec!(99997.5)), "99\u{a0}997,5");
        assert_eq!(ffi::quantity_ru(dec!(1.5), Unit::CubicMetre), "1,5\u{a0}м³");
    }

    #[test]
    fn support_is_named_with_both_the_hot_line_and_the_email() {
        let text = support();
        assert!(text.contains("8 800 250-60-06") && text.contains(SUPPORT_EMAIL), "{text}");
        assert!(problems(&text).is_empty(), "{:?}", problems(&text));
    }

    #[test]
    fn a_text_in_good_russian_has_no_problems() {
        for text in [
            "Расход 1\u{a0}234,5 кВт·ч за 21.11.2026, приём показаний с 15 по 25 число",
            "Осталось 2 дня; 1 показание, 5 показаний, 2,5 дня, 21 день",
            "Код отправлен по SMS, чек на e-mail, документ в PDF, время 8:00",
            "Счётчик № 0123456, лицевой счёт 450001000001",
            "Пишите на lk@vostok-electra.ru или на сайт www.kurgan.vostok-electra.ru",
            "Войдите (lk login --login demo), затем lk readings outbox; ссылка {url}/api/v1/x",
        ] {
            assert_eq!(problems(text), Vec::<String>::new(), "{text}");
        }
    }

    #[test]
    fn latin_words_dot_decimals_ungrouped_thousands_and_wrong_plurals_are_found() {
        assert_eq!(problems("Услуга heating"), ["латиница «heating»"]);
        assert_eq!(problems("расход 125.5 м³"), ["десятичная точка «125.5»"]);
        assert_eq!(problems("показание 99997,5"), ["разряды не разделены «99997,5»"]);
        assert_eq!(problems("на счётчике 3 цифр"), ["«3 цифр»: нужно «цифры»"]);
        assert_eq!(problems("осталось 5 дня"), ["«5 дня»: нужно «дней»"]);
        assert_eq!(problems("от 3 до 64 символов, от 21 символа"), Vec::<String>::new());
        assert_eq!(problems("до 21 символов"), ["«21 символов»: нужно «символа»"]);
        assert_eq!(problems("адрес 127.0.0.1, версия 1.2.3"), Vec::<String>::new());
        assert_eq!(problems("срок до 2026-11-21"), ["дата не по-русски «2026-11-21»"]);
        assert_eq!(problems("reading_refused"), ["латиница «reading»", "латиница «refused»"]);
    }
}
