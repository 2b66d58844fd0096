//! The arithmetic of the charges table (R7) and of "what this submission will cost".
//!
//! Column 6 (charged) = column 2 (tariff) × column 5 (volume), rounded to the kopeck once;
//! column 8 (to pay) = column 3 (debt, + owed / − overpaid) − column 4 (paid) + column 6
//! \+ column 7 (recalculation, ±). The computed columns are never taken on trust: a line is
//! built by [`ChargeLine::compute`] and a received one is re-checked by [`ChargeLine::verify`].

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::meter::ZoneValue;
use crate::money::{Money, MoneyError};
use crate::service::{Tariff, TariffZone, Unit};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BillingError {
    #[error("Тариф услуги «{service}» не может быть отрицательным")]
    NegativeTariff { service: String },
    #[error("Объём услуги «{service}» не может быть отрицательным")]
    NegativeVolume { service: String },
    #[error("Оплата услуги «{service}» не может быть отрицательной")]
    NegativePaid { service: String },
    #[error("Графа {column} строки «{service}»: ожидалось {expected}, указано {actual}")]
    ColumnMismatch { service: String, column: u8, expected: Money, actual: Money },
    #[error("Итог графы {column}: ожидалось {expected}, указано {actual}")]
    TotalMismatch { column: u8, expected: Money, actual: Money },
    #[error("Нет тарифа услуги «{service}» для зоны «{}»", zone.name_ru())]
    TariffMissing { service: String, zone: TariffZone },
    #[error(transparent)]
    Money(#[from] MoneyError),
}

/// The columns of a charges line that come from the supplier's records (1–5 and 7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChargeBasis {
    pub service_code: String,
    /// Column 1.
    pub service_name: String,
    pub unit: Unit,
    /// Column 2, roubles per unit.
    pub tariff: Decimal,
    /// Column 3: debt (+) or overpayment (−) at the start of the period.
    pub debt: Money,
    /// Column 4: paid in the previous period.
    pub paid: Money,
    /// Column 5, in `unit`.
    pub volume: Decimal,
    /// Column 7: recalculation for earlier periods (±).
    pub recalculation: Money,
}

/// One row of the eight-column table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ChargeLine {
    #[serde(flatten)]
    pub basis: ChargeBasis,
    /// Column 6 = 2 × 5.
    pub charged: Money,
    /// Column 8 = 3 − 4 + 6 + 7.
    pub to_pay: Money,
}

impl ChargeLine {
    pub fn compute(basis: ChargeBasis) -> Result<ChargeLine, BillingError> {
        let service = || basis.service_name.clone();
        if basis.tariff.is_sign_negative() && !basis.tariff.is_zero() {
            return Err(BillingError::NegativeTariff { service: service() });
        }
        if basis.volume.is_sign_negative() && !basis.volume.is_zero() {
            return Err(BillingError::NegativeVolume { service: service() });
        }
        if basis.paid.is_negative() {
            return Err(BillingError::NegativePaid { service: service() });
        }
        let charged = Money::round_product(basis.tariff, basis.volume)?;
        let to_pay = basis.debt - basis.paid + charged + basis.recalculation;
        Ok(ChargeLine { basis, charged, to_pay })
    }

    /// Re-derives columns 6 and 8 and says which one disagrees.
    pub fn verify(&self) -> Result<(), BillingError> {
        let expected = ChargeLine::compute(self.basis.clone())?;
        for (column, expected, actual) in
            [(6, expected.charged, self.charged), (8, expected.to_pay, self.to_pay)]
        {
            if expected != actual {
                return Err(BillingError::ColumnMismatch {
                    service: self.basis.service_name.clone(),
                    column,
                    expected,
                    actual,
                });
            }
        }
        Ok(())
    }
}

/// The bottom row of the table, and what the resident is asked to pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Totals {
    pub debt: Money,
    pub paid: Money,
    pub charged: Money,
    pub recalculation: Money,
    /// Sum of column 8, signed.
    pub to_pay: Money,
    /// What the document asks for: column 8's sum, or 0 when that is negative.
    pub amount_due: Money,
    /// The resident's overpayment carried forward when column 8's sum is negative, else 0.
    pub credit: Money,
}

impl Totals {
    pub fn of(lines: &[ChargeLine]) -> Totals {
        let sum = |column: fn(&ChargeLine) -> Money| lines.iter().map(column).sum::<Money>();
        let to_pay = sum(|l| l.to_pay);
        Totals {
            debt: sum(|l| l.basis.debt),
            paid: sum(|l| l.basis.paid),
            charged: sum(|l| l.charged),
            recalculation: sum(|l| l.basis.recalculation),
            to_pay,
            amount_due: to_pay.max(Money::ZERO),
            credit: (-to_pay).max(Money::ZERO),
        }
    }

    /// Checks every line and that these totals are theirs.
    pub fn verify(&self, lines: &[ChargeLine]) -> Result<(), BillingError> {
        lines.iter().try_for_each(ChargeLine::verify)?;
        let expected = Totals::of(lines);
        let columns = [
            (3, expected.debt, self.debt),
            (4, expected.paid, self.paid),
            (6, expected.charged, self.charged),
            (7, expected.recalculation, self.recalculation),
            (8, expected.to_pay, self.to_pay),
            (8, expected.amount_due, self.amount_due),
            (8, expected.credit, self.credit),
        ];
        match columns.into_iter().find(|(_, e, a)| e != a) {
            Some((column, expected, actual)) => {
                Err(BillingError::TotalMismatch { column, expected, actual })
            }
            None => Ok(()),
        }
    }
}

/// The cost of one zone's consumption at its tariff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ZoneCost {
    pub zone: TariffZone,
    pub volume: Decimal,
    pub price: Decimal,
    pub cost: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CostEstimate {
    pub zones: Vec<ZoneCost>,
    pub total: Money,
}

/// "What this submission will cost": each zone's consumption times that zone's tariff of the
/// service, each rounded to the kopeck as the document will round it.
pub fn estimate_cost(
    service_code: &str,
    consumption: &[ZoneValue],
    tariffs: &[Tariff],
) -> Result<CostEstimate, BillingError> {
    let zones = consumption
        .iter()
        .map(|c| {
            let tariff =
                tariffs.iter().find(|t| t.service_code == service_code && t.zone == c.zone).ok_or(
                    BillingError::TariffMissing { service: service_code.to_owned(), zone: c.zone },
                )?;
            let cost = Money::round_product(tariff.price, c.value)?;
            Ok(ZoneCost { zone: c.zone, volume: c.value, price: tariff.price, cost })
        })
        .collect::<Result<Vec<_>, BillingError>>()?;
    let total = zones.iter().map(|z| z.cost).sum();
    Ok(CostEstimate { zones, total })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::dec;

    fn rub(s: &str) -> Money {
        s.parse().unwrap()
    }

    fn basis(
        tariff: Decimal,
        volume: Decimal,
        debt: &str,
        paid: &str,
        recalc: &str,
    ) -> ChargeBasis {
        ChargeBasis {
            service_code: "electricity".into(),
            service_name: "Электроснабжение".into(),
            unit: Unit::Kwh,
            tariff,
            debt: rub(debt),
            paid: rub(paid),
            volume,
            recalculation: rub(recalc),
        }
    }

    #[test]
    fn column_6_is_tariff_times_volume_rounded_once() {
        let line = ChargeLine::compute(basis(dec!(5.47), dec!(123.456), "0", "0", "0")).unwrap();
        assert_eq!(line.charged, rub("675.30")); // 675.30432
        let line = ChargeLine::compute(basis(dec!(43.1725), dec!(2.6), "0", "0", "0")).unwrap();
        assert_eq!(line.charged, rub("112.25")); // 112.2485 → .25 (rounded once, not per factor)
    }

    #[test]
    fn column_8_is_debt_minus_paid_plus_charged_plus_recalculation() {
        let line = ChargeLine::compute(basis(dec!(5.47), dec!(200), "1000.00", "900.00", "-15.50"))
            .unwrap();
        assert_eq!(line.charged, rub("1094.00"));
        assert_eq!(line.to_pay, rub("1178.50"));
    }

    #[test]
    fn negative_total_shows_the_credit_and_asks_for_nothing() {
        let lines = vec![
            ChargeLine::compute(basis(dec!(5), dec!(10), "-500", "0", "0")).unwrap(),
            ChargeLine::compute(basis(dec!(2), dec!(10), "0", "0", "0")).unwrap(),
        ];
        let totals = Totals::of(&lines);
        assert_eq!(totals.to_pay, rub("-430"));
        assert_eq!(totals.amount_due, Money::ZERO);
        assert_eq!(totals.credit, rub("430"));
        assert_eq!(totals.verify(&lines), Ok(()));
    }

    #[test]
    fn verify_names_the_wrong_column() {
        let mut line = ChargeLine::compute(basis(dec!(5.47), dec!(100), "10", "0", "0")).unwrap();
        line.charged = rub("547.01");
        assert!(matches!(line.verify(), Err(BillingError::ColumnMismatch { column: 6, .. })));
        let mut line = ChargeLine::compute(basis(dec!(5.47), dec!(100), "10", "0", "0")).unwrap();
        line.to_pay = rub("547.00");
        assert!(matches!(line.verify(), Err(BillingError::ColumnMismatch { column: 8, .. })));
        let lines = [ChargeLine::compute(basis(dec!(1), dec!(1), "0", "0", "0")).unwrap()];
        let mut totals = Totals::of(&lines);
        totals.amount_due = rub("0.99");
        assert!(matches!(
            totals.verify(&lines),
            Err(BillingError::TotalMismatch { column: 8, .. })
        ));
    }

    #[test]
    fn refuses_negative_inputs_that_make_no_sense() {
        assert!(matches!(
            ChargeLine::compute(basis(dec!(-1), dec!(1), "0", "0", "0")),
            Err(BillingError::NegativeTariff { .. })
        ));
        assert!(matches!(
            ChargeLine::compute(basis(dec!(1), dec!(-1), "0", "0", "0")),
            Err(BillingError::NegativeVolume { .. })
        ));
        assert!(matches!(
            ChargeLine::compute(basis(dec!(1), dec!(1), "0", "-1", "0")),
            Err(BillingError::NegativePaid { .. })
        ));
    }

    #[test]
    fn estimates_a_two_zone_submission() {
        let tariffs = [
            Tariff { service_code: "electricity".into(), zone: TariffZone::Day, price: dec!(6.12) },
            Tariff {
                service_code: "electricity".into(),
                zone: TariffZone::Night,
                price: dec!(3.28),
            },
        ];
        let consumption = [
            ZoneValue { zone: TariffZone::Day, value: dec!(150.5) },
            ZoneValue { zone: TariffZone::Night, value: dec!(80) },
        ];
        let estimate = estimate_cost("electricity", &consumption, &tariffs).unwrap();
        assert_eq!(estimate.zones[0].cost, rub("921.06"));
        assert_eq!(estimate.zones[1].cost, rub("262.40"));
        assert_eq!(estimate.total, rub("1183.46"));
        let missing = estimate_cost(
            "electricity",
            &[ZoneValue { zone: TariffZone::Peak, value: dec!(1) }],
            &tariffs,
        );
        assert!(matches!(missing, Err(BillingError::TariffMissing { zone: TariffZone::Peak, .. })));
    }

    proptest! {
        #[test]
        fn computed_lines_always_verify_and_balance(
            tariff in 0i64..100_000, tscale in 0u32..4,
            volume in 0i64..10_000_000, vscale in 0u32..3,
            debt in -10_000_000i64..10_000_000, paid in 0i64..10_000_000, recalc in -1_000_000i64..1_000_000,
        ) {
            let line = ChargeLine::compute(ChargeBasis {
                debt: Money::from_kopecks(debt),
                paid: Money::from_kopecks(paid),
                recalculation: Money::from_kopecks(recalc),
                ..basis(Decimal::new(tariff, tscale), Decimal::new(volume, vscale), "0", "0", "0")
            }).unwrap();
            prop_assert!(line.verify().is_ok());
            let exact = Decimal::new(tariff, tscale) * Decimal::new(volume, vscale);
            prop_assert!((line.charged.to_decimal() - exact).abs() <= dec!(0.005));
            prop_assert_eq!(line.to_pay.kopecks(), debt as i128 - paid as i128 + line.charged.kopecks() + recalc as i128);
            let totals = Totals::of(std::slice::from_ref(&line));
            prop_assert_eq!(totals.amount_due - totals.credit, totals.to_pay);
            prop_assert!(!totals.amount_due.is_negative() && !totals.credit.is_negative());
        }
    }
}
