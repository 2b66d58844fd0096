//! Accounts, their charges and payment documents (R6–R8).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::Money;
use crate::account::{Account, AccountNumber};
use crate::contact::Email;
use crate::document::{DocumentError, PaymentDocument};
use crate::meter::{Dial, MeterKind};
use crate::money::format_decimal_ru;
use crate::period::Period;
use crate::region::Region;
use crate::requisites::Requisites;
use crate::service::{Service, Tariff, TariffZone};

response! {
    /// Where an account stands now: the latest document's column 8 less what was paid since.
    pub struct AccountBalance {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub document_period: Option<Period>,
        /// The latest document's "to pay" over all services (negative: overpaid).
        pub document_to_pay: Money,
        /// Card payments that succeeded after that document was issued.
        pub paid_since: Money,
        /// Debt (positive) or overpayment (negative) today.
        pub debt: Money,
    }
}

response! {
    /// One account of the profile, as the account list shows it.
    pub struct AccountSummary {
        pub number: AccountNumber,
        pub owner: String,
        pub address: String,
        pub region: Region,
        /// Bound at registration (true) or linked by another profile's login (R19).
        pub own: bool,
        pub balance: AccountBalance,
    }
}

response! {
    /// A service with its tariffs in the account's region (one per zone).
    pub struct ServiceTariffs {
        pub service: Service,
        pub tariffs: Vec<Tariff>,
    }
}

response! {
    /// R6: owner, address, number, debt, services with tariffs, suppliers with requisites.
    pub struct AccountDetails {
        pub account: Account,
        pub own: bool,
        pub balance: AccountBalance,
        pub services: Vec<ServiceTariffs>,
        pub suppliers: Vec<Requisites>,
    }
}

response! {
    pub struct DocumentSummary {
        pub period: Period,
        pub issued_on: NaiveDate,
        pub due_date: NaiveDate,
        /// Column 8 over all services (negative: overpaid).
        pub to_pay: Money,
        /// What the payment QR asks for: the positive part of `to_pay`.
        pub amount_due: Money,
    }
}

response! {
    /// A meter reading the document's volume was computed from.
    pub struct DocumentMeterReading {
        pub meter_id: String,
        pub serial: String,
        pub kind: MeterKind,
        pub zone: TariffZone,
        /// The meter's dial: how many digits its readings and consumption may have.
        pub dial: Dial,
        pub previous: Decimal,
        pub current: Decimal,
        pub consumption: Decimal,
    }
}

impl DocumentView {
    /// Re-checks a document view before it is shown or printed: the document itself, and every
    /// meter reading used as its dial shows it, with the use between the two.
    pub fn verify(&self) -> Result<(), DocumentError> {
        self.document.verify()?;
        for used in &self.meter_readings {
            let shown = [used.previous, used.current].into_iter().all(|v| used.dial.shows(v));
            let consumption = used.dial.consumption(used.previous, used.current);
            if !shown || consumption != Some(used.consumption) {
                return Err(DocumentError::ReadingBeyondDial {
                    serial: used.serial.clone(),
                    value: format_decimal_ru(used.current),
                });
            }
        }
        Ok(())
    }
}

response! {
    /// R7, R8: the payment document with its 8 columns, totals and recalculation reasons; the
    /// GOST R 56042-2014 payload of its payment QR; which lines the payer may change the amount
    /// of (R9); the meter readings used.
    pub struct DocumentView {
        pub document: PaymentDocument,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub payment_qr: Option<String>,
        pub editable_services: Vec<String>,
        pub meter_readings: Vec<DocumentMeterReading>,
    }
}

request! {
    /// Send the document by e-mail (R8); to the profile's e-mail unless another is given.
    pub struct DocumentEmailRequest {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub email: Option<Email>,
    }
}

response! {
    pub struct DocumentEmailQueued {
        pub sent_to: String,
    }
}
