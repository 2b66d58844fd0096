//! Card payments through the acquirer's page (R9, R23).

use serde::{Deserialize, Serialize};

use crate::Money;
use crate::account::AccountNumber;
use crate::allocation::FixedAmount;
use crate::contact::Contact;
use crate::payment::Payment;
use crate::period::Period;

request! {
    /// Pay a document: the total the resident settled on ("Итоговая сумма верна"), the amounts
    /// typed for editable services, and where the receipt copy goes. The split is derived by
    /// the server with the core's allocation, never taken from the client.
    pub struct PaymentRequest {
        pub account_number: AccountNumber,
        pub period: Period,
        pub total: Money,
        #[serde(default)]
        pub fixed: Vec<FixedAmount>,
        pub receipt_contact: Contact,
        /// Where the acquirer's page sends the browser back (the app's deep link).
        pub return_url: String,
    }
}

response! {
    pub struct PaymentView {
        pub payment: Payment,
        /// The acquirer's page to open while the payment waits for the card.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub confirmation_url: Option<String>,
        /// The status in words ("Оплата выполнена успешно").
        pub status_text: String,
    }
}
