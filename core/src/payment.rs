//! A card payment and its fiscal receipt (R9, R13, R23).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::account::AccountNumber;
use crate::allocation::Allocation;
use crate::contact::Contact;
use crate::money::{Money, MoneyError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum PaymentStatus {
    /// Registered, the acquirer's page not yet opened.
    Created,
    /// The resident is on the acquirer's page or 3-D Secure; the outcome is not known yet.
    Pending,
    Succeeded,
    Declined,
    Canceled,
}

impl PaymentStatus {
    pub fn is_final(self) -> bool {
        matches!(self, PaymentStatus::Succeeded | PaymentStatus::Declined | PaymentStatus::Canceled)
    }

    /// The status after hearing `reported`. Notifications arrive twice and out of order, so a
    /// payment only ever moves forward: a final status stays, and a late "pending" changes
    /// nothing.
    pub fn advance(self, reported: PaymentStatus) -> PaymentStatus {
        match (self, reported) {
            (current, _) if current.is_final() => current,
            (PaymentStatus::Pending, PaymentStatus::Created) => PaymentStatus::Pending,
            (_, reported) => reported,
        }
    }

    pub fn name_ru(self) -> &'static str {
        match self {
            PaymentStatus::Created => "Создан",
            PaymentStatus::Pending => "Ожидает подтверждения банка",
            PaymentStatus::Succeeded => "Оплата выполнена успешно",
            PaymentStatus::Declined => "Платёж отклонён банком",
            PaymentStatus::Canceled => "Платёж отменён",
        }
    }
}

/// Why a payment did not go through, as the acquirer reports it, so the resident knows what to
/// do next (R9, R23). Each acquirer's own codes map onto these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum FailureReason {
    /// The card's bank said no: funds, limits, a blocked or expired card.
    DeclinedByBank,
    /// The 3-D Secure code was not confirmed.
    SecureCodeFailed,
    /// The payment was not completed in the time the acquirer allows.
    Expired,
    /// Stopped by the resident or the shop.
    Canceled,
}

impl FailureReason {
    /// The final status a payment that failed for this reason has.
    pub fn status(self) -> PaymentStatus {
        match self {
            FailureReason::DeclinedByBank => PaymentStatus::Declined,
            _ => PaymentStatus::Canceled,
        }
    }

    /// The reason as the resident reads it, with what to do next.
    pub fn text_ru(self) -> &'static str {
        match self {
            FailureReason::DeclinedByBank => {
                "Платёж отклонён банком: проверьте остаток и ограничения карты или оплатите другой картой"
            }
            FailureReason::SecureCodeFailed => {
                "Платёж не подтверждён: код 3-D Secure не принят. Деньги не списаны, повторите оплату"
            }
            FailureReason::Expired => {
                "Время на оплату истекло: платёж не был подтверждён вовремя. Деньги не списаны, повторите оплату"
            }
            FailureReason::Canceled => "Платёж отменён. Деньги не списаны",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Payment {
    pub id: String,
    pub account: AccountNumber,
    pub allocation: Allocation,
    /// Where the copy of the fiscal receipt goes.
    pub receipt_contact: Contact,
    pub status: PaymentStatus,
    pub created_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<FiscalReceipt>,
    /// Why the payment failed: set exactly when the status is declined or canceled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<FailureReason>,
}

impl Payment {
    /// Takes the status the acquirer reported, with its reason if it gave one; answers whether
    /// the payment moved. A payment only moves forward (see [`PaymentStatus::advance`]), and the
    /// reason is fixed with the final status: a reason that does not fit that status is
    /// replaced by the status's plain one.
    pub fn advance(&mut self, reported: PaymentStatus, reason: Option<FailureReason>) -> bool {
        let next = self.status.advance(reported);
        if next == self.status {
            return false;
        }
        self.status = next;
        self.failure = match next {
            PaymentStatus::Declined => {
                Some(reason.filter(|r| r.status() == next).unwrap_or(FailureReason::DeclinedByBank))
            }
            PaymentStatus::Canceled => {
                Some(reason.filter(|r| r.status() == next).unwrap_or(FailureReason::Canceled))
            }
            _ => None,
        };
        true
    }

    /// The status in words; for a failed payment, why it failed.
    pub fn status_text(&self) -> &'static str {
        self.failure.map_or_else(|| self.status.name_ru(), FailureReason::text_ru)
    }
}

/// VAT rate of a receipt line (тег 1199). 22 % is the general rate from 2026.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum VatRate {
    NoVat,
    Vat0,
    Vat10,
    Vat20,
    Vat22,
}

/// The general VAT rate rose from 20 % to 22 % on this day (Federal Law No. 425-FZ).
const VAT_22_FROM: (i32, u32, u32) = (2026, 1, 1);

impl VatRate {
    /// The general rate in force on a receipt's (local) date.
    pub fn general_on(date: NaiveDate) -> VatRate {
        let (y, m, d) = VAT_22_FROM;
        match NaiveDate::from_ymd_opt(y, m, d) {
            Some(from) if date < from => VatRate::Vat20,
            _ => VatRate::Vat22,
        }
    }

    fn percent(self) -> Option<u32> {
        match self {
            VatRate::NoVat => None,
            VatRate::Vat0 => Some(0),
            VatRate::Vat10 => Some(10),
            VatRate::Vat20 => Some(20),
            VatRate::Vat22 => Some(22),
        }
    }

    pub fn name_ru(self) -> String {
        self.percent().map_or_else(|| "Без НДС".to_owned(), |p| format!("НДС {p}%"))
    }

    /// The VAT inside a VAT-inclusive amount: amount × rate / (100 + rate), to the kopeck.
    pub fn included_in(self, amount: Money) -> Result<Money, MoneyError> {
        match self.percent() {
            None | Some(0) => Ok(Money::ZERO),
            Some(p) => {
                Money::round_product(amount.to_decimal(), Decimal::from(p) / Decimal::from(100 + p))
            }
        }
    }
}

/// One service paid, as the receipt lists it (a 54-ФЗ "предмет расчёта": a service, paid in full).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReceiptItem {
    pub name: String,
    pub amount: Money,
    pub vat: VatRate,
}

/// The fiscal receipt (кассовый чек) of a card payment, per 54-ФЗ: operation "приход",
/// electronic payment, with the fiscal data the register signs it with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FiscalReceipt {
    pub seller_name: String,
    pub seller_inn: String,
    /// Place of settlement (место расчётов): the LK's address, since the payment is online.
    pub place: String,
    /// Time of the register, as printed: local time with its offset from UTC.
    #[serde(deserialize_with = "local_time")]
    pub issued_at: DateTime<FixedOffset>,
    pub items: Vec<ReceiptItem>,
    pub total: Money,
    /// Registration number of the cash register (РН ККТ).
    pub register_number: String,
    /// Fiscal storage number (ФН), 16 digits.
    pub fiscal_storage: String,
    /// Fiscal document number (ФД).
    pub document_number: u32,
    /// Fiscal sign of the document (ФП / ФПД).
    pub fiscal_sign: u64,
    pub shift: u32,
    pub customer_contact: Contact,
}

impl FiscalReceipt {
    /// The text of the receipt's QR code, the one the tax service's app checks:
    /// `t=20261125T1530&s=3500.07&fn=…&i=…&fp=…&n=1` (n=1: приход).
    pub fn qr_text(&self) -> String {
        format!(
            "t={}&s={}&fn={}&i={}&fp={}&n=1",
            self.issued_at.format("%Y%m%dT%H%M"),
            self.total,
            self.fiscal_storage,
            self.document_number,
            self.fiscal_sign
        )
    }

    /// The lines add up to the total.
    pub fn is_balanced(&self) -> bool {
        self.items.iter().map(|i| i.amount).sum::<Money>() == self.total
    }
}

/// All three regions keep UTC+5 (Yekaterinburg time): a receipt stored before times carried
/// their offset was issued at that offset.
const REGIONS_OFFSET_SECONDS: i32 = 5 * 3600;

/// Reads a receipt's time with its offset, or a local time stored before offsets were written.
fn local_time<'de, D: serde::Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
    let text = String::deserialize(d)?;
    if let Ok(time) = DateTime::parse_from_rfc3339(&text) {
        return Ok(time);
    }
    let naive: NaiveDateTime = text.parse().map_err(serde::de::Error::custom)?;
    FixedOffset::east_opt(REGIONS_OFFSET_SECONDS)
        .and_then(|offset| offset.from_local_datetime(&naive).single())
        .ok_or_else(|| serde::de::Error::custom("время чека вне диапазона"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use PaymentStatus::*;
    use chrono::NaiveDate;

    #[test]
    fn status_only_moves_forward() {
        assert_eq!(Created.advance(Pending), Pending);
        assert_eq!(Pending.advance(Succeeded), Succeeded);
        assert_eq!(Succeeded.advance(Pending), Succeeded, "a late pending changes nothing");
        assert_eq!(Succeeded.advance(Declined), Succeeded);
        assert_eq!(Declined.advance(Succeeded), Declined);
        assert_eq!(Pending.advance(Created), Pending);
        assert_eq!(Succeeded.advance(Succeeded), Succeeded, "a duplicate is harmless");
    }

    fn payment(status: PaymentStatus) -> Payment {
        Payment {
            id: "pay_1".into(),
            account: "450001000001".parse().unwrap(),
            allocation: Allocation { total: Money::ZERO, parts: Vec::new() },
            receipt_contact: Contact::Email("ivanov@mail.ru".parse().unwrap()),
            status,
            created_at: DateTime::UNIX_EPOCH,
            receipt: None,
            failure: None,
        }
    }

    #[test]
    fn a_failed_payment_keeps_the_reason_it_failed_with_and_never_moves_again() {
        let mut p = payment(Pending);
        assert!(p.advance(Canceled, Some(FailureReason::SecureCodeFailed)));
        assert_eq!((p.status, p.failure), (Canceled, Some(FailureReason::SecureCodeFailed)));
        assert!(p.status_text().contains("3-D Secure"));
        assert!(!p.advance(Succeeded, None), "a late success changes nothing");
        assert!(!p.advance(Canceled, Some(FailureReason::Expired)), "nor a second reason");
        assert_eq!((p.status, p.failure), (Canceled, Some(FailureReason::SecureCodeFailed)));
    }

    #[test]
    fn a_failure_without_a_fitting_reason_gets_its_status_plain_reason() {
        let mut p = payment(Created);
        assert!(p.advance(Declined, Some(FailureReason::Expired)));
        assert_eq!(p.failure, Some(FailureReason::DeclinedByBank));
        assert!(p.status_text().starts_with("Платёж отклонён банком"));
        let mut p = payment(Pending);
        assert!(p.advance(Canceled, None));
        assert_eq!(p.failure, Some(FailureReason::Canceled));
        let mut p = payment(Pending);
        assert!(p.advance(Succeeded, Some(FailureReason::DeclinedByBank)));
        assert_eq!(p.failure, None, "a success has no reason");
        assert_eq!(p.status_text(), "Оплата выполнена успешно");
        let mut p = payment(Created);
        assert!(p.advance(Pending, Some(FailureReason::Expired)));
        assert_eq!((p.failure, p.status_text()), (None, "Ожидает подтверждения банка"));
    }

    #[test]
    fn each_reason_belongs_to_one_failed_status() {
        use FailureReason::*;
        for reason in [DeclinedByBank, SecureCodeFailed, Expired, Canceled] {
            assert!(reason.status().is_final() && reason.status() != Succeeded);
            let mut p = payment(Pending);
            p.advance(reason.status(), Some(reason));
            assert_eq!(p.failure, Some(reason));
            assert_eq!(p.status_text(), reason.text_ru());
        }
    }

    #[test]
    fn vat_is_taken_from_inside_the_amount() {
        let amount: Money = "1220.00".parse().unwrap();
        assert_eq!(VatRate::Vat22.included_in(amount).unwrap(), "220.00".parse().unwrap());
        assert_eq!(
            VatRate::Vat20.included_in("100.00".parse().unwrap()).unwrap(),
            "16.67".parse().unwrap()
        );
        assert_eq!(VatRate::NoVat.included_in(amount).unwrap(), Money::ZERO);
        assert_eq!(VatRate::Vat22.name_ru(), "НДС 22%");
    }

    #[test]
    fn the_general_vat_rate_is_the_one_in_force_on_the_receipts_day() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(VatRate::general_on(day(2025, 12, 31)), VatRate::Vat20);
        assert_eq!(VatRate::general_on(day(2026, 1, 1)), VatRate::Vat22);
    }

    #[test]
    fn a_receipt_time_is_read_with_its_offset_or_as_the_regions_local_time() {
        #[derive(Deserialize)]
        struct Time {
            #[serde(deserialize_with = "local_time")]
            at: DateTime<FixedOffset>,
        }
        let read = |json: &str| serde_json::from_str::<Time>(json).map(|t| t.at.to_rfc3339());
        assert_eq!(
            read(r#"{"at":"2026-11-25T15:30:12+05:00"}"#).unwrap(),
            "2026-11-25T15:30:12+05:00"
        );
        assert_eq!(read(r#"{"at":"2025-10-06T17:30:00"}"#).unwrap(), "2025-10-06T17:30:00+05:00");
        assert!(read(r#"{"at":"вчера"}"#).is_err());
    }

    #[test]
    fn receipt_qr_text_has_the_fields_the_tax_service_checks() {
        let receipt = FiscalReceipt {
            seller_name: "АО «ЭК «Восток»".into(),
            seller_inn: "7705260681".into(),
            place: "https://lk.erc-progress.ru".into(),
            issued_at: DateTime::parse_from_rfc3339("2026-11-25T15:30:12+05:00").unwrap(),
            items: vec![
                ReceiptItem {
                    name: "Электроснабжение".into(),
                    amount: "1500.00".parse().unwrap(),
                    vat: VatRate::Vat22,
                },
                ReceiptItem {
                    name: "Холодная вода".into(),
                    amount: "2000.07".parse().unwrap(),
                    vat: VatRate::Vat22,
                },
            ],
            total: "3500.07".parse().unwrap(),
            register_number: "0000000001012345".into(),
            fiscal_storage: "9999078900012345".into(),
            document_number: 4821,
            fiscal_sign: 2_934_710_556,
            shift: 17,
            customer_contact: Contact::Email("ivanov@mail.ru".parse().unwrap()),
        };
        assert_eq!(
            receipt.qr_text(),
            "t=20261125T1530&s=3500.07&fn=9999078900012345&i=4821&fp=2934710556&n=1"
        );
        assert!(receipt.is_balanced());
    }
}
