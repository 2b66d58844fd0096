//! What the sandbox's card page checks, as a real acquirer's does: the number's Luhn digit and
//! payment system, an expiry not in the past, the holder's name as embossed, a 3-digit CVV/CVC2.

use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Brand {
    Visa,
    Mastercard,
    Mir,
}

impl Brand {
    pub fn name(self) -> &'static str {
        match self {
            Brand::Visa => "VISA",
            Brand::Mastercard => "Mastercard",
            Brand::Mir => "МИР",
        }
    }
}

/// What a test card does (the sandbox's documented cards; any other valid card succeeds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Decline,
    SecureCodeFails,
    NoAnswer,
}

impl Outcome {
    pub fn of(number: &str) -> Outcome {
        match number {
            "4000000000000002" => Outcome::Decline,
            "4000000000003220" => Outcome::SecureCodeFails,
            "4000000000000119" => Outcome::NoAnswer,
            _ => Outcome::Success,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Decline => "decline",
            Outcome::SecureCodeFails => "3ds_fails",
            Outcome::NoAnswer => "no_answer",
        }
    }

    pub fn from_code(code: &str) -> Outcome {
        [Outcome::Decline, Outcome::SecureCodeFails, Outcome::NoAnswer]
            .into_iter()
            .find(|o| o.code() == code)
            .unwrap_or(Outcome::Success)
    }
}

/// The digits of a typed card number, if it has 16–19 of them and spaces only between.
pub fn digits(typed: &str) -> Option<String> {
    let digits: String = typed.chars().filter(|c| *c != ' ').collect();
    ((16..=19).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()))
        .then_some(digits)
}

pub fn luhn_ok(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 { if d * 2 > 9 { d * 2 - 9 } else { d * 2 } } else { d }
        })
        .sum();
    !digits.is_empty() && sum.is_multiple_of(10)
}

/// The payment system by the number's first digits (BIN ranges).
pub fn brand(digits: &str) -> Option<Brand> {
    let prefix = |n: usize| digits.get(..n).and_then(|p| p.parse::<u32>().ok());
    match (prefix(1), prefix(2), prefix(4)) {
        (Some(4), ..) => Some(Brand::Visa),
        (_, Some(51..=55), _) | (_, _, Some(2221..=2720)) => Some(Brand::Mastercard),
        (_, _, Some(2200..=2204)) => Some(Brand::Mir),
        _ => None,
    }
}

/// `MM/YY` valid through the end of that month.
pub fn expiry_ok(typed: &str, today: NaiveDate) -> Result<(), &'static str> {
    let (month, year) = typed.trim().split_once('/').ok_or("Срок действия в виде ММ/ГГ")?;
    let month: u32 = month.trim().parse().map_err(|_| "Срок действия в виде ММ/ГГ")?;
    let year: i32 = year.trim().parse().map_err(|_| "Срок действия в виде ММ/ГГ")?;
    if !(1..=12).contains(&month) || !(0..=99).contains(&year) {
        return Err("Срок действия в виде ММ/ГГ");
    }
    if (2000 + year, month) < (today.year(), today.month()) {
        return Err("Срок действия карты истёк");
    }
    Ok(())
}

/// Latin letters as embossed on the card, with spaces, hyphens and dots.
pub fn holder_ok(typed: &str) -> bool {
    let name = typed.trim();
    (2..=26).contains(&name.len())
        && name.chars().all(|c| c.is_ascii_alphabetic() || matches!(c, ' ' | '-' | '.'))
        && name.chars().any(|c| c.is_ascii_alphabetic())
}

pub fn cvc_ok(typed: &str) -> bool {
    typed.len() == 3 && typed.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_documented_test_cards_are_valid_and_of_their_brands() {
        for (number, brand_of, outcome) in [
            ("4111 1111 1111 1111", Brand::Visa, Outcome::Success),
            ("5555 5555 5555 4444", Brand::Mastercard, Outcome::Success),
            ("2200 0000 0000 0004", Brand::Mir, Outcome::Success),
            ("4000 0000 0000 0002", Brand::Visa, Outcome::Decline),
            ("4000 0000 0000 3220", Brand::Visa, Outcome::SecureCodeFails),
            ("4000 0000 0000 0119", Brand::Visa, Outcome::NoAnswer),
        ] {
            let d = digits(number).unwrap();
            assert!(luhn_ok(&d), "{number}");
            assert_eq!(brand(&d), Some(brand_of), "{number}");
            assert_eq!(Outcome::of(&d), outcome);
            assert_eq!(Outcome::from_code(outcome.code()), outcome);
        }
        assert!(!luhn_ok("4111111111111112"));
        assert_eq!(brand("3530111333300000"), None, "JCB is not taken");
        assert_eq!(brand("2221000000000009"), Some(Brand::Mastercard));
        assert_eq!(digits("4111-1111-1111-1111"), None);
    }

    #[test]
    fn expiry_holder_and_cvc() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert_eq!(expiry_ok("11/26", today), Ok(()));
        assert_eq!(expiry_ok("10/26", today), Err("Срок действия карты истёк"));
        assert_eq!(expiry_ok("13/27", today), Err("Срок действия в виде ММ/ГГ"));
        assert_eq!(expiry_ok("1227", today), Err("Срок действия в виде ММ/ГГ"));
        assert!(holder_ok("IVAN PETROV") && holder_ok("ANNA-MARIA O."));
        assert!(!holder_ok("ИВАН ПЕТРОВ") && !holder_ok(" ") && !holder_ok("- ."));
        assert!(cvc_ok("123") && !cvc_ok("12") && !cvc_ok("12a") && !cvc_ok("1234"));
    }

    proptest! {
        #[test]
        fn changing_one_digit_breaks_the_luhn_check(
            body in proptest::collection::vec(0u8..10, 15),
            position in 0usize..16,
            delta in 1u8..10,
        ) {
            let mut number: Vec<u8> = body.clone();
            let partial: String = number.iter().map(|d| char::from(b'0' + d)).collect();
            let check = (0..10u8).find(|c| luhn_ok(&format!("{partial}{c}"))).unwrap();
            number.push(check);
            let valid: String = number.iter().map(|d| char::from(b'0' + d)).collect();
            prop_assert!(luhn_ok(&valid));
            number[position] = (number[position] + delta) % 10;
            let broken: String = number.iter().map(|d| char::from(b'0' + d)).collect();
            prop_assert!(!luhn_ok(&broken));
        }
    }
}
