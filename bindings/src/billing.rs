//! The charges table's arithmetic (R7) on the device, with no network: columns 6 and 8 and the
//! totals row computed by the core from what the supplier's records give (columns 1–5 and 7).
//! The apps use it to recompute a table they show; the Kotlin suite checks it against the shared
//! fixtures of `tests/fixtures/charges.json`.

use lk_core::billing::{ChargeBasis, ChargeLine, Totals};

use crate::LkError;

/// The table as printed: a line a service, then the totals row.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ChargeTable {
    pub lines: Vec<ChargeLine>,
    pub totals: Totals,
}

/// Computes the table; a negative tariff, volume or payment is refused as `invalid_input`
/// under the field `lines`, with the service named in the text.
#[uniffi::export]
pub fn charge_table(lines: Vec<ChargeBasis>) -> Result<ChargeTable, LkError> {
    let lines = lines
        .into_iter()
        .map(ChargeLine::compute)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| LkError::invalid(e, "lines"))?;
    let totals = Totals::of(&lines);
    Ok(ChargeTable { lines, totals })
}

#[cfg(test)]
mod tests {
    use super::*;
    use lk_core::Money;
    use lk_core::service::Unit;

    fn basis(tariff: &str, volume: &str) -> ChargeBasis {
        ChargeBasis {
            service_code: "cold_water".into(),
            service_name: "Холодное водоснабжение".into(),
            unit: Unit::CubicMetre,
            tariff: tariff.parse().unwrap(),
            debt: Money::parse("100.00").unwrap(),
            paid: Money::parse("40.00").unwrap(),
            volume: volume.parse().unwrap(),
            recalculation: Money::parse("-5.50").unwrap(),
        }
    }

    #[test]
    fn charge_table_computes_columns_6_and_8_and_the_totals() {
        let table = charge_table(vec![basis("43.1725", "6.512")]).unwrap();
        let line = &table.lines[0];
        assert_eq!(line.charged, Money::parse("281.14").unwrap());
        assert_eq!(line.to_pay, Money::parse("335.64").unwrap());
        assert_eq!(table.totals.to_pay, line.to_pay);
        assert_eq!(table.totals.amount_due, line.to_pay);
    }

    #[test]
    fn charge_table_refuses_a_negative_volume_under_the_lines_field() {
        let error = charge_table(vec![basis("43.1725", "-1")]).unwrap_err();
        let LkError::Failed { code, text, field } = error;
        assert_eq!(code, lk_core::api::ErrorCode::InvalidInput);
        assert_eq!(field.as_deref(), Some("lines"));
        assert!(text.contains("Холодное водоснабжение"), "{text}");
    }
}
