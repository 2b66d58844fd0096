//! The documents as PDF (made by the core, the same file the apps make offline): the payment
//! document, the reports, a payment's receipt and the paper-refusal form.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use lk_core::api::ErrorCode;

use crate::accounts::get_document;
use crate::error::{AppError, AppResult};
use crate::json::ApiQuery;
use crate::reports::{self, DateRange, Months, ReadingsQuery};
use crate::state::{AppState, CurrentUser};

fn pdf(made: Result<Vec<u8>, lk_core::pdf::PdfError>, filename: &str) -> AppResult<Response> {
    let bytes = made.map_err(AppError::internal)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{filename}\"")),
        ],
        bytes,
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/accounts/{number}/documents/{period}/pdf", tag = "documents", security(("bearer" = [])),
    params(("number" = String, Path), ("period" = String, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>)))]
/// R8: the payment document to view, print or save.
pub async fn document_pdf(
    state: State<AppState>,
    user: CurrentUser,
    path: Path<(String, String)>,
) -> AppResult<Response> {
    let name = format!("epd-{}-{}.pdf", path.0.0, path.0.1);
    let view = get_document(state, user, path).await?.0;
    pdf(lk_core::pdf::payment_document(&view), &name)
}

#[utoipa::path(get, path = "/api/v1/accounts/{number}/reports/payments/pdf", tag = "documents", security(("bearer" = [])),
    params(("number" = String, Path), DateRange), responses((status = 200, content_type = "application/pdf", body = Vec<u8>)))]
/// R13 as PDF.
pub async fn payments_pdf(
    state: State<AppState>,
    user: CurrentUser,
    number: Path<String>,
    range: ApiQuery<DateRange>,
) -> AppResult<Response> {
    let history = reports::payment_history(state, user, number, range).await?.0;
    pdf(lk_core::pdf::payment_history(&history), "payments.pdf")
}

#[utoipa::path(get, path = "/api/v1/accounts/{number}/reports/charges/pdf", tag = "documents", security(("bearer" = [])),
    params(("number" = String, Path), Months), responses((status = 200, content_type = "application/pdf", body = Vec<u8>)))]
/// R14 as PDF.
pub async fn charges_pdf(
    state: State<AppState>,
    user: CurrentUser,
    number: Path<String>,
    months: ApiQuery<Months>,
) -> AppResult<Response> {
    let history = reports::charge_history(state, user, number, months).await?.0;
    pdf(lk_core::pdf::charge_history(&history), "charges.pdf")
}

#[utoipa::path(get, path = "/api/v1/accounts/{number}/reports/readings/pdf", tag = "documents", security(("bearer" = [])),
    params(("number" = String, Path), ReadingsQuery), responses((status = 200, content_type = "application/pdf", body = Vec<u8>)))]
/// R15 as PDF.
pub async fn readings_pdf(
    state: State<AppState>,
    user: CurrentUser,
    number: Path<String>,
    query: ApiQuery<ReadingsQuery>,
) -> AppResult<Response> {
    let report = reports::readings_report(state, user, number, query).await?.0;
    pdf(lk_core::pdf::readings_report(&report), "readings.pdf")
}

#[utoipa::path(get, path = "/api/v1/payments/{id}/receipt/pdf", tag = "documents", security(("bearer" = [])),
    params(("id" = String, Path)), responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 409, body = lk_core::api::ApiError)))]
/// The copy of a paid payment's fiscal receipt.
pub async fn receipt_pdf(
    state: State<AppState>,
    user: CurrentUser,
    id: Path<String>,
) -> AppResult<Response> {
    let view = crate::payments::get_payment(state, user, id).await?.0;
    if view.payment.receipt.is_none() {
        return Err(AppError::conflict(
            ErrorCode::NoReceipt,
            "Чек появится, когда платёж будет проведён",
        ));
    }
    pdf(lk_core::pdf::receipt(&view.payment), &format!("receipt-{}.pdf", view.payment.id))
}

#[utoipa::path(get, path = "/api/v1/accounts/{number}/paper-refusal-form/pdf", tag = "documents", security(("bearer" = [])),
    params(("number" = String, Path)), responses((status = 200, content_type = "application/pdf", body = Vec<u8>)))]
/// R20: the application, filled in, to print and sign.
pub async fn paper_refusal_pdf(
    state: State<AppState>,
    user: CurrentUser,
    number: Path<String>,
) -> AppResult<Response> {
    let form = crate::profile::paper_refusal_form(state, user, number).await?.0;
    pdf(lk_core::pdf::paper_refusal_form(&form), "paper-refusal.pdf")
}
