//! The payment document (платёжный документ, ЕПД) of one account for one period (R7, R8).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::account::Account;
use crate::api::AccountBalance;
use crate::billing::{BillingError, ChargeLine, Totals};
use crate::money::{Money, format_decimal_ru};
use crate::payment::{Payment, PaymentStatus};
use crate::period::Period;
use crate::qr::PaymentQr;
use crate::requisites::{Requisites, RequisitesError};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error(transparent)]
    Billing(#[from] BillingError),
    #[error("Реквизиты получателя: {0}")]
    Payee(#[from] RequisitesError),
    #[error("Перерасчёт по услуге «{0}», которой нет в документе")]
    RecalculationForUnknownService(String),
    #[error("Причины перерасчёта по услуге «{service}» дают {listed}, а в графе 7 — {column}")]
    RecalculationMismatch { service: String, listed: Money, column: Money },
    #[error("Услуга «{0}» указана в документе дважды")]
    DuplicateService(String),
    #[error("Показание счётчика № {serial} ({value}) не совпадает с его циферблатом")]
    ReadingBeyondDial { serial: String, value: String },
}

/// What a payment of an account's document is for, the same on its QR code and at the acquirer:
/// `Оплата ЖКУ, л/с 450001000001, октябрь 2026`.
pub fn payment_purpose(account: impl std::fmt::Display, period: Period) -> String {
    format!("Оплата ЖКУ, л/с {account}, {}", period.name_ru())
}

/// R6: where an account stands, from its latest document and its card payments: the
/// document's column 8 over all services less the payments that succeeded from midnight of the
/// day it was issued, by the region's clock (a payment made that day may not be in it yet).
/// Without a document every succeeded payment is an overpayment.
pub fn balance(latest: Option<&PaymentDocument>, payments: &[Payment]) -> AccountBalance {
    let counts = |p: &&Payment| {
        latest.is_none_or(|d| d.head.account.region.local_date(p.created_at) >= d.head.issued_on)
    };
    let paid_since: Money = payments
        .iter()
        .filter(|p| p.status == PaymentStatus::Succeeded)
        .filter(counts)
        .map(|p| p.allocation.total)
        .sum();
    let document_to_pay = latest.map_or(Money::ZERO, |d| d.totals.to_pay);
    AccountBalance {
        document_period: latest.map(|d| d.head.period),
        document_to_pay,
        paid_since,
        debt: document_to_pay - paid_since,
    }
}

/// Why column 7 of a line is what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Recalculation {
    pub service_code: String,
    pub amount: Money,
    pub reason: String,
}

/// Everything printed on the document besides the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct DocumentHead {
    pub account: Account,
    pub period: Period,
    pub issued_on: NaiveDate,
    pub due_date: NaiveDate,
    /// Who collects the payment (the supplier or its settlement operator).
    pub payee: Requisites,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PaymentDocument {
    pub head: DocumentHead,
    pub lines: Vec<ChargeLine>,
    pub totals: Totals,
    pub recalculations: Vec<Recalculation>,
}

impl PaymentDocument {
    /// Issues a document: totals computed from the lines, and everything cross-checked.
    pub fn issue(
        head: DocumentHead,
        lines: Vec<ChargeLine>,
        recalculations: Vec<Recalculation>,
    ) -> Result<PaymentDocument, DocumentError> {
        let totals = Totals::of(&lines);
        let document = PaymentDocument { head, lines, totals, recalculations };
        document.verify()?;
        Ok(document)
    }

    /// Re-checks a document from anywhere (the wire, the offline store) before it is trusted:
    /// every column, every total, the recalculation reasons against column 7, the requisites.
    pub fn verify(&self) -> Result<(), DocumentError> {
        self.totals.verify(&self.lines)?;
        self.head.payee.validate()?;
        for (i, line) in self.lines.iter().enumerate() {
            let code = &line.basis.service_code;
            if self.lines[..i].iter().any(|earlier| &earlier.basis.service_code == code) {
                return Err(DocumentError::DuplicateService(code.clone()));
            }
            let reasons: Vec<&Recalculation> =
                self.recalculations.iter().filter(|r| &r.service_code == code).collect();
            let listed: Money = reasons.iter().map(|r| r.amount).sum();
            if !reasons.is_empty() && listed != line.basis.recalculation {
                return Err(DocumentError::RecalculationMismatch {
                    service: line.basis.service_name.clone(),
                    listed,
                    column: line.basis.recalculation,
                });
            }
        }
        if let Some(stray) = self
            .recalculations
            .iter()
            .find(|r| !self.lines.iter().any(|l| l.basis.service_code == r.service_code))
        {
            return Err(DocumentError::RecalculationForUnknownService(stray.service_code.clone()));
        }
        Ok(())
    }

    /// The 8 columns of R7 as printed on paper and screens: a row a service, then the totals.
    pub fn table_ru(&self) -> Vec<[String; 8]> {
        let money = |m: Money| m.format_ru_plain();
        let mut rows: Vec<[String; 8]> = self
            .lines
            .iter()
            .map(|l| {
                [
                    l.basis.service_name.clone(),
                    format_decimal_ru(l.basis.tariff),
                    money(l.basis.debt),
                    money(l.basis.paid),
                    format!("{} {}", format_decimal_ru(l.basis.volume), l.basis.unit.symbol_ru()),
                    money(l.charged),
                    money(l.basis.recalculation),
                    money(l.to_pay),
                ]
            })
            .collect();
        let t = &self.totals;
        rows.push([
            "Итого".into(),
            String::new(),
            money(t.debt),
            money(t.paid),
            String::new(),
            money(t.charged),
            money(t.recalculation),
            money(t.to_pay),
        ]);
        rows
    }

    /// The payment QR for the amount due; `None` when nothing is due.
    pub fn payment_qr(&self) -> Option<PaymentQr> {
        if !self.totals.amount_due.is_positive() {
            return None;
        }
        let account = &self.head.account.number;
        Some(PaymentQr {
            payee: self.head.payee.clone(),
            account: account.clone(),
            sum: self.totals.amount_due,
            purpose: payment_purpose(account, self.head.period),
            period: self.head.period,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::PersonName;
    use crate::billing::ChargeBasis;
    use crate::region::Region;
    use crate::requisites::tests::sample;
    use crate::service::Unit;
    use rust_decimal::dec;

    fn rub(s: &str) -> Money {
        s.parse().unwrap()
    }

    fn head() -> DocumentHead {
        DocumentHead {
            account: Account {
                number: "450012345678".parse().unwrap(),
                owner: PersonName {
                    last: "Иванов".into(),
                    first: "Иван".into(),
                    patronymic: Some("Иванович".into()),
                },
                address: "г. Курган, ул. Гоголя, д. 1, кв. 1".into(),
                region: Region::Kurgan,
                city: "Курган".into(),
                area_m2: Some(dec!(54.3)),
                residents: 2,
            },
            period: Period::new(2026, 11).unwrap(),
            issued_on: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            due_date: NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
            payee: sample(),
        }
    }

    fn line(code: &str, debt: &str, recalculation: &str) -> ChargeLine {
        ChargeLine::compute(ChargeBasis {
            service_code: code.into(),
            service_name: code.into(),
            unit: Unit::Kwh,
            tariff: dec!(5.47),
            debt: rub(debt),
            paid: rub(debt).max(Money::ZERO),
            volume: dec!(100),
            recalculation: rub(recalculation),
        })
        .unwrap()
    }

    fn reason(code: &str, amount: &str) -> Recalculation {
        Recalculation {
            service_code: code.into(),
            amount: rub(amount),
            reason: "Перерасчёт".into(),
        }
    }

    fn card_payment(total: &str, status: PaymentStatus, at: &str) -> Payment {
        use crate::allocation::Allocation;
        Payment {
            id: format!("pay_{at}"),
            account: "450012345678".parse().unwrap(),
            allocation: Allocation { total: rub(total), parts: Vec::new() },
            receipt_contact: crate::contact::Contact::Email("ivanov@mail.ru".parse().unwrap()),
            status,
            created_at: at.parse().unwrap(),
            receipt: None,
            failure: None,
        }
    }

    #[test]
    fn debt_is_column_8_less_payments_succeeded_from_the_regions_midnight_of_issue() {
        // R6. Issued 1 December 2026 in Kurgan (UTC+5): that day starts at 30 November 19:00 UTC.
        let doc =
            PaymentDocument::issue(head(), vec![line("electricity", "100", "0")], vec![]).unwrap();
        assert_eq!(doc.totals.to_pay, rub("547.00"));
        let payments = [
            card_payment("100", PaymentStatus::Succeeded, "2026-11-30T18:59:59Z"),
            card_payment("200", PaymentStatus::Succeeded, "2026-11-30T19:00:00Z"),
            card_payment("300", PaymentStatus::Declined, "2026-12-02T10:00:00Z"),
            card_payment("400", PaymentStatus::Pending, "2026-12-02T10:00:00Z"),
            card_payment("47", PaymentStatus::Succeeded, "2026-12-03T10:00:00Z"),
        ];
        let balance = balance(Some(&doc), &payments);
        assert_eq!(balance.document_period, Some(Period::new(2026, 11).unwrap()));
        assert_eq!(balance.document_to_pay, rub("547.00"));
        assert_eq!(balance.paid_since, rub("247.00"), "from the local midnight on, succeeded");
        assert_eq!(balance.debt, rub("300.00"));
        let overpaid = super::balance(None, &payments);
        assert_eq!((overpaid.document_period, overpaid.debt), (None, rub("-347.00")));
    }

    #[test]
    fn an_issued_document_carries_its_totals_and_qr() {
        let doc = PaymentDocument::issue(
            head(),
            vec![line("electricity", "100", "-10.00"), line("water", "0", "0")],
            vec![reason("electricity", "-4.00"), reason("electricity", "-6.00")],
        )
        .unwrap();
        assert_eq!(doc.totals.amount_due, rub("1084.00"));
        let qr = doc.payment_qr().unwrap();
        assert_eq!(qr.sum, rub("1084.00"));
        assert_eq!(qr.purpose, "Оплата ЖКУ, л/с 450012345678, ноябрь 2026");
        let json = serde_json::to_string(&doc).unwrap();
        let back: PaymentDocument = serde_json::from_str(&json).unwrap();
        assert_eq!(back.verify(), Ok(()));
        assert_eq!(back, doc);
    }

    #[test]
    fn the_printed_table_has_a_row_a_service_and_the_totals_last() {
        let doc = PaymentDocument::issue(
            head(),
            vec![line("electricity", "1234.5", "-10.00"), line("water", "0", "0")],
            vec![],
        )
        .unwrap();
        let rows = doc.table_ru();
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows[0],
            [
                "electricity",
                "5,47",
                "1\u{a0}234,50",
                "1\u{a0}234,50",
                "100 кВт·ч",
                "547,00",
                "-10,00",
                "537,00"
            ]
        );
        assert_eq!(rows[2][0], "Итого");
        assert_eq!(rows[2][7], doc.totals.to_pay.format_ru_plain());
        assert_eq!(rows[2][1], "");
    }

    #[test]
    fn a_document_in_credit_has_no_qr() {
        let doc = PaymentDocument::issue(head(), vec![line("electricity", "-2000", "0")], vec![])
            .unwrap();
        assert_eq!(doc.totals.credit, rub("1453.00"));
        assert_eq!(doc.payment_qr(), None);
    }

    #[test]
    fn inconsistent_documents_are_refused() {
        let mismatch = PaymentDocument::issue(
            head(),
            vec![line("electricity", "0", "-10.00")],
            vec![reason("electricity", "-9.99")],
        );
        assert!(matches!(mismatch, Err(DocumentError::RecalculationMismatch { .. })));
        let stray = PaymentDocument::issue(
            head(),
            vec![line("electricity", "0", "0")],
            vec![reason("gas", "1")],
        );
        assert_eq!(stray, Err(DocumentError::RecalculationForUnknownService("gas".into())));
        let twice = PaymentDocument::issue(
            head(),
            vec![line("electricity", "0", "0"), line("electricity", "0", "0")],
            vec![],
        );
        assert_eq!(twice, Err(DocumentError::DuplicateService("electricity".into())));
        let mut tampered =
            PaymentDocument::issue(head(), vec![line("electricity", "0", "0")], vec![]).unwrap();
        tampered.lines[0].to_pay = rub("1");
        assert!(matches!(
            tampered.verify(),
            Err(DocumentError::Billing(BillingError::ColumnMismatch { column: 8, .. }))
        ));
    }
}
