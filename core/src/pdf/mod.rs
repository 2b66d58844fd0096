//! PDFs made by the core, so a phone prints them offline and the server e-mails the very same
//! file: the payment document (ЕПД, R8), the reports (R13–R15), the fiscal receipt copy, and the
//! paper-refusal application (R20). Text is real text in an embedded, subset font (copying from
//! the PDF gives the words); amounts are formatted to the kopeck; the same input gives the same
//! bytes (no dates inside but those of the content).

mod canvas;

use crate::Money;
use crate::api::{
    ChargeHistory, DocumentView, PaperRefusalForm, PaymentHistory, ReadingsReport, RoundView,
};
use crate::meter::{MeterScope, ZoneValue};
use crate::money::format_decimal_ru as decimal;
use crate::payment::{Payment, PaymentStatus};
use crate::qr::{QrError, QrImage};
use canvas::{Align, Canvas, Column, MARGIN, PAGE_W, Weight, table};

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error(transparent)]
    Font(#[from] canvas::FontError),
    #[error("QR-код документа: {0}")]
    Qr(#[from] QrError),
    #[error("У платежа нет кассового чека: он ещё не проведён")]
    NoReceipt,
}

const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;

fn money(m: Money) -> String {
    m.format_ru_plain()
}

fn date(d: chrono::NaiveDate) -> String {
    crate::wording::date(d)
}

/// A label in grey-ish small type and its value after it.
fn field(c: &mut Canvas, x: f32, width: f32, label: &str, value: &str) {
    c.y += 4.2;
    let y = c.y;
    c.text(x, y, 8.0, Weight::Regular, Align::Left, label);
    let indent = c.measure(label, 8.0, Weight::Regular) + 1.5;
    let lines = c.wrap(value, width - indent, 8.0, Weight::Bold);
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            c.y += 3.6;
        }
        let y = c.y;
        c.text(x + indent, y, 8.0, Weight::Bold, Align::Left, line);
    }
}

fn heading(c: &mut Canvas, text: &str) {
    c.ensure(12.0);
    c.y += 7.0;
    let y = c.y;
    c.text(MARGIN, y, 10.0, Weight::Bold, Align::Left, text);
    c.y += 2.0;
}

/// The QR code as vector squares, `size` mm wide with its quiet zone, top-left at (x, y).
fn draw_qr(c: &mut Canvas, image: &QrImage, x: f32, y: f32, size: f32) {
    let modules = image.width() + 8;
    let cell = size / modules as f32;
    c.rect(x, y, size, size, Some(1.0));
    for row in 0..image.width() {
        let mut col = 0;
        while col < image.width() {
            if image.is_dark(col, row) {
                let start = col;
                while col < image.width() && image.is_dark(col, row) {
                    col += 1;
                }
                let run = (col - start) as f32;
                c.rect(
                    x + (start + 4) as f32 * cell,
                    y + (row + 4) as f32 * cell,
                    run * cell,
                    cell + 0.01,
                    Some(0.0),
                );
            } else {
                col += 1;
            }
        }
    }
}

/// The payment document (ЕПД) after the structure of the standard form (Minstroy order
/// 43/пр): payer and payee, the sum with its QR, the 8-column calculation (R7) with the
/// recalculations and the meter readings used, and how to reach the supplier.
pub fn payment_document(view: &DocumentView) -> Result<Vec<u8>, PdfError> {
    let d = &view.document;
    let head = &d.head;
    let period = head.period.name_ru();
    let mut c =
        Canvas::new(&format!("Платёжный документ за {period}, л/с {}", head.account.number))?;

    c.y += 5.0;
    c.text(MARGIN, c.y, 13.0, Weight::Bold, Align::Left, "ЕДИНЫЙ ПЛАТЁЖНЫЙ ДОКУМЕНТ");
    c.text(PAGE_W - MARGIN, c.y, 11.0, Weight::Bold, Align::Right, &format!("за {period}"));
    c.y += 4.5;
    c.text(
        MARGIN,
        c.y,
        8.0,
        Weight::Regular,
        Align::Left,
        "для внесения платы за коммунальные услуги",
    );
    c.y += 2.5;
    c.line(MARGIN, c.y, PAGE_W - MARGIN, c.y, 1.0);

    // Section 1: payer (left), payee (right).
    let top = c.y;
    let half = CONTENT_W / 2.0 - 3.0;
    c.y += 1.0;
    c.y += 4.0;
    c.text(MARGIN, c.y, 9.0, Weight::Bold, Align::Left, "Плательщик");
    field(&mut c, MARGIN, half, "Ф. И. О.:", &head.account.owner.full());
    field(&mut c, MARGIN, half, "Адрес:", &head.account.address);
    field(&mut c, MARGIN, half, "Лицевой счёт:", head.account.number.as_str());
    if let Some(area) = head.account.area_m2 {
        field(&mut c, MARGIN, half, "Площадь:", &format!("{} м²", decimal(area)));
    }
    field(&mut c, MARGIN, half, "Проживает:", &format!("{} чел.", head.account.residents));
    let left_bottom = c.y;
    c.y = top + 5.0;
    let rx = MARGIN + CONTENT_W / 2.0 + 3.0;
    c.text(rx, c.y, 9.0, Weight::Bold, Align::Left, "Получатель платежа");
    let p = &head.payee;
    field(&mut c, rx, half, "", &p.name);
    field(&mut c, rx, half, "ИНН/КПП:", &format!("{} / {}", p.inn, p.kpp));
    field(&mut c, rx, half, "Р/с:", &p.settlement_account);
    field(&mut c, rx, half, "Банк:", &p.bank_name);
    field(&mut c, rx, half, "БИК:", &p.bic);
    field(&mut c, rx, half, "К/с:", &p.correspondent_account);
    c.y = c.y.max(left_bottom) + 4.0;

    // Section 2: what to pay, with the QR code for banks' apps.
    let box_top = c.y;
    let qr_size = 44.0;
    c.rect(MARGIN, box_top, CONTENT_W, qr_size + 4.0, None);
    c.y = box_top + 9.0;
    c.text(
        MARGIN + 4.0,
        c.y,
        10.0,
        Weight::Regular,
        Align::Left,
        &format!("Итого к оплате за {period}:"),
    );
    c.y += 9.0;
    c.text(MARGIN + 4.0, c.y, 20.0, Weight::Bold, Align::Left, &d.totals.amount_due.format_ru());
    c.y += 7.0;
    c.text(
        MARGIN + 4.0,
        c.y,
        9.0,
        Weight::Regular,
        Align::Left,
        &format!("Оплатить до {}", date(head.due_date)),
    );
    if d.totals.credit.is_positive() {
        c.y += 5.0;
        c.text(
            MARGIN + 4.0,
            c.y,
            9.0,
            Weight::Regular,
            Align::Left,
            &format!("Переплата на начало следующего периода: {}", d.totals.credit.format_ru()),
        );
    }
    c.y += 5.0;
    c.text(
        MARGIN + 4.0,
        c.y,
        8.0,
        Weight::Regular,
        Align::Left,
        &format!("Документ сформирован {}", date(head.issued_on)),
    );
    c.y += 4.0;
    let hint = "Оплата по QR-коду — в приложении любого банка (ГОСТ Р 56042-2014)";
    c.text(MARGIN + 4.0, c.y, 7.0, Weight::Regular, Align::Left, hint);
    match &view.payment_qr {
        Some(payload) => {
            let image = QrImage::of_payment(payload)?;
            draw_qr(&mut c, &image, PAGE_W - MARGIN - qr_size - 2.0, box_top + 2.0, qr_size)
        }
        None => c.text(
            PAGE_W - MARGIN - 4.0,
            box_top + 20.0,
            9.0,
            Weight::Regular,
            Align::Right,
            "Оплата не требуется",
        ),
    }
    c.y = box_top + qr_size + 4.0;

    // Section 3: the calculation, columns numbered as in R7.
    heading(&mut c, "Расчёт размера платы за коммунальные услуги, руб.");
    let columns = [
        Column { title: "1 Услуга", width: 44.0, align: Align::Left },
        Column { title: "2 Тариф, руб.", width: 17.0, align: Align::Right },
        Column {
            title: "3 Долг (+) / переплата (−)", width: 22.0, align: Align::Right
        },
        Column { title: "4 Оплачено", width: 19.0, align: Align::Right },
        Column { title: "5 Объём", width: 21.0, align: Align::Right },
        Column { title: "6 Начислено", width: 19.0, align: Align::Right },
        Column { title: "7 Перерасчёт (±)", width: 19.0, align: Align::Right },
        Column {
            title: "8 Итого к оплате", width: CONTENT_W - 161.0, align: Align::Right
        },
    ];
    let rows: Vec<Vec<String>> = d.table_ru().into_iter().map(Vec::from).collect();
    table(&mut c, &columns, &rows, true);

    if !d.recalculations.is_empty() {
        heading(&mut c, "Перерасчёты");
        for r in &d.recalculations {
            let name = d
                .lines
                .iter()
                .find(|l| l.basis.service_code == r.service_code)
                .map_or(r.service_code.as_str(), |l| l.basis.service_name.as_str());
            c.paragraph(
                MARGIN,
                CONTENT_W,
                8.0,
                Weight::Regular,
                &format!("{name}: {} руб. — {}", money(r.amount), r.reason),
            );
        }
    }

    if !view.meter_readings.is_empty() {
        heading(&mut c, "Показания индивидуальных приборов учёта");
        let columns = [
            Column { title: "Прибор учёта", width: 52.0, align: Align::Left },
            Column { title: "Заводской номер", width: 30.0, align: Align::Left },
            Column { title: "Зона", width: 28.0, align: Align::Left },
            Column { title: "Предыдущие", width: 28.0, align: Align::Right },
            Column { title: "Текущие", width: 24.0, align: Align::Right },
            Column { title: "Расход", width: CONTENT_W - 162.0, align: Align::Right },
        ];
        let rows: Vec<Vec<String>> = view
            .meter_readings
            .iter()
            .map(|m| {
                vec![
                    m.kind.name_ru().to_owned(),
                    m.serial.clone(),
                    m.zone.name_ru().to_owned(),
                    decimal(m.previous),
                    decimal(m.current),
                    format!("{} {}", decimal(m.consumption), m.kind.unit().symbol_ru()),
                ]
            })
            .collect();
        table(&mut c, &columns, &rows, false);
    }

    heading(&mut c, "Справочная информация");
    c.paragraph(MARGIN, CONTENT_W, 8.0, Weight::Regular, &crate::wording::support());
    c.paragraph(MARGIN, CONTENT_W, 8.0, Weight::Regular, &format!("Сайт для обращений: {}. Показания счётчиков принимаются в личном кабинете с {} по {} число месяца.", head.account.region.site(), head.account.region.default_window().first_day, head.account.region.default_window().last_day));
    Ok(c.finish(
        &format!("ЕПД л/с {} за {period} · {}", head.account.number, p.name),
        Some(head.issued_on),
    ))
}

/// R13: the payments of a range with their receipts' details.
pub fn payment_history(history: &PaymentHistory) -> Result<Vec<u8>, PdfError> {
    let title = format!("История платежей с {} по {}", date(history.from), date(history.to));
    let mut c = Canvas::new(&title)?;
    report_title(&mut c, &title, history.account_number.as_str());
    let columns = [
        Column { title: "Дата", width: 26.0, align: Align::Left },
        Column { title: "Сумма, руб.", width: 24.0, align: Align::Right },
        Column { title: "Статус", width: 36.0, align: Align::Left },
        Column { title: "Место расчётов", width: 42.0, align: Align::Left },
        Column {
            title: "Чек: ФН / ФД / ФП", width: CONTENT_W - 128.0, align: Align::Left
        },
    ];
    let mut rows: Vec<Vec<String>> = history
        .payments
        .iter()
        .map(|p| {
            let receipt = p.receipt.as_ref();
            vec![
                receipt.map_or_else(
                    || p.created_at.format("%d.%m.%Y").to_string(),
                    |r| r.issued_at.format("%d.%m.%Y %H:%M").to_string(),
                ),
                money(p.allocation.total),
                p.status.name_ru().to_owned(),
                receipt.map_or_else(String::new, |r| r.place.clone()),
                receipt.map_or_else(String::new, |r| {
                    format!("{} / {} / {}", r.fiscal_storage, r.document_number, r.fiscal_sign)
                }),
            ]
        })
        .collect();
    rows.push(vec![
        "Итого оплачено".into(),
        money(history.total_paid),
        String::new(),
        String::new(),
        String::new(),
    ]);
    table(&mut c, &columns, &rows, true);
    Ok(c.finish(&format!("{title} · л/с {}", history.account_number), Some(history.to)))
}

fn report_title(c: &mut Canvas, title: &str, account: &str) {
    c.y += 5.0;
    c.text(MARGIN, c.y, 13.0, Weight::Bold, Align::Left, title);
    c.y += 5.0;
    c.text(
        MARGIN,
        c.y,
        9.0,
        Weight::Regular,
        Align::Left,
        &format!("Лицевой счёт {account} · АО «ЭК «Восток»"),
    );
    c.y += 3.0;
    c.line(MARGIN, c.y, PAGE_W - MARGIN, c.y, 1.0);
    c.y += 3.0;
}

/// R14: the charges month by month, each with its services.
pub fn charge_history(history: &ChargeHistory) -> Result<Vec<u8>, PdfError> {
    let title = match (history.months.first(), history.months.last()) {
        (Some(first), Some(last)) => {
            format!("Начисления за {} — {}", first.period.name_ru(), last.period.name_ru())
        }
        _ => "Начисления".to_owned(),
    };
    let mut c = Canvas::new(&title)?;
    report_title(&mut c, &title, history.account_number.as_str());
    let columns = [
        Column { title: "Период", width: 28.0, align: Align::Left },
        Column { title: "Услуга", width: 52.0, align: Align::Left },
        Column { title: "Начислено, руб.", width: 26.0, align: Align::Right },
        Column { title: "Перерасчёт, руб.", width: 26.0, align: Align::Right },
        Column { title: "Оплачено, руб.", width: 26.0, align: Align::Right },
        Column { title: "К оплате, руб.", width: CONTENT_W - 158.0, align: Align::Right },
    ];
    let mut rows = Vec::new();
    for month in &history.months {
        for line in &month.lines {
            rows.push(vec![
                month.period.name_ru(),
                line.basis.service_name.clone(),
                money(line.charged),
                money(line.basis.recalculation),
                money(line.basis.paid),
                money(line.to_pay),
            ]);
        }
        rows.push(vec![
            month.period.name_ru(),
            "Итого за месяц".into(),
            money(month.totals.charged),
            money(month.totals.recalculation),
            money(month.totals.paid),
            money(month.totals.to_pay),
        ]);
    }
    table(&mut c, &columns, &rows, false);
    let last = history.months.iter().map(|m| m.period.last_day()).max();
    Ok(c.finish(&format!("{title} · л/с {}", history.account_number), last))
}

/// R15: readings, individual or common-house, per period.
pub fn readings_report(report: &ReadingsReport) -> Result<Vec<u8>, PdfError> {
    let kind = match report.kind {
        MeterScope::Individual => "индивидуальные приборы учёта",
        MeterScope::CommonHouse => "общедомовые приборы учёта",
    };
    let title = format!("Показания: {kind}, {} — {}", report.from.name_ru(), report.to.name_ru());
    let mut c = Canvas::new(&title)?;
    report_title(&mut c, &title, report.account_number.as_str());
    let columns = [
        Column { title: "Период", width: 26.0, align: Align::Left },
        Column { title: "Прибор учёта", width: 44.0, align: Align::Left },
        Column { title: "Заводской номер", width: 28.0, align: Align::Left },
        Column { title: "Показания", width: 36.0, align: Align::Right },
        Column { title: "Расход", width: 24.0, align: Align::Right },
        Column { title: "Принято", width: CONTENT_W - 158.0, align: Align::Left },
    ];
    let rows: Vec<Vec<String>> = report.rows.iter().map(|r| Vec::from(r.cells_ru())).collect();
    table(&mut c, &columns, &rows, false);
    Ok(c.finish(&format!("{title} · л/с {}", report.account_number), Some(report.to.last_day())))
}

/// The copy of a card payment's fiscal receipt (кассовый чек, 54-ФЗ) with its QR code.
pub fn receipt(payment: &Payment) -> Result<Vec<u8>, PdfError> {
    let r = payment
        .receipt
        .as_ref()
        .filter(|_| payment.status == PaymentStatus::Succeeded)
        .ok_or(PdfError::NoReceipt)?;
    let mut c = Canvas::new(&format!("Кассовый чек № {}", r.document_number))?;
    let x = MARGIN + 40.0;
    let w = CONTENT_W - 80.0;
    c.y += 6.0;
    c.text(PAGE_W / 2.0, c.y, 12.0, Weight::Bold, Align::Center, "КАССОВЫЙ ЧЕК · ПРИХОД");
    c.y += 2.0;
    c.paragraph(x, w, 9.0, Weight::Regular, &format!("{}, ИНН {}", r.seller_name, r.seller_inn));
    c.paragraph(x, w, 9.0, Weight::Regular, &format!("Место расчётов: {}", r.place));
    c.paragraph(
        x,
        w,
        9.0,
        Weight::Regular,
        &format!("Дата и время: {}", r.issued_at.format("%d.%m.%Y %H:%M")),
    );
    c.paragraph(x, w, 9.0, Weight::Regular, &format!("Лицевой счёт: {}", payment.account));
    c.y += 2.0;
    c.line(x, c.y, x + w, c.y, 0.4);
    for item in &r.items {
        c.y += 5.0;
        let y = c.y;
        c.text(x, y, 9.0, Weight::Regular, Align::Left, &item.name);
        c.text(x + w, y, 9.0, Weight::Regular, Align::Right, &money(item.amount));
        c.y += 3.8;
        let y = c.y;
        c.text(
            x + 3.0,
            y,
            7.5,
            Weight::Regular,
            Align::Left,
            &format!("Услуга, полный расчёт, {}", item.vat.name_ru()),
        );
    }
    c.y += 3.0;
    c.line(x, c.y, x + w, c.y, 0.4);
    c.y += 6.0;
    let y = c.y;
    c.text(x, y, 11.0, Weight::Bold, Align::Left, "ИТОГ");
    c.text(x + w, y, 11.0, Weight::Bold, Align::Right, &money(r.total));
    c.y += 5.0;
    let y = c.y;
    c.text(x, y, 9.0, Weight::Regular, Align::Left, "Безналичными");
    c.text(x + w, y, 9.0, Weight::Regular, Align::Right, &money(r.total));
    for (label, value) in [
        ("Покупатель", r.customer_contact.to_string()),
        ("РН ККТ", r.register_number.clone()),
        ("ФН", r.fiscal_storage.clone()),
        ("ФД", r.document_number.to_string()),
        ("ФП", r.fiscal_sign.to_string()),
        ("Смена", r.shift.to_string()),
    ] {
        c.y += 4.5;
        let y = c.y;
        c.text(x, y, 8.5, Weight::Regular, Align::Left, label);
        c.text(x + w, y, 8.5, Weight::Regular, Align::Right, &value);
    }
    c.y += 6.0;
    let qr = 36.0;
    let top = c.y;
    draw_qr(&mut c, &QrImage::of(&r.qr_text())?, PAGE_W / 2.0 - qr / 2.0, top, qr);
    c.y += qr + 4.0;
    c.text(
        PAGE_W / 2.0,
        c.y,
        7.5,
        Weight::Regular,
        Align::Center,
        "Проверить чек: приложение «Проверка чеков» ФНС России",
    );
    Ok(c.finish(
        &format!("Копия кассового чека · платёж {}", payment.id),
        Some(r.issued_at.date_naive()),
    ))
}

/// R20: the application to receive the payment document by e-mail instead of on paper, filled in.
pub fn paper_refusal_form(form: &PaperRefusalForm) -> Result<Vec<u8>, PdfError> {
    let mut c = Canvas::new("Заявление об отказе от бумажного платёжного документа")?;
    let right = MARGIN + CONTENT_W / 2.0;
    c.y += 4.0;
    c.paragraph(right, CONTENT_W / 2.0, 10.0, Weight::Regular, &form.addressee);
    // «от Смирнова Павла Викторовича», as the service declined it; a form kept by an older app
    // has only the name as it is.
    let applicant = match form.applicant.as_str() {
        "" => format!("Заявитель: {}", form.owner),
        declined => declined.to_owned(),
    };
    c.paragraph(right, CONTENT_W / 2.0, 10.0, Weight::Regular, &applicant);
    c.paragraph(right, CONTENT_W / 2.0, 10.0, Weight::Regular, &format!("адрес: {}", form.address));
    c.paragraph(
        right,
        CONTENT_W / 2.0,
        10.0,
        Weight::Regular,
        &format!("лицевой счёт: {}", form.account_number),
    );
    if let Some(phone) = &form.phone {
        c.paragraph(right, CONTENT_W / 2.0, 10.0, Weight::Regular, &format!("телефон: {phone}"));
    }
    c.y += 14.0;
    c.text(PAGE_W / 2.0, c.y, 13.0, Weight::Bold, Align::Center, "ЗАЯВЛЕНИЕ");
    c.y += 4.0;
    c.paragraph(MARGIN, CONTENT_W, 11.0, Weight::Regular, &form.text);
    c.y += 4.0;
    let email = form.email.clone().unwrap_or_else(|| "_______________________________".into());
    c.paragraph(
        MARGIN,
        CONTENT_W,
        11.0,
        Weight::Regular,
        &format!("Адрес электронной почты для направления платёжного документа: {email}"),
    );
    c.y += 24.0;
    c.text(MARGIN, c.y, 10.0, Weight::Regular, Align::Left, "«____» ______________ 20____ г.");
    c.text(
        PAGE_W - MARGIN,
        c.y,
        10.0,
        Weight::Regular,
        Align::Right,
        "_______________ / _______________________",
    );
    c.y += 4.5;
    c.text(PAGE_W - MARGIN - 45.0, c.y, 7.0, Weight::Regular, Align::Center, "подпись");
    c.text(PAGE_W - MARGIN - 12.0, c.y, 7.0, Weight::Regular, Align::Center, "расшифровка");
    // The form is dated by hand when signed ("«____» ______ 20__ г."): no date in the file.
    Ok(c.finish(&format!("Заявление · л/с {}", form.account_number), None))
}

/// R24: the route sheet (обходной лист) for a reader who wants paper: each meter of each stop in
/// the order walked, with the previous reading, the expected range and empty columns to write
/// the reading or the skip reason in. Dated by the route's day, so two renders are identical.
pub fn round_sheet(round: &RoundView) -> Result<Vec<u8>, PdfError> {
    let title = format!("Обходной лист: {}", round.name);
    let mut c = Canvas::new(&title)?;
    c.y += 5.0;
    c.text(MARGIN, c.y, 13.0, Weight::Bold, Align::Left, &title);
    c.y += 5.0;
    let subtitle =
        format!("Маршрут {} · версия {} · {}", round.id, round.version, date(round.today));
    c.text(MARGIN, c.y, 9.0, Weight::Regular, Align::Left, &subtitle);
    c.y += 3.0;
    let columns = [
        Column { title: "Адрес", width: 52.0, align: Align::Left },
        Column { title: "Прибор учёта", width: 30.0, align: Align::Left },
        Column { title: "Заводской номер", width: 24.0, align: Align::Left },
        Column { title: "Предыдущие", width: 26.0, align: Align::Right },
        Column { title: "Ожидается", width: 26.0, align: Align::Right },
        Column {
            title: "Показания / причина", width: CONTENT_W - 158.0, align: Align::Left
        },
    ];
    let mut rows = Vec::new();
    for stop in round.stops.iter().filter(|s| !s.cancelled) {
        for m in &stop.meters {
            let previous =
                m.previous.as_ref().map(|r| ZoneValue::list_ru(&r.values)).unwrap_or_default();
            let expected: Vec<String> = m
                .expected
                .iter()
                .map(|r| format!("{} — {}", decimal(r.low), decimal(r.high)))
                .collect();
            rows.push(vec![
                stop.address.clone(),
                m.meter.kind.name_ru().to_owned(),
                m.meter.serial.clone(),
                previous,
                expected.join("; "),
                String::new(),
            ]);
        }
    }
    table(&mut c, &columns, &rows, false);
    Ok(c.finish(&format!("{title} · {}", round.id), Some(round.today)))
}
