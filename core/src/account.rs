//! The personal account (лицевой счёт): the number printed on the payment document, whose name
//! it is in, and the object (flat, house) it is for.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::region::Region;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Номер лицевого счёта состоит из 6–14 цифр (указан в платёжном документе)")]
pub struct AccountNumberError;

/// The account number as printed; spaces and dashes people copy with it are dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountNumber(String);

impl AccountNumber {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for AccountNumber {
    type Err = AccountNumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let cleaned: String = s.chars().filter(|c| !matches!(c, ' ' | '-' | '\u{a0}')).collect();
        if (6..=14).contains(&cleaned.len()) && cleaned.bytes().all(|b| b.is_ascii_digit()) {
            Ok(AccountNumber(cleaned))
        } else {
            Err(AccountNumberError)
        }
    }
}

impl fmt::Display for AccountNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

serde_as_string!(AccountNumber);

/// Фамилия Имя Отчество, as the supplier's records hold them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct PersonName {
    pub last: String,
    pub first: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patronymic: Option<String>,
}

impl PersonName {
    pub fn full(&self) -> String {
        match &self.patronymic {
            Some(p) => format!("{} {} {}", self.last, self.first, p),
            None => format!("{} {}", self.last, self.first),
        }
    }

    /// The name in the genitive, as a form's header writes it after «от»: `Смирнов Павел
    /// Викторович` → `Смирнова Павла Викторовича`, `Иванова Мария Петровна` → `Ивановой Марии
    /// Петровны`. The gender comes from the patronymic, else the first name; declined by the
    /// Petrovich rules.
    pub fn genitive(&self) -> String {
        use petrovich::{Case, detect_gender};
        let gender = detect_gender(Some(&self.last), Some(&self.first), self.patronymic.as_deref());
        let last = petrovich::lastname(gender, &self.last, Case::Genitive);
        let first = petrovich::firstname(gender, &self.first, Case::Genitive);
        match &self.patronymic {
            Some(p) => {
                format!("{last} {first} {}", petrovich::middlename(gender, p, Case::Genitive))
            }
            None => format!("{last} {first}"),
        }
    }

    /// What a stranger who typed an account number may see while binding it (R3): enough for
    /// the owner to recognise, too little to learn who lives there. `Иванова Мария Петровна` →
    /// `И*****а М. П.`
    pub fn masked(&self) -> String {
        let chars: Vec<char> = self.last.chars().collect();
        let last = match chars.as_slice() {
            [] => String::new(),
            [only] => only.to_string(),
            [first, middle @ .., end] => format!("{first}{}{end}", "*".repeat(middle.len())),
        };
        let initial = |s: &str| s.chars().next().map(|c| format!(" {c}.")).unwrap_or_default();
        format!(
            "{last}{}{}",
            initial(&self.first),
            self.patronymic.as_deref().map(initial).unwrap_or_default()
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Account {
    pub number: AccountNumber,
    pub owner: PersonName,
    pub address: String,
    pub region: Region,
    pub city: String,
    /// Heated area in m², the volume of per-area services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_m2: Option<Decimal>,
    pub residents: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(last: &str, first: &str, patronymic: Option<&str>) -> PersonName {
        PersonName {
            last: last.into(),
            first: first.into(),
            patronymic: patronymic.map(Into::into),
        }
    }

    #[test]
    fn a_name_in_the_genitive_agrees_with_its_gender() {
        let cases = [
            (name("Смирнов", "Павел", Some("Викторович")), "Смирнова Павла Викторовича"),
            (name("Иванова", "Мария", Some("Петровна")), "Ивановой Марии Петровны"),
            (name("Кузнецова", "Анна", Some("Сергеевна")), "Кузнецовой Анны Сергеевны"),
            (name("Соколов", "Илья", Some("Андреевич")), "Соколова Ильи Андреевича"),
            (name("Лебедев", "Дмитрий", None), "Лебедева Дмитрия"),
            (name("Черных", "Ольга", Some("Ивановна")), "Черных Ольги Ивановны"),
            (name("Шевченко", "Николай", Some("Петрович")), "Шевченко Николая Петровича"),
            (name("Белый", "Юрий", Some("Олегович")), "Белого Юрия Олеговича"),
        ];
        for (person, genitive) in cases {
            assert_eq!(person.genitive(), genitive, "{}", person.full());
        }
    }

    #[test]
    fn account_number_drops_what_people_copy_along() {
        let n: AccountNumber = " 4501-2345 678 ".parse().unwrap();
        assert_eq!(n.as_str(), "45012345678");
        assert!("12345".parse::<AccountNumber>().is_err());
        assert!("45012345A78".parse::<AccountNumber>().is_err());
        assert!(serde_json::from_str::<AccountNumber>("\"abc\"").is_err());
    }

    #[test]
    fn masked_name_shows_only_initials_and_the_ends_of_the_surname() {
        let name = PersonName {
            last: "Иванова".into(),
            first: "Мария".into(),
            patronymic: Some("Петровна".into()),
        };
        assert_eq!(name.masked(), "И*****а М. П.");
        assert_eq!(name.full(), "Иванова Мария Петровна");
        let short = PersonName { last: "Ли".into(), first: "Анна".into(), patronymic: None };
        assert_eq!(short.masked(), "Ли А.");
    }
}
