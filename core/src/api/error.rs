//! One vocabulary of errors for the service, the client and the apps: every code either side can
//! give, each with its Russian text. The service answers with these codes, the client maps its
//! own failures (offline, timeout…) onto them, and the apps match them exhaustively.

use serde::{Deserialize, Serialize};

/// Every refusal: a stable machine code, a Russian message for people, and the request field
/// at fault, if one is. The message may be more exact than the code's own text (it names the
/// value or the limit); show the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    /// A refusal with the code's own text.
    pub fn of(code: ErrorCode) -> ApiError {
        ApiError { code, message: code.text().to_owned(), field: None }
    }
}

macro_rules! error_codes {
    ($($(#[$doc:meta])* $variant:ident = $wire:literal => $text:literal,)*) => {
        /// What went wrong, as a stable code (snake_case on the wire).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
        #[serde(rename_all = "snake_case")]
        pub enum ErrorCode {
            $($(#[$doc])* $variant,)*
            /// A code this build does not know (a newer service's): its message is shown as
            /// sent. Tests fail when the service sends one.
            #[serde(other)]
            Unknown,
        }

        impl ErrorCode {
            /// Every code but `Unknown`, in the order written.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];

            /// The code as written on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $wire,)*
                    ErrorCode::Unknown => "unknown",
                }
            }

            /// The code's own Russian text, for when there is no more exact message.
            pub fn text(self) -> &'static str {
                match self {
                    $(ErrorCode::$variant => $text,)*
                    ErrorCode::Unknown => "Не удалось выполнить действие. Обновите приложение",
                }
            }
        }
    };
}

error_codes! {
    // The request itself.
    InvalidRequest = "invalid_request" => "Запрос не разобран",
    NotFound = "not_found" => "Не найдено",
    MethodNotAllowed = "method_not_allowed" => "Этот адрес не принимает такой запрос",
    PayloadTooLarge = "payload_too_large" => "Запрос слишком велик",
    TooManyRequests = "too_many_requests" => "Слишком много запросов, попробуйте позже",
    Busy = "busy" => "Сервис занят, попробуйте через минуту",
    Internal = "internal" => "Сервис временно недоступен, попробуйте позже",
    IdempotencyKeyMissing = "idempotency_key_missing" => "Запрос без ключа идемпотентности",
    IdempotencyKeyInvalid = "idempotency_key_invalid" => "Ключ идемпотентности не разобран",
    IdempotencyKeyReused = "idempotency_key_reused" => "Этот ключ идемпотентности уже использован для другого запроса",

    // Sign-in and sessions.
    Unauthorized = "unauthorized" => "Войдите в личный кабинет заново",
    InvalidCredentials = "invalid_credentials" => "Неверный логин или пароль",
    InvalidCredentialsFormat = "invalid_credentials_format" => "Логин или пароль указаны не по правилам",
    LoginLocked = "login_locked" => "Вход временно заблокирован после нескольких неверных паролей",
    WrongPassword = "wrong_password" => "Текущий пароль указан неверно",
    InvalidToken = "invalid_token" => "Токен устройства не распознан",
    DeviceInUse = "device_in_use" => "Это устройство привязано к другому входу",

    // Registration, recovery and one-time codes.
    CaptchaWrong = "captcha_wrong" => "Символы с картинки введены неверно",
    CaptchaExpired = "captcha_expired" => "Картинка устарела, запросите новую",
    ConsentRequired = "consent_required" => "Нужно согласие на обработку персональных данных",
    LoginTaken = "login_taken" => "Такой логин уже занят",
    OwnLogin = "own_login" => "Это ваш текущий логин",
    UnknownLogin = "unknown_login" => "Пользователь с таким логином не найден",
    UnknownCity = "unknown_city" => "Такой населённый пункт не обслуживается",
    InvalidAccountNumber = "invalid_account_number" => "Номер лицевого счёта указан неверно",
    InvalidAmount = "invalid_amount" => "Сумма указана неверно",
    AccountNotMatched = "account_not_matched" => "Лицевой счёт и сумма последнего начисления не совпадают",
    AccountAlreadyRegistered = "account_already_registered" => "Этот лицевой счёт уже зарегистрирован",
    AccountNotBound = "account_not_bound" => "Этот лицевой счёт не привязан к профилю",
    AlreadyLinked = "already_linked" => "Этот лицевой счёт уже привязан",
    CannotUnlinkOwn = "cannot_unlink_own" => "Основной лицевой счёт профиля нельзя отвязать",
    InvalidContact = "invalid_contact" => "Телефон или e-mail указаны неверно",
    EmailRequired = "email_required" => "Укажите e-mail",
    EmailMissing = "email_missing" => "В профиле нет e-mail",
    NoCode = "no_code" => "Код не запрашивался или уже использован",
    InvalidCode = "invalid_code" => "Код указан неверно",
    CodeExpired = "code_expired" => "Срок действия кода истёк, запросите новый",
    CodeAttemptsExhausted = "code_attempts_exhausted" => "Код введён неверно слишком много раз, запросите новый",
    CodeNotConfirmed = "code_not_confirmed" => "Сначала подтвердите код",
    AlreadyConfirmed = "already_confirmed" => "Уже подтверждено",
    ResendTooSoon = "resend_too_soon" => "Новый код можно запросить чуть позже",
    TooManyCodes = "too_many_codes" => "Слишком много кодов, попробуйте позже",
    TooManyAttempts = "too_many_attempts" => "Слишком много попыток, попробуйте позже",
    UseLink = "use_link" => "Перейдите по ссылке из письма",
    RegistrationCompleted = "registration_completed" => "Регистрация уже завершена",
    RecoveryCompleted = "recovery_completed" => "Пароль уже восстановлен",

    // Readings and their photos.
    ReadingRefused = "reading_refused" => "Показания не приняты",
    ReadingNotConfirmed = "reading_not_confirmed" => "Подтвердите показания: проверка нашла, что уточнить",
    TakenAtOutOfPeriod = "taken_at_out_of_period" => "Дата снятия показаний вне расчётного периода",
    InvalidSource = "invalid_source" => "Источник показаний не разобран",
    InvalidKey = "invalid_key" => "Ключ фото указан неверно",
    InvalidPhoto = "invalid_photo" => "Фото счётчика не разобрано",
    PhotoNotFound = "photo_not_found" => "Фото счётчика не найдено",
    PhotoTooLarge = "photo_too_large" => "Фото счётчика слишком велико. Уменьшите его или снимите заново",
    PhotoMissing = "photo_missing" => "Фото счётчика не найдено на устройстве",
    PhotoUnreadable = "photo_unreadable" => "Фото счётчика не удалось прочитать",
    PhotoNotAnImage = "photo_not_an_image" => "Фото счётчика должно быть снимком в формате JPEG, PNG или HEIC",

    // Payments and the split of a sum by service.
    NoLines = "no_lines" => "В документе нет услуг к оплате",
    TotalNotPositive = "total_not_positive" => "Итоговая сумма должна быть больше нуля",
    TotalTooLarge = "total_too_large" => "Итоговая сумма слишком велика",
    UnknownService = "unknown_service" => "Такой услуги нет в документе",
    NotEditable = "not_editable" => "Сумму по этой услуге изменить нельзя",
    FixedTwice = "fixed_twice" => "Сумма по услуге указана дважды",
    NegativeAmount = "negative_amount" => "Сумма по услуге не может быть отрицательной",
    FixedExceedTotal = "fixed_exceed_total" => "Суммы по услугам больше итоговой суммы",
    NothingToSpread = "nothing_to_spread" => "Остаток не на что распределить",
    InvalidReturnUrl = "invalid_return_url" => "Адрес возврата после оплаты не разрешён",
    AcquirerUnavailable = "acquirer_unavailable" => "Оплата картой временно недоступна, попробуйте позже",
    BadNotification = "bad_notification" => "Уведомление банка не разобрано",
    NoReceipt = "no_receipt" => "Чека по этому платежу ещё нет",

    // Meter readers' rounds and the office's review (R24).
    NotAReader = "not_a_reader" => "Маршруты обхода доступны только контролёрам",
    NotOffice = "not_office" => "Проверка показаний контролёров доступна только сотрудникам офиса",
    AlreadyResolved = "already_resolved" => "Эти показания контролёра уже рассмотрены",
    StopIdTaken = "stop_id_taken" => "Остановка с этим кодом на маршруте уже другая",
    ReasonRequired = "reason_required" => "Укажите причину отказа",

    // Reports.
    InvalidPeriod = "invalid_period" => "Период указан неверно",
    InvalidRange = "invalid_range" => "Даты периода указаны неверно",
    InvalidMonths = "invalid_months" => "Число месяцев указано неверно",

    // The client on the device.
    Offline = "offline" => "Нет связи с сервером. Проверьте интернет",
    Timeout = "timeout" => "Сервер не ответил вовремя",
    SessionExpired = "session_expired" => "Войдите в личный кабинет заново",
    ServerUnavailable = "server_unavailable" => "Сервис временно недоступен, попробуйте позже",
    BadResponse = "bad_response" => "Ответ сервера не разобран",
    Store = "store" => "Ошибка хранилища на устройстве",
    Cancelled = "cancelled" => "Действие отменено",
    InvalidInput = "invalid_input" => "Проверьте введённые данные",
    Pdf = "pdf" => "PDF не удалось построить",
    Platform = "platform" => "Ошибка платформы",
    NotInitialised = "not_initialised" => "Библиотека не инициализирована",
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_goes_over_the_wire_and_back_as_itself() {
        for &code in ErrorCode::ALL {
            let wire = serde_json::to_string(&code).unwrap();
            assert_eq!(serde_json::from_str::<ErrorCode>(&wire).unwrap(), code, "{wire}");
            assert!(!code.text().is_empty());
            assert_eq!(wire, format!("\"{}\"", code.as_str()), "serde and as_str agree");
        }
    }

    #[test]
    fn a_code_this_build_does_not_know_reads_as_unknown_and_keeps_the_message() {
        let body = r#"{"code":"brand_new","message":"Новое","field":"x"}"#;
        let error: ApiError = serde_json::from_str(body).unwrap();
        assert_eq!(error.code, ErrorCode::Unknown);
        assert_eq!((error.message.as_str(), error.field.as_deref()), ("Новое", Some("x")));
    }

    #[test]
    fn every_text_is_russian_and_distinct_codes_have_wire_names_of_their_own() {
        let mut seen = std::collections::HashSet::new();
        for &code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert!(
                code.text()
                    .chars()
                    .any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap())),
                "{code}: {}",
                code.text()
            );
        }
        assert_eq!(ErrorCode::ReadingNotConfirmed.as_str(), "reading_not_confirmed");
    }
}
