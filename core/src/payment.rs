//! A card payment and its fiscal receipt (R9, R13, R23).

use chrono::{DateTime, NaiveDateTime, Utc};
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

impl VatRate {
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
    /// Local time of the register, as printed.
    pub issued_at: NaiveDateTime,
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
    fn receipt_qr_text_has_the_fields_the_tax_service_checks() {
        let receipt = FiscalReceipt {
            seller_name: "АО «ЭК «Восток»".into(),
            seller_inn: "7705260681".into(),
            place: "https://lk.erc-progress.ru".into(),
            issued_at: NaiveDate::from_ymd_opt(2026, 11, 25)
                .unwrap()
                .and_hms_opt(15, 30, 12)
                .unwrap(),
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
