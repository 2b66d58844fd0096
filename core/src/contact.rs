//! Where codes, links and receipt copies go: a Russian mobile number or an e-mail address.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("Номер телефона: 10 цифр после +7, например +7 912 345-67-89")]
    Phone,
    #[error("Адрес электронной почты указан неверно")]
    Email,
}

/// A mobile number kept as `+7XXXXXXXXXX`; typed as `8 912 …`, `+7 (912) …` or `912…`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `+7 912 ***-**-89`, for "the code was sent to …" without showing the whole number.
    pub fn masked(&self) -> String {
        let d = &self.0[2..];
        format!("+7 {} ***-**-{}", &d[..3], &d[8..])
    }
}

impl FromStr for Phone {
    type Err = ContactError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.chars().any(|c| !(c.is_ascii_digit() || " +-()\u{a0}".contains(c))) {
            return Err(ContactError::Phone);
        }
        let digits: String = s.chars().filter(char::is_ascii_digit).collect();
        let national = match (digits.len(), s.trim_start().starts_with('+')) {
            (11, true) if digits.starts_with('7') => &digits[1..],
            (11, false) if digits.starts_with('8') || digits.starts_with('7') => &digits[1..],
            (10, false) => &digits[..],
            _ => return Err(ContactError::Phone),
        };
        // Russian mobile numbers start with 9; landlines cannot receive SMS codes.
        if !national.starts_with('9') {
            return Err(ContactError::Phone);
        }
        Ok(Phone(format!("+7{national}")))
    }
}

/// An e-mail address, trimmed, with its domain in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `iv***@mail.ru`.
    pub fn masked(&self) -> String {
        let (local, domain) = self.0.split_once('@').unwrap_or((&self.0, ""));
        let shown: String = local.chars().take(2).collect();
        format!("{shown}***@{domain}")
    }
}

impl FromStr for Email {
    type Err = ContactError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (local, domain) = s.rsplit_once('@').ok_or(ContactError::Email)?;
        let labels_ok = domain.split('.').count() >= 2
            && domain.split('.').all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'));
        let ok = !local.is_empty()
            && local.len() <= 64
            && s.len() <= 254
            && labels_ok
            && !s
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>,;\"()[]\\".contains(c))
            && !local.contains('@');
        if ok {
            Ok(Email(format!("{local}@{}", domain.to_lowercase())))
        } else {
            Err(ContactError::Email)
        }
    }
}

/// The channel a person chose: R2's "вариант регистрации", R9's receipt copy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Contact {
    Phone(Phone),
    Email(Email),
}

impl fmt::Display for Contact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Contact::Phone(p) => p.fmt(f),
            Contact::Email(e) => e.fmt(f),
        }
    }
}

/// One field where a person types either: an address if it has an `@`, else a phone number.
impl FromStr for Contact {
    type Err = ContactError;

    fn from_str(s: &str) -> Result<Contact, ContactError> {
        if s.contains('@') { s.parse().map(Contact::Email) } else { s.parse().map(Contact::Phone) }
    }
}

impl Contact {
    /// Where a receipt copy goes unless the person says otherwise (R9): the profile's e-mail,
    /// else its phone.
    pub fn default_for_receipt(email: Option<&str>, phone: Option<&str>) -> Option<Contact> {
        let email = email.and_then(|e| e.parse().ok()).map(Contact::Email);
        email.or_else(|| phone.and_then(|p| p.parse().ok()).map(Contact::Phone))
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

serde_as_string!(Phone);
serde_as_string!(Email);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_field_takes_a_phone_or_an_e_mail_and_the_receipt_defaults_to_the_profiles() {
        assert_eq!("8 912 345-67-89".parse::<Contact>().unwrap().to_string(), "+79123456789");
        assert_eq!("Demo@Example.ru".parse::<Contact>().unwrap().to_string(), "Demo@example.ru");
        assert_eq!("12345".parse::<Contact>(), Err(ContactError::Phone));
        assert_eq!("a@".parse::<Contact>(), Err(ContactError::Email));
        let both = Contact::default_for_receipt(Some("demo@example.ru"), Some("+79123456789"));
        assert_eq!(both.unwrap().to_string(), "demo@example.ru");
        let phone = Contact::default_for_receipt(None, Some("+79123456789"));
        assert_eq!(phone.unwrap().to_string(), "+79123456789");
        assert_eq!(Contact::default_for_receipt(None, None), None);
    }

    #[test]
    fn phone_numbers_are_normalised() {
        for typed in
            ["+7 (912) 345-67-89", "89123456789", "79123456789", "9123456789", "+79123456789"]
        {
            assert_eq!(typed.parse::<Phone>().unwrap().as_str(), "+79123456789", "{typed}");
        }
        for bad in ["+7 3452 12-34-56", "12345", "+1 912 345 67 89", "8912345678x", "+89123456789"]
        {
            assert!(bad.parse::<Phone>().is_err(), "{bad}");
        }
        assert_eq!("89123456789".parse::<Phone>().unwrap().masked(), "+7 912 ***-**-89");
    }

    #[test]
    fn e_mail_addresses_are_checked() {
        assert_eq!(" Ivanov@Mail.RU ".parse::<Email>().unwrap().as_str(), "Ivanov@mail.ru");
        for bad in
            ["ivanov", "@mail.ru", "ivanov@mail", "iv anov@mail.ru", "ivanov@.ru", "a@b@c.ru"]
        {
            assert!(bad.parse::<Email>().is_err(), "{bad}");
        }
        assert_eq!("ivanov@mail.ru".parse::<Email>().unwrap().masked(), "iv***@mail.ru");
    }

    #[test]
    fn contact_on_the_wire_names_its_channel() {
        let c = Contact::Phone("89123456789".parse().unwrap());
        assert_eq!(serde_json::to_string(&c).unwrap(), r#"{"phone":"+79123456789"}"#);
        assert!(serde_json::from_str::<Contact>(r#"{"email":"nope"}"#).is_err());
    }
}
