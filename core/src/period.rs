//! The billing period: one calendar month, written `YYYY-MM` on the wire.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Период указывается как ГГГГ-ММ, например 2026-11")]
pub struct PeriodError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    year: i32,
    month: u32,
}

const MONTHS_NOMINATIVE: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

impl Period {
    pub fn new(year: i32, month: u32) -> Result<Period, PeriodError> {
        if (1..=12).contains(&month) && (2000..=2999).contains(&year) {
            Ok(Period { year, month })
        } else {
            Err(PeriodError)
        }
    }

    pub fn of_date(date: NaiveDate) -> Period {
        Period { year: date.year(), month: date.month() }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn next(self) -> Period {
        if self.month == 12 {
            Period { year: self.year + 1, month: 1 }
        } else {
            Period { year: self.year, month: self.month + 1 }
        }
    }

    pub fn previous(self) -> Period {
        if self.month == 1 {
            Period { year: self.year - 1, month: 12 }
        } else {
            Period { year: self.year, month: self.month - 1 }
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    /// `MMYYYY`, as the `PaymPeriod` field of the payment QR wants it.
    pub fn mmyyyy(self) -> String {
        format!("{:02}{:04}", self.month, self.year)
    }

    /// `ноябрь 2026`, as printed on the payment document.
    pub fn name_ru(self) -> String {
        format!("{} {}", MONTHS_NOMINATIVE[(self.month - 1) as usize], self.year)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (year, month) = s.split_once('-').ok_or(PeriodError)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(PeriodError);
        }
        let year = year.parse().map_err(|_| PeriodError)?;
        let month = month.parse().map_err(|_| PeriodError)?;
        Period::new(year, month)
    }
}

serde_as_string!(Period);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_yyyy_mm() {
        let p: Period = "2026-11".parse().unwrap();
        assert_eq!((p.year(), p.month()), (2026, 11));
        assert_eq!(p.to_string(), "2026-11");
        assert_eq!(p.mmyyyy(), "112026");
        assert_eq!(p.name_ru(), "ноябрь 2026");
        for bad in ["2026-13", "2026-00", "26-11", "2026-1", "2026/11", "abcd-ef", ""] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
    }

    #[test]
    fn steps_over_year_ends() {
        let dec = Period::new(2026, 12).unwrap();
        assert_eq!(dec.next(), Period::new(2027, 1).unwrap());
        assert_eq!(dec.next().previous(), dec);
        assert_eq!(dec.last_day(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        assert_eq!(Period::new(2028, 2).unwrap().last_day().format("%d").to_string(), "29");
    }
}
