//! Login and password rules (R2, R5, R16), stated once for the form, the server and the client.
//!
//! Login: 3 to 64 characters of Latin letters, digits and `. _ - @`; the account number is the
//! suggested login. Password: 8 to 128 characters, at least one letter and one digit, no spaces
//! at either end, and not containing the login.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialsError {
    #[error("Логин: от 3 до 64 символов — латинские буквы, цифры и знаки . _ - @")]
    LoginFormat,
    #[error("Пароль: от 8 до 128 символов, хотя бы одна буква и одна цифра")]
    PasswordWeak,
    #[error("Пароль не должен начинаться или заканчиваться пробелом")]
    PasswordSpaces,
    #[error("Пароль не должен содержать логин")]
    PasswordContainsLogin,
    #[error("Пароли не совпадают")]
    PasswordsDiffer,
}

impl CredentialsError {
    /// Which form field the error belongs to.
    pub fn field(&self) -> &'static str {
        match self {
            CredentialsError::LoginFormat => "login",
            CredentialsError::PasswordsDiffer => "password_repeat",
            _ => "password",
        }
    }
}

pub fn check_login(login: &str) -> Result<(), CredentialsError> {
    let ok = (3..=64).contains(&login.len())
        && login.chars().all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c));
    if ok { Ok(()) } else { Err(CredentialsError::LoginFormat) }
}

pub fn check_password(login: &str, password: &str) -> Result<(), CredentialsError> {
    let length = password.chars().count();
    if !(8..=128).contains(&length)
        || !password.chars().any(char::is_alphabetic)
        || !password.chars().any(|c| c.is_ascii_digit())
    {
        return Err(CredentialsError::PasswordWeak);
    }
    if password.trim() != password {
        return Err(CredentialsError::PasswordSpaces);
    }
    if !login.is_empty() && password.to_lowercase().contains(&login.to_lowercase()) {
        return Err(CredentialsError::PasswordContainsLogin);
    }
    Ok(())
}

/// The new password typed twice (R5, R16).
pub fn check_new_password(
    login: &str,
    password: &str,
    repeat: &str,
) -> Result<(), CredentialsError> {
    check_password(login, password)?;
    if password != repeat {
        return Err(CredentialsError::PasswordsDiffer);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logins_follow_the_stated_rule() {
        for ok in ["450012345678", "ivanov", "i.ivanov-2@x"] {
            assert_eq!(check_login(ok), Ok(()), "{ok}");
        }
        for bad in ["ab", "иванов", "with space", &"a".repeat(65)] {
            assert_eq!(check_login(bad), Err(CredentialsError::LoginFormat), "{bad}");
        }
    }

    #[test]
    fn passwords_follow_the_stated_rule() {
        assert_eq!(check_password("ivanov", "Sekret-2026"), Ok(()));
        assert_eq!(check_password("ivanov", "Пароль2026"), Ok(()), "Cyrillic letters count");
        assert_eq!(check_password("ivanov", "short1"), Err(CredentialsError::PasswordWeak));
        assert_eq!(check_password("ivanov", "onlyletters"), Err(CredentialsError::PasswordWeak));
        assert_eq!(check_password("ivanov", "1234567890"), Err(CredentialsError::PasswordWeak));
        assert_eq!(check_password("ivanov", " spaced123"), Err(CredentialsError::PasswordSpaces));
        assert_eq!(
            check_password("ivanov", "my-IVANOV-1"),
            Err(CredentialsError::PasswordContainsLogin)
        );
        assert_eq!(
            check_new_password("ivanov", "Sekret-2026", "Sekret-2025"),
            Err(CredentialsError::PasswordsDiffer)
        );
        assert_eq!(CredentialsError::PasswordsDiffer.field(), "password_repeat");
    }
}
