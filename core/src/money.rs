//! Roubles and kopecks, exactly.
//!
//! `Money` is a `rust_decimal::Decimal` always held at two decimal places. The one rounding rule
//! of the LK is **half away from zero to the kopeck** (0,005 ₽ → 0,01 ₽; −0,005 ₽ → −0,01 ₽): it is
//! the rule Russian billing and fiscal documents use, and every computed amount passes through
//! [`Money::round`]. On the wire money is a decimal string (`"1234.56"`), never a JSON number.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};

/// The largest amount, in roubles, that input and the wire may carry. Far above any utility bill,
/// far below anything that could overflow `Decimal` when summed or multiplied by a tariff.
pub const MAX_ROUBLES: i64 = 1_000_000_000_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("Введите сумму")]
    Empty,
    #[error("Недопустимый символ «{found}» в сумме")]
    InvalidCharacter { found: char },
    #[error("В сумме может быть только один разделитель копеек")]
    SeveralSeparators,
    #[error("Копеек может быть не больше двух знаков")]
    TooManyFractionDigits,
    #[error("Разряды суммы разделяются пробелом по три цифры")]
    BadGrouping,
    #[error("В сумме нет цифр")]
    NoDigits,
    #[error("Сумма слишком велика")]
    TooLarge,
}

/// An amount in roubles with kopeck precision. Negative amounts are debts turned credits
/// (overpayments) and recalculations in the customer's favour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(Decimal);

/// A tariff or a volume as Russian text shows it: `43,1725`, `99 997,5`, no trailing zeros.
pub use crate::wording::number as format_decimal_ru;

impl Money {
    pub const ZERO: Money = Money(Decimal::from_parts(0, 0, 0, false, 2));

    /// Rounds any decimal to the kopeck, half away from zero.
    pub fn round(value: Decimal) -> Result<Money, MoneyError> {
        let rounded = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        Self::bounded(rounded)
    }

    /// An exact amount: refuses a value with fractions of a kopeck instead of rounding it.
    pub fn exact(value: Decimal) -> Result<Money, MoneyError> {
        if value.normalize().scale() > 2 {
            return Err(MoneyError::TooManyFractionDigits);
        }
        Self::bounded(value)
    }

    pub fn from_kopecks(kopecks: i64) -> Money {
        let mut value = Decimal::new(kopecks, 2);
        value.rescale(2);
        Money(value)
    }

    pub fn kopecks(self) -> i128 {
        // Always scale 2, so the mantissa is the number of kopecks.
        self.0.mantissa()
    }

    pub fn to_decimal(self) -> Decimal {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    pub fn is_positive(self) -> bool {
        self.0.is_sign_positive() && !self.0.is_zero()
    }

    pub fn is_negative(self) -> bool {
        self.0.is_sign_negative() && !self.0.is_zero()
    }

    pub fn abs(self) -> Money {
        Money(self.0.abs())
    }

    /// A price times a quantity (a tariff times a volume), rounded to the kopeck once.
    pub fn round_product(price: Decimal, quantity: Decimal) -> Result<Money, MoneyError> {
        Money::round(price.checked_mul(quantity).ok_or(MoneyError::TooLarge)?)
    }

    /// Parses what a person types: `1234`, `1234.56`, `1234,5`, `1 234,56`, `-15,00`, optionally
    /// followed by `₽`, `руб.` or `р.`. Spaces group thousands by three; fractions of a kopeck and
    /// any other character are refused rather than guessed.
    pub fn parse(input: &str) -> Result<Money, MoneyError> {
        let text = strip_currency(input.trim());
        if text.is_empty() {
            return Err(MoneyError::Empty);
        }
        let (negative, text) = match text.strip_prefix(['-', '\u{2212}']) {
            Some(rest) => (true, rest.trim_start()),
            None => (false, text),
        };
        let mut integer = String::new();
        let mut fraction: Option<String> = None;
        let mut groups: Vec<usize> = vec![0];
        for ch in text.chars() {
            match ch {
                '0'..='9' => match fraction.as_mut() {
                    Some(f) => f.push(ch),
                    None => {
                        integer.push(ch);
                        if let Some(last) = groups.last_mut() {
                            *last += 1;
                        }
                    }
                },
                ',' | '.' => {
                    if fraction.is_some() {
                        return Err(MoneyError::SeveralSeparators);
                    }
                    fraction = Some(String::new());
                }
                ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' if fraction.is_none() => groups.push(0),
                other => return Err(MoneyError::InvalidCharacter { found: other }),
            }
        }
        // "1 234 567": every group after the first has exactly three digits.
        if groups.len() > 1
            && (groups[0] == 0 || groups[0] > 3 || groups[1..].iter().any(|&g| g != 3))
        {
            return Err(MoneyError::BadGrouping);
        }
        let fraction = fraction.unwrap_or_default();
        if fraction.len() > 2 {
            return Err(MoneyError::TooManyFractionDigits);
        }
        if integer.is_empty() && fraction.is_empty() {
            return Err(MoneyError::NoDigits);
        }
        let integer = integer.trim_start_matches('0');
        if integer.len() > 13 {
            return Err(MoneyError::TooLarge);
        }
        let kopecks: i64 =
            format!("{}{:0<2}", if integer.is_empty() { "0" } else { integer }, fraction)
                .parse()
                .map_err(|_| MoneyError::TooLarge)?;
        Self::bounded(Money::from_kopecks(if negative { -kopecks } else { kopecks }).0)
    }

    /// The Russian way: `1 234,56 ₽`, with no-break spaces between digit groups and before the sign
    /// so a line never breaks inside an amount.
    pub fn format_ru(self) -> String {
        format!("{}\u{a0}₽", self.format_ru_plain())
    }

    /// `1 234,56` without the currency sign, for table columns headed "руб.".
    pub fn format_ru_plain(self) -> String {
        let kopecks = self.kopecks();
        let grouped = crate::wording::group_digits(&(kopecks.unsigned_abs() / 100).to_string());
        let sign = if kopecks < 0 { "-" } else { "" };
        format!("{sign}{grouped},{:02}", kopecks.unsigned_abs() % 100)
    }

    fn bounded(mut value: Decimal) -> Result<Money, MoneyError> {
        if value.abs() > Decimal::from(MAX_ROUBLES) {
            return Err(MoneyError::TooLarge);
        }
        value.rescale(2);
        Ok(Money(value))
    }
}

fn strip_currency(text: &str) -> &str {
    for suffix in ["₽", "руб.", "руб", "р."] {
        if let Some(rest) = text.strip_suffix(suffix) {
            return rest.trim_end();
        }
    }
    text
}

/// The wire form: a plain decimal string with a dot and always two decimals (`"-1234.50"`,
/// `"0.00"`), as payment systems expect.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut value = self.0;
        value.rescale(2);
        write!(f, "{value}")
    }
}

/// Reads the wire form strictly: an optional minus, digits, and at most two decimals after a dot.
impl FromStr for Money {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits = s.strip_prefix('-').unwrap_or(s);
        if let Some(bad) = digits.chars().find(|c| !c.is_ascii_digit() && *c != '.') {
            return Err(MoneyError::InvalidCharacter { found: bad });
        }
        let value = Decimal::from_str_exact(s).map_err(|_| MoneyError::NoDigits)?;
        Money::exact(value)
    }
}

serde_as_string!(Money);

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Money> for Money {
    fn sum<I: Iterator<Item = &'a Money>>(iter: I) -> Money {
        iter.copied().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal::dec;

    fn rub(s: &str) -> Money {
        s.parse().unwrap()
    }

    #[test]
    fn parses_what_people_type() {
        assert_eq!(Money::parse("1234").unwrap(), rub("1234.00"));
        assert_eq!(Money::parse("1234.56").unwrap(), rub("1234.56"));
        assert_eq!(Money::parse("1234,5").unwrap(), rub("1234.50"));
        assert_eq!(Money::parse("1 234,56").unwrap(), rub("1234.56"));
        assert_eq!(Money::parse("1\u{a0}234\u{a0}567,00 ₽").unwrap(), rub("1234567.00"));
        assert_eq!(Money::parse(" 15 руб.").unwrap(), rub("15.00"));
        assert_eq!(Money::parse(",50").unwrap(), rub("0.50"));
        assert_eq!(Money::parse("-15,00").unwrap(), rub("-15.00"));
        assert_eq!(Money::parse("\u{2212}0,01").unwrap(), rub("-0.01"));
        assert_eq!(Money::parse("007").unwrap(), rub("7.00"));
    }

    #[test]
    fn refuses_input_it_would_have_to_guess() {
        assert_eq!(Money::parse("  "), Err(MoneyError::Empty));
        assert_eq!(Money::parse("12,345"), Err(MoneyError::TooManyFractionDigits));
        assert_eq!(Money::parse("1.234,56"), Err(MoneyError::SeveralSeparators));
        assert_eq!(Money::parse("12 34"), Err(MoneyError::BadGrouping));
        assert_eq!(Money::parse("1234 567"), Err(MoneyError::BadGrouping));
        assert_eq!(Money::parse("12a"), Err(MoneyError::InvalidCharacter { found: 'a' }));
        assert_eq!(Money::parse("1e5"), Err(MoneyError::InvalidCharacter { found: 'e' }));
        assert_eq!(Money::parse(","), Err(MoneyError::NoDigits));
        assert_eq!(Money::parse("99999999999999999999"), Err(MoneyError::TooLarge));
        assert_eq!(Money::parse("1000000000000,01"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn formats_the_russian_way() {
        assert_eq!(rub("1234.56").format_ru(), "1\u{a0}234,56\u{a0}₽");
        assert_eq!(rub("0.5").format_ru(), "0,50\u{a0}₽");
        assert_eq!(rub("-1234567.01").format_ru_plain(), "-1\u{a0}234\u{a0}567,01");
        assert_eq!(rub("100").format_ru_plain(), "100,00");
    }

    #[test]
    fn rounds_half_away_from_zero_to_the_kopeck() {
        assert_eq!(Money::round(dec!(0.005)).unwrap(), rub("0.01"));
        assert_eq!(Money::round(dec!(0.0049)).unwrap(), rub("0.00"));
        assert_eq!(Money::round(dec!(-0.005)).unwrap(), rub("-0.01"));
        assert_eq!(Money::round(dec!(2.675)).unwrap(), rub("2.68"));
        assert_eq!(Money::round_product(dec!(5.47), dec!(123.456)).unwrap(), rub("675.30"));
    }

    #[test]
    fn wire_form_is_a_strict_decimal_string() {
        assert_eq!(serde_json::to_string(&rub("1234.5")).unwrap(), "\"1234.50\"");
        assert_eq!(serde_json::to_string(&Money::from_kopecks(-7)).unwrap(), "\"-0.07\"");
        assert_eq!(serde_json::from_str::<Money>("\"10\"").unwrap(), rub("10.00"));
        assert!(serde_json::from_str::<Money>("10.5").is_err(), "JSON numbers are refused");
        assert!(serde_json::from_str::<Money>("\"10.005\"").is_err());
        assert!(serde_json::from_str::<Money>("\"1 000\"").is_err());
        assert!(serde_json::from_str::<Money>("\"+5\"").is_err());
        assert!(serde_json::from_str::<Money>("\"1e3\"").is_err());
    }

    #[test]
    fn the_wire_form_always_has_two_decimals() {
        assert_eq!(Money::ZERO.to_string(), "0.00");
        assert_eq!([rub("1.5"), rub("2")].iter().sum::<Money>().to_string(), "3.50");
        assert_eq!(Money::round(dec!(-7)).unwrap().to_string(), "-7.00");
        assert_eq!(serde_json::to_string(&Money::exact(dec!(12.3)).unwrap()).unwrap(), "\"12.30\"");
    }

    #[test]
    fn exact_refuses_fractions_of_a_kopeck_but_not_trailing_zeros() {
        assert_eq!(Money::exact(dec!(1.2300)).unwrap(), rub("1.23"));
        assert_eq!(Money::exact(dec!(1.234)), Err(MoneyError::TooManyFractionDigits));
    }

    proptest! {
        #[test]
        fn formatting_then_parsing_gives_the_same_amount(k in -100_000_000_000_000i64..100_000_000_000_000) {
            let m = Money::from_kopecks(k);
            prop_assert_eq!(Money::parse(&m.format_ru()).unwrap(), m);
            prop_assert_eq!(m.to_string().parse::<Money>().unwrap(), m);
            prop_assert_eq!(m.kopecks(), k as i128);
        }

        #[test]
        fn rounding_is_within_half_a_kopeck(units in -10_000_000_000i64..10_000_000_000, scale in 0u32..8) {
            let value = Decimal::new(units, scale);
            let rounded = Money::round(value).unwrap().to_decimal();
            prop_assert!((rounded - value).abs() <= dec!(0.005));
        }

        #[test]
        fn parser_never_panics(s in "\\PC{0,24}") {
            let _ = Money::parse(&s);
        }
    }
}
