//! A supplier's bank details (реквизиты, R6) and the checks the Bank of Russia defines for them:
//! the INN check digits, and the control key that ties a 20-digit account to its bank's BIC.
//! A typo in any of them sends a resident's money nowhere, so they are checked before use.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequisitesError {
    #[error("Наименование получателя не заполнено")]
    NameMissing,
    #[error("ИНН должен состоять из 10 или 12 цифр")]
    InnFormat,
    #[error("Неверное контрольное число ИНН")]
    InnChecksum,
    #[error("КПП должен состоять из 9 знаков: 4 цифры, 2 цифры или латинские буквы, 3 цифры")]
    KppFormat,
    #[error("БИК должен состоять из 9 цифр и начинаться с 04")]
    BicFormat,
    #[error("Наименование банка не заполнено")]
    BankNameMissing,
    #[error("Расчётный счёт должен состоять из 20 цифр")]
    SettlementAccountFormat,
    #[error("Расчётный счёт не соответствует БИК банка (контрольный ключ)")]
    SettlementAccountKey,
    #[error("Корреспондентский счёт должен состоять из 20 цифр")]
    CorrespondentAccountFormat,
    #[error("Корреспондентский счёт не соответствует БИК банка (контрольный ключ)")]
    CorrespondentAccountKey,
}

/// Who the money goes to: the supplier (or the operator collecting for it) and its bank.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Requisites {
    pub name: String,
    pub inn: String,
    pub kpp: String,
    pub bank_name: String,
    pub bic: String,
    pub settlement_account: String,
    pub correspondent_account: String,
}

impl Requisites {
    pub fn validate(&self) -> Result<(), RequisitesError> {
        if self.name.trim().is_empty() {
            return Err(RequisitesError::NameMissing);
        }
        check_inn(&self.inn)?;
        check_kpp(&self.kpp)?;
        if self.bank_name.trim().is_empty() {
            return Err(RequisitesError::BankNameMissing);
        }
        if !is_digits(&self.bic, 9) || !self.bic.starts_with("04") {
            return Err(RequisitesError::BicFormat);
        }
        if !is_digits(&self.settlement_account, 20) {
            return Err(RequisitesError::SettlementAccountFormat);
        }
        if !is_digits(&self.correspondent_account, 20) {
            return Err(RequisitesError::CorrespondentAccountFormat);
        }
        if !account_key_ok(&self.bic[6..9], &self.settlement_account) {
            return Err(RequisitesError::SettlementAccountKey);
        }
        if !account_key_ok(&format!("0{}", &self.bic[4..6]), &self.correspondent_account) {
            return Err(RequisitesError::CorrespondentAccountKey);
        }
        Ok(())
    }
}

fn is_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

fn digits(s: &str) -> Vec<u32> {
    s.bytes().map(|b| u32::from(b - b'0')).collect()
}

fn weighted_check(digits: &[u32], weights: &[u32]) -> u32 {
    digits.iter().zip(weights).map(|(d, w)| d * w).sum::<u32>() % 11 % 10
}

/// INN of an organisation (10 digits, one check digit) or of a person (12 digits, two).
pub fn check_inn(inn: &str) -> Result<(), RequisitesError> {
    const W10: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
    const W11: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    const W12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    let ok = if is_digits(inn, 10) {
        let d = digits(inn);
        weighted_check(&d[..9], &W10) == d[9]
    } else if is_digits(inn, 12) {
        let d = digits(inn);
        weighted_check(&d[..10], &W11) == d[10] && weighted_check(&d[..11], &W12) == d[11]
    } else {
        return Err(RequisitesError::InnFormat);
    };
    if ok { Ok(()) } else { Err(RequisitesError::InnChecksum) }
}

fn check_kpp(kpp: &str) -> Result<(), RequisitesError> {
    let b = kpp.as_bytes();
    let ok = b.len() == 9
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4..6].iter().all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        && b[6..].iter().all(u8::is_ascii_digit);
    if ok { Ok(()) } else { Err(RequisitesError::KppFormat) }
}

/// The Bank of Russia control key: three digits taken from the BIC, then the 20-digit account,
/// weighted 7-1-3 over and over; the sum must end in 0.
fn account_key_ok(bic_part: &str, account: &str) -> bool {
    let all = format!("{bic_part}{account}");
    let sum: u32 = digits(&all).iter().zip([7, 1, 3].iter().cycle()).map(|(d, w)| d * w).sum();
    sum.is_multiple_of(10)
}

/// Makes a valid settlement account from 19 given digits by filling in the control key (the ninth
/// digit): for test and demo data that must pass [`Requisites::validate`].
pub fn with_control_key(bic: &str, account_without_key: &str) -> Option<String> {
    if !is_digits(bic, 9) || !is_digits(account_without_key, 20) {
        return None;
    }
    (0..10)
        .map(|k| format!("{}{k}{}", &account_without_key[..8], &account_without_key[9..]))
        .find(|candidate| account_key_ok(&bic[6..9], candidate))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn sample() -> Requisites {
        // The example of GOST R 56042-2014 with a real bank's BIC and correspondent account.
        Requisites {
            name: "АО «ЭК «Восток»".into(),
            inn: "7705260681".into(),
            kpp: "720301001".into(),
            bank_name: "ПАО Сбербанк".into(),
            bic: "044525225".into(),
            settlement_account: "40702810138250123017".into(),
            correspondent_account: "30101810400000000225".into(),
        }
    }

    #[test]
    fn accepts_real_world_requisites() {
        assert_eq!(sample().validate(), Ok(()));
        assert_eq!(check_inn("500100732259"), Ok(()), "a person's 12-digit INN");
    }

    #[test]
    fn catches_each_typo() {
        type Spoil = fn(&mut Requisites);
        let cases: [(Spoil, RequisitesError); 8] = [
            (|r| r.inn = "7705260682".into(), RequisitesError::InnChecksum),
            (|r| r.inn = "77052606".into(), RequisitesError::InnFormat),
            (|r| r.kpp = "72030100".into(), RequisitesError::KppFormat),
            (|r| r.bic = "144525225".into(), RequisitesError::BicFormat),
            (
                |r| r.settlement_account = "40702810138250123018".into(),
                RequisitesError::SettlementAccountKey,
            ),
            (
                |r| r.settlement_account = "4070281013825012301".into(),
                RequisitesError::SettlementAccountFormat,
            ),
            (
                |r| r.correspondent_account = "30101810400000000226".into(),
                RequisitesError::CorrespondentAccountKey,
            ),
            (|r| r.name = " ".into(), RequisitesError::NameMissing),
        ];
        for (spoil, expected) in cases {
            let mut r = sample();
            spoil(&mut r);
            assert_eq!(r.validate(), Err(expected));
        }
        assert_eq!(check_inn("500100732250"), Err(RequisitesError::InnChecksum));
    }

    #[test]
    fn fills_in_the_control_key() {
        let account = with_control_key("044525225", "40702810000000000042").unwrap();
        let mut r = sample();
        r.settlement_account = account;
        assert_eq!(r.validate(), Ok(()));
    }
}
