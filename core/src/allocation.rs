//! Splitting one card payment over the services of a document (R9).
//!
//! The resident may change the total. It is spread over the services in proportion to what each
//! one asks for (its positive column 8), to the kopeck, by the largest-remainder method: every
//! line first gets the whole kopecks of its exact share, and the kopecks left over go one each to
//! the lines whose shares lost the most in that cut (ties: the earlier line). So the parts always
//! add up to the total exactly and none is more than a kopeck from its exact share. Paying more
//! than is asked spreads the extra the same way. Where the supplier lets a line be edited, the
//! resident may fix its amount; the rest of the total is then spread over the other lines.
//!
//! The request carries only the total and the amounts the resident fixed; the server derives the
//! parts with this same function, so a client cannot make the split disagree with the rules.

use serde::{Deserialize, Serialize};

use crate::api::ErrorCode;
use crate::billing::ChargeLine;
use crate::money::Money;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AllocationError {
    #[error("В документе нет услуг для оплаты")]
    NoLines,
    #[error("Сумма платежа должна быть больше нуля")]
    TotalNotPositive,
    #[error("Сумма платежа не может быть больше {}", .max.format_ru())]
    TotalTooLarge { max: Money },
    #[error("Услуги «{0}» нет в платёжном документе")]
    UnknownService(String),
    #[error("Сумму по услуге «{0}» поставщик изменять не разрешает")]
    NotEditable(String),
    #[error("Сумма по услуге «{0}» указана дважды")]
    FixedTwice(String),
    #[error("Сумма по услуге «{0}» не может быть отрицательной")]
    NegativeAmount(String),
    #[error("Суммы по услугам ({}) больше итоговой суммы ({})", .fixed.format_ru(), .total.format_ru())]
    FixedExceedTotal { fixed: Money, total: Money },
    #[error("Остаток {} не на что распределить: измените итоговую сумму или суммы по услугам", .0.format_ru())]
    NothingToSpread(Money),
}

impl AllocationError {
    /// Stable code for the apps and tests; the message is for people.
    pub fn code(&self) -> ErrorCode {
        match self {
            AllocationError::NoLines => ErrorCode::NoLines,
            AllocationError::TotalNotPositive => ErrorCode::TotalNotPositive,
            AllocationError::TotalTooLarge { .. } => ErrorCode::TotalTooLarge,
            AllocationError::UnknownService(_) => ErrorCode::UnknownService,
            AllocationError::NotEditable(_) => ErrorCode::NotEditable,
            AllocationError::FixedTwice(_) => ErrorCode::FixedTwice,
            AllocationError::NegativeAmount(_) => ErrorCode::NegativeAmount,
            AllocationError::FixedExceedTotal { .. } => ErrorCode::FixedExceedTotal,
            AllocationError::NothingToSpread(_) => ErrorCode::NothingToSpread,
        }
    }

    /// The field of the payment form at fault: the total, or the per-service amounts.
    pub fn field(&self) -> &'static str {
        match self {
            AllocationError::TotalNotPositive | AllocationError::TotalTooLarge { .. } => "total",
            _ => "fixed",
        }
    }
}

/// What the split needs to know of a document line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PayableLine {
    pub service_code: String,
    pub to_pay: Money,
    pub charged: Money,
    pub editable: bool,
}

impl PayableLine {
    pub fn of(line: &ChargeLine, editable: bool) -> PayableLine {
        PayableLine {
            service_code: line.basis.service_code.clone(),
            to_pay: line.to_pay,
            charged: line.charged,
            editable,
        }
    }
}

/// An amount the resident typed for one editable service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct FixedAmount {
    pub service_code: String,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AllocationPart {
    pub service_code: String,
    pub amount: Money,
    /// Typed by the resident rather than computed.
    pub fixed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Allocation {
    pub total: Money,
    /// One part per document line, in the document's order.
    pub parts: Vec<AllocationPart>,
}

/// The total a payment starts from: what the document asks for.
pub fn suggested_total(lines: &[PayableLine]) -> Money {
    lines.iter().map(|l| l.to_pay).sum::<Money>().max(Money::ZERO)
}

/// The most one card payment may be, whatever the document, in kopecks: a household's year of
/// utilities is far below it, and a typo of a few extra digits is caught before the bank page.
pub const MAX_PAYMENT_KOPECKS: i64 = 50_000_000;
/// Paying ahead is welcome up to a year of this period's charges, and at least this much.
const ADVANCE_AT_LEAST_KOPECKS: i64 = 1_000_000;
const ADVANCE_MONTHS: i64 = 12;

/// The largest total a payment for these lines may have: what the document asks for, plus up to
/// a year of its charges paid ahead, never above [`MAX_PAYMENT_KOPECKS`].
pub fn max_total(lines: &[PayableLine]) -> Money {
    let charged: i128 = lines.iter().map(|l| l.charged.kopecks().max(0)).sum();
    let ahead = i64::try_from(charged * i128::from(ADVANCE_MONTHS)).unwrap_or(i64::MAX);
    let ahead = Money::from_kopecks(ahead.max(ADVANCE_AT_LEAST_KOPECKS));
    (suggested_total(lines) + ahead).min(Money::from_kopecks(MAX_PAYMENT_KOPECKS))
}

pub fn allocate(
    lines: &[PayableLine],
    total: Money,
    fixed: &[FixedAmount],
) -> Result<Allocation, AllocationError> {
    if lines.is_empty() {
        return Err(AllocationError::NoLines);
    }
    if !total.is_positive() {
        return Err(AllocationError::TotalNotPositive);
    }
    let max = max_total(lines);
    if total > max {
        return Err(AllocationError::TotalTooLarge { max });
    }
    let mut fixed_of: Vec<Option<Money>> = vec![None; lines.len()];
    for f in fixed {
        let index = lines
            .iter()
            .position(|l| l.service_code == f.service_code)
            .ok_or_else(|| AllocationError::UnknownService(f.service_code.clone()))?;
        if !lines[index].editable {
            return Err(AllocationError::NotEditable(f.service_code.clone()));
        }
        if f.amount.is_negative() {
            return Err(AllocationError::NegativeAmount(f.service_code.clone()));
        }
        if fixed_of[index].replace(f.amount).is_some() {
            return Err(AllocationError::FixedTwice(f.service_code.clone()));
        }
    }
    let fixed_sum: Money = fixed_of.iter().flatten().sum();
    if fixed_sum > total {
        return Err(AllocationError::FixedExceedTotal { fixed: fixed_sum, total });
    }
    let remaining = total - fixed_sum;
    let free: Vec<usize> = (0..lines.len()).filter(|&i| fixed_of[i].is_none()).collect();
    if free.is_empty() && !remaining.is_zero() {
        return Err(AllocationError::NothingToSpread(remaining));
    }
    let shares = split_by_weight(remaining.kopecks(), &weights(lines, &free));
    let mut amounts: Vec<(Money, bool)> =
        fixed_of.iter().map(|f| (f.unwrap_or(Money::ZERO), f.is_some())).collect();
    for (&i, share) in free.iter().zip(shares) {
        amounts[i].0 = kopecks_to_money(share);
    }
    let parts = lines
        .iter()
        .zip(amounts)
        .map(|(line, (amount, fixed))| AllocationPart {
            service_code: line.service_code.clone(),
            amount,
            fixed,
        })
        .collect();
    Ok(Allocation { total, parts })
}

/// The weight of each free line: what it asks for; when none asks for anything (everything is
/// paid up and the resident pays ahead), what it charged this period; failing that, equal shares.
fn weights(lines: &[PayableLine], free: &[usize]) -> Vec<i128> {
    let positive = |m: Money| m.kopecks().max(0);
    for weight_of in [|l: &PayableLine| l.to_pay, |l: &PayableLine| l.charged] {
        let w: Vec<i128> = free.iter().map(|&i| positive(weight_of(&lines[i]))).collect();
        if w.iter().any(|&x| x > 0) {
            return w;
        }
    }
    vec![1; free.len()]
}

/// Largest-remainder split of `amount` kopecks by non-negative `weights` (not all zero).
fn split_by_weight(amount: i128, weights: &[i128]) -> Vec<i128> {
    let sum: i128 = weights.iter().sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut shares: Vec<i128> = weights.iter().map(|w| amount * w / sum).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    // Sort by the part of the exact share the cut lost, largest first; stable, so ties keep order.
    order.sort_by_key(|&i| std::cmp::Reverse(amount * weights[i] % sum));
    let left = amount - shares.iter().sum::<i128>();
    for &i in order.iter().take(usize::try_from(left).unwrap_or(0)) {
        shares[i] += 1;
    }
    shares
}

fn kopecks_to_money(kopecks: i128) -> Money {
    // Shares never exceed the total, which itself came from a `Money`.
    Money::from_kopecks(i64::try_from(kopecks).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn rub(s: &str) -> Money {
        s.parse().unwrap()
    }

    fn line(code: &str, to_pay: &str, editable: bool) -> PayableLine {
        PayableLine {
            service_code: code.into(),
            to_pay: rub(to_pay),
            charged: rub(to_pay).max(Money::ZERO),
            editable,
        }
    }

    fn amounts(a: &Allocation) -> Vec<Money> {
        a.parts.iter().map(|p| p.amount).collect()
    }

    #[test]
    fn paying_the_document_pays_each_line_exactly() {
        let lines = [
            line("el", "1178.50", false),
            line("water", "321.17", true),
            line("heat", "2000.33", false),
        ];
        let total = suggested_total(&lines);
        assert_eq!(total, rub("3500.00"));
        let a = allocate(&lines, total, &[]).unwrap();
        assert_eq!(amounts(&a), vec![rub("1178.50"), rub("321.17"), rub("2000.33")]);
    }

    #[test]
    fn a_smaller_total_is_split_in_proportion_to_the_kopeck() {
        let lines =
            [line("a", "100.00", false), line("b", "100.00", false), line("c", "100.00", false)];
        let a = allocate(&lines, rub("100.00"), &[]).unwrap();
        // 33.333… each; the one kopeck left goes to the first line.
        assert_eq!(amounts(&a), vec![rub("33.34"), rub("33.33"), rub("33.33")]);
    }

    #[test]
    fn overpayment_is_spread_in_proportion_too() {
        let lines = [line("a", "300.00", false), line("b", "100.00", false)];
        let a = allocate(&lines, rub("1000.00"), &[]).unwrap();
        assert_eq!(amounts(&a), vec![rub("750.00"), rub("250.00")]);
    }

    #[test]
    fn lines_in_credit_get_nothing_unless_everything_is_paid_up() {
        let lines = [line("a", "-50.00", false), line("b", "200.00", false)];
        let a = allocate(&lines, suggested_total(&lines), &[]).unwrap();
        assert_eq!(amounts(&a), vec![rub("0"), rub("150.00")]);
        // Nothing owed anywhere: paying ahead follows this period's charges.
        let ahead = [
            PayableLine {
                service_code: "a".into(),
                to_pay: rub("-10"),
                charged: rub("30"),
                editable: false,
            },
            PayableLine {
                service_code: "b".into(),
                to_pay: rub("0"),
                charged: rub("10"),
                editable: false,
            },
        ];
        assert_eq!(
            amounts(&allocate(&ahead, rub("100"), &[]).unwrap()),
            vec![rub("75"), rub("25")]
        );
    }

    #[test]
    fn a_fixed_amount_is_kept_and_the_rest_resplit() {
        let lines =
            [line("a", "100.00", false), line("b", "100.00", true), line("c", "300.00", false)];
        let fixed = [FixedAmount { service_code: "b".into(), amount: rub("20.00") }];
        let a = allocate(&lines, rub("500.00"), &fixed).unwrap();
        assert_eq!(amounts(&a), vec![rub("120.00"), rub("20.00"), rub("360.00")]);
        assert!(a.parts[1].fixed && !a.parts[0].fixed);
    }

    #[test]
    fn refuses_what_the_rules_do_not_allow() {
        let lines = [line("a", "100.00", false), line("b", "100.00", true)];
        let fix = |code: &str, amount: &str| {
            vec![FixedAmount { service_code: code.into(), amount: rub(amount) }]
        };
        assert_eq!(allocate(&lines, rub("0"), &[]), Err(AllocationError::TotalNotPositive));
        assert_eq!(allocate(&[], rub("1"), &[]), Err(AllocationError::NoLines));
        assert_eq!(
            allocate(&lines, rub("10"), &fix("a", "5")),
            Err(AllocationError::NotEditable("a".into()))
        );
        assert_eq!(
            allocate(&lines, rub("10"), &fix("x", "5")),
            Err(AllocationError::UnknownService("x".into()))
        );
        assert_eq!(
            allocate(&lines, rub("10"), &fix("b", "-5")),
            Err(AllocationError::NegativeAmount("b".into()))
        );
        assert!(matches!(
            allocate(&lines, rub("10"), &fix("b", "11")),
            Err(AllocationError::FixedExceedTotal { .. })
        ));
        let twice = [fix("b", "1"), fix("b", "2")].concat();
        assert_eq!(
            allocate(&lines, rub("10"), &twice),
            Err(AllocationError::FixedTwice("b".into()))
        );
        let only = [line("b", "100.00", true)];
        assert_eq!(
            allocate(&only, rub("10"), &fix("b", "4")),
            Err(AllocationError::NothingToSpread(rub("6")))
        );
        assert!(allocate(&only, rub("10"), &fix("b", "10")).is_ok());
    }

    fn lines_strategy() -> impl Strategy<Value = Vec<PayableLine>> {
        prop::collection::vec((-1_000_000i64..10_000_000, 0i64..10_000_000, any::<bool>()), 1..8)
            .prop_map(|v| {
                v.into_iter()
                    .enumerate()
                    .map(|(i, (to_pay, charged, editable))| PayableLine {
                        service_code: format!("s{i}"),
                        to_pay: Money::from_kopecks(to_pay),
                        charged: Money::from_kopecks(charged),
                        editable,
                    })
                    .collect()
            })
    }

    #[test]
    fn a_total_beyond_a_year_ahead_or_the_ceiling_is_refused() {
        let lines = [line("el", "1178.50", false), line("water", "321.17", true)];
        // 1 499,67 asked + 12 × 1 499,67 ahead = 19 495,71.
        assert_eq!(max_total(&lines), rub("19495.71"));
        assert!(allocate(&lines, rub("19495.71"), &[]).is_ok());
        let refused = allocate(&lines, rub("19495.72"), &[]).unwrap_err();
        assert_eq!(refused.code(), ErrorCode::TotalTooLarge);
        assert_eq!(refused.to_string(), "Сумма платежа не может быть больше 19\u{a0}495,71\u{a0}₽");
        let paid_up = [line("el", "0.00", false)];
        assert_eq!(
            max_total(&paid_up),
            rub("10000.00"),
            "paying ahead is possible when nothing is owed"
        );
        let huge = [line("el", "9999999.00", false)];
        assert_eq!(max_total(&huge), Money::from_kopecks(MAX_PAYMENT_KOPECKS));
        assert!(allocate(&huge, rub("10000000000.00"), &[]).is_err());
    }

    proptest! {
        #[test]
        fn parts_sum_to_the_total_none_negative_each_within_a_kopeck(
            lines in lines_strategy(), total in 1i64..100_000_000,
        ) {
            let total = Money::from_kopecks(total).min(max_total(&lines));
            let a = allocate(&lines, total, &[]).unwrap();
            prop_assert_eq!(a.parts.iter().map(|p| p.amount).sum::<Money>(), total);
            prop_assert!(a.parts.iter().all(|p| !p.amount.is_negative()));
            let w: Vec<i128> = lines.iter().map(|l| l.to_pay.kopecks().max(0)).collect();
            let sum: i128 = w.iter().sum();
            if sum > 0 {
                for (part, w) in a.parts.iter().zip(&w) {
                    // |part − total·w/sum| < 1 kopeck, in integers.
                    let diff = part.amount.kopecks() * sum - total.kopecks() * w;
                    prop_assert!(diff.abs() < sum, "part {} off its share", part.amount);
                }
            }
        }

        #[test]
        fn fixed_amounts_stay_and_the_rest_still_sums(
            lines in lines_strategy(), total in 1i64..100_000_000, pick in any::<prop::sample::Index>(), share in 0u32..=100,
        ) {
            let total = Money::from_kopecks(total).min(max_total(&lines));
            let i = pick.index(lines.len());
            prop_assume!(lines[i].editable && lines.len() > 1);
            let amount = Money::from_kopecks((total.kopecks() as i64) * i64::from(share) / 100);
            let fixed = [FixedAmount { service_code: lines[i].service_code.clone(), amount }];
            let a = allocate(&lines, total, &fixed).unwrap();
            prop_assert_eq!(a.parts[i].amount, amount);
            prop_assert_eq!(a.parts.iter().map(|p| p.amount).sum::<Money>(), total);
            prop_assert!(a.parts.iter().all(|p| !p.amount.is_negative()));
        }
    }
}
