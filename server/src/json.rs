//! JSON body and query-string extractors whose refusals are [`AppError`]s in Russian, naming the
//! field at fault (axum's own answer is English plain text, and serde's messages are English).

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use lk_core::api::ErrorCode;

use crate::error::AppError;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        if !is_json {
            return Err(AppError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::InvalidRequest,
                "Тело запроса должно быть JSON (Content-Type: application/json)",
            ));
        }
        // The one way reading the body fails here is the body limit, for a body sent without
        // a Content-Length (with one, the limit layer answers first: see error::json_refusals).
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| AppError::too_large("Тело запроса слишком велико"))?;
        // Every body is an object; serde would also take a struct as an array of its fields
        // in order, which the API does not declare.
        if bytes.trim_ascii_start().first() == Some(&b'[') {
            return Err(AppError::new(
                StatusCode::BAD_REQUEST,
                ErrorCode::InvalidRequest,
                "Тело запроса должно быть JSON-объектом",
            ));
        }
        let mut reader = serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(&mut reader).map(ApiJson).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let (message, field) = match inner.classify() {
                serde_json::error::Category::Eof if bytes.trim_ascii().is_empty() => {
                    ("Тело запроса пусто: ожидается JSON-объект".to_owned(), None)
                }
                serde_json::error::Category::Eof => {
                    ("Тело запроса оборвано: JSON не закончен".to_owned(), None)
                }
                serde_json::error::Category::Syntax | serde_json::error::Category::Io => (
                    format!(
                        "Тело запроса — не JSON: ошибка в строке {}, позиции {}",
                        inner.line(),
                        inner.column()
                    ),
                    None,
                ),
                serde_json::error::Category::Data => {
                    let text = inner.to_string();
                    // serde_json appends the position; the person needs the field instead.
                    let text = match text.rsplit_once(" at line ") {
                        Some((text, _)) if inner.line() > 0 => text,
                        _ => text.as_str(),
                    };
                    explain(&path, text, "Запрос не разобран")
                }
            };
            let error = AppError::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest, message);
            match field {
                Some(f) => error.field(&f),
                None => error,
            }
        })
    }
}

/// A query-string extractor whose refusals are [`AppError`]s.
pub struct ApiQuery<T>(pub T);

impl<S, T> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(value) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await.map_err(|e| {
                // axum gives the error only as text: "<its words>: [path: ]<serde's message>",
                // and the path of an unknown parameter is the parameter, whatever it holds.
                let text = e.body_text();
                let text = text.split_once(": ").map_or(text.as_str(), |(_, rest)| rest);
                let (path, text) = split_path(text);
                let (message, field) = explain(path, text, "Параметры запроса не разобраны");
                let error =
                    AppError::new(StatusCode::BAD_REQUEST, ErrorCode::InvalidRequest, message);
                match field {
                    Some(f) => error.field(&f),
                    None => error,
                }
            })?;
        Ok(ApiQuery(value))
    }
}

/// How serde's own messages begin (serde::de::Error's provided methods).
const SERDE_FORMS: [&str; 7] = [
    "unknown field ",
    "missing field ",
    "duplicate field ",
    "unknown variant ",
    "invalid type: ",
    "invalid value: ",
    "invalid length ",
];

/// Splits serde_path_to_error's "path: message" text (the path is left out at the top).
fn split_path(text: &str) -> (&str, &str) {
    if SERDE_FORMS.iter().any(|form| text.starts_with(form)) {
        return (".", text);
    }
    let serde_at = SERDE_FORMS.iter().filter_map(|form| text.find(&format!(": {form}"))).min();
    match serde_at {
        Some(at) => (&text[..at], &text[at + 2..]),
        // Our own or a parser's message: the path is a plain field name before the first ": ".
        None => match text.split_once(": ") {
            Some((path, rest))
                if !path.is_empty()
                    && path.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.[]".contains(&b)) =>
            {
                (path, rest)
            }
            _ => (".", text),
        },
    }
}

/// A serde data error in Russian: the message for people and the field at fault. serde words
/// its errors in fixed English forms (serde::de::Error's provided methods); our own types'
/// errors (money, periods, contacts) already speak Russian and are kept; anything else gets a
/// plain "недопустимое значение" rather than English.
fn explain(path: &str, text: &str, whole: &str) -> (String, Option<String>) {
    // serde_path_to_error's path ends at an unknown field but stops short of a missing one.
    let at = |name: &str| match path {
        "." | "" => name.to_owned(),
        path if path == name || path.ends_with(&format!(".{name}")) => path.to_owned(),
        path => format!("{path}.{name}"),
    };
    let here = (path != "." && !path.is_empty()).then(|| path.to_owned());
    // The first `quoted` name in serde's text, and the list after "expected one of".
    let quoted = |text: &str| text.split('`').nth(1).map(str::to_owned);
    // "expected `a`", "expected `a` or `b`", "expected one of `a`, `b`, `c`".
    let choices = |text: &str| {
        let list = text.split_once("expected ").map(|(_, list)| list).unwrap_or("");
        list.split('`').skip(1).step_by(2).collect::<Vec<_>>().join(", ")
    };
    let field_of = |field: &Option<String>| field.clone().unwrap_or_default();

    if let Some(rest) = text.strip_prefix("unknown field ") {
        let name = quoted(rest).unwrap_or_default();
        let field = Some(at(&name));
        let allowed = choices(rest);
        let message = if allowed.is_empty() {
            format!("Поле «{}» в запросе не предусмотрено", field_of(&field))
        } else {
            format!("Поле «{}» в запросе не предусмотрено; допустимы: {allowed}", field_of(&field))
        };
        return (message, field);
    }
    if let Some(rest) = text.strip_prefix("missing field ") {
        let field = Some(at(&quoted(rest).unwrap_or_default()));
        return (format!("Не заполнено обязательное поле «{}»", field_of(&field)), field);
    }
    if let Some(rest) = text.strip_prefix("duplicate field ") {
        let field = Some(at(&quoted(rest).unwrap_or_default()));
        return (format!("Поле «{}» указано дважды", field_of(&field)), field);
    }
    let subject = match &here {
        Some(field) => format!("Поле «{field}»"),
        None => whole.to_owned(),
    };
    if let Some(rest) = text.strip_prefix("unknown variant ") {
        let value = quoted(rest).unwrap_or_default();
        let allowed = choices(rest);
        let message = if allowed.is_empty() {
            format!("{subject}: значение «{value}» не предусмотрено")
        } else {
            format!("{subject}: значение «{value}» не предусмотрено; допустимы: {allowed}")
        };
        return (message, here);
    }
    if let Some(rest) = text.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let message = if here.is_none() && expected_kind(expected) == "объект" {
            "Тело запроса должно быть JSON-объектом".to_owned()
        } else {
            format!(
                "{subject}: ожидается {}, а передано {}",
                expected_kind(expected),
                found_kind(found)
            )
        };
        return (message, here);
    }
    if text.starts_with("invalid length ") {
        return (format!("{subject}: неверное число элементов"), here);
    }
    // Our types' own refusals are Russian already ("«2026-13»: Период указывается как ГГГГ-ММ").
    if text.chars().any(|c| matches!(c, 'А'..='я' | 'Ё' | 'ё')) {
        return (format!("{subject}: {text}"), here);
    }
    (format!("{subject}: недопустимое значение"), here)
}

/// What serde says it expected, in Russian.
fn expected_kind(expected: &str) -> &'static str {
    let e = expected.trim();
    if e.starts_with("struct ") || e.contains("map") {
        "объект"
    } else if e.contains("sequence") || e.starts_with("tuple") {
        "список"
    } else if e.contains("bool") {
        "true или false"
    } else if e.contains("date and time") || e.contains("datetime") {
        "дата и время (ГГГГ-ММ-ДДTЧЧ:ММ:ССZ)"
    } else if e.contains("date") {
        "дата (ГГГГ-ММ-ДД)"
    } else if e.contains("variant") || e.starts_with("enum ") {
        "одно из допустимых значений (строка)"
    } else if e.contains("integer")
        || ["u8", "u16", "u32", "u64", "u128", "i8", "i16", "i32", "i64", "i128", "usize"]
            .contains(&e)
    {
        "целое число"
    } else if e == "f32" || e == "f64" || e.contains("number") {
        "число"
    } else if e.contains("string") || e.contains("char") {
        "строка"
    } else if e.contains("unit") || e.contains("null") {
        "null"
    } else {
        "значение другого типа"
    }
}

/// What serde says it found (`integer `5``, `string "x"`, `map`…), in Russian.
fn found_kind(found: &str) -> &'static str {
    let f = found.trim();
    if f.starts_with("integer") || f.starts_with("floating point") {
        "число"
    } else if f.starts_with("string") || f.starts_with("character") {
        "строка"
    } else if f.starts_with("boolean") {
        "true или false"
    } else if f.starts_with("sequence") {
        "список"
    } else if f.starts_with("map") {
        "объект"
    } else if f.starts_with("null") || f.starts_with("unit") {
        "null"
    } else {
        "значение другого типа"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_is_split_off_serdes_text_whatever_the_parameter_is_called() {
        assert_eq!(
            split_path("x-y: z: unknown field `x-y: z`, expected `from`"),
            ("x-y: z", "unknown field `x-y: z`, expected `from`")
        );
        assert_eq!(
            split_path("months: invalid digit found in string"),
            ("months", "invalid digit found in string")
        );
        assert_eq!(split_path("missing field `kind`"), (".", "missing field `kind`"));
        assert_eq!(split_path("premature end of input"), (".", "premature end of input"));
    }

    #[test]
    fn serdes_words_become_russian_naming_the_field() {
        let cases = [
            (
                ".",
                "unknown field `x`, expected `login` or `password`",
                "Поле «x» в запросе не предусмотрено; допустимы: login, password",
                Some("x"),
            ),
            (
                "details",
                "missing field `city`",
                "Не заполнено обязательное поле «details.city»",
                Some("details.city"),
            ),
            (
                "channel",
                "unknown variant `fax`, expected `phone` or `email`",
                "Поле «channel»: значение «fax» не предусмотрено; допустимы: phone, email",
                Some("channel"),
            ),
            (
                "values[0].zone",
                "unknown variant `x`, expected one of `single`, `day`",
                "Поле «values[0].zone»: значение «x» не предусмотрено; допустимы: single, day",
                Some("values[0].zone"),
            ),
            (
                "login",
                "invalid type: integer `5`, expected a string",
                "Поле «login»: ожидается строка, а передано число",
                Some("login"),
            ),
            (
                ".",
                "invalid type: sequence, expected struct SignInRequest",
                "Тело запроса должно быть JSON-объектом",
                None,
            ),
            (
                "consent.given",
                "invalid type: string \"yes\", expected a boolean",
                "Поле «consent.given»: ожидается true или false, а передано строка",
                Some("consent.given"),
            ),
            (
                "months",
                "invalid digit found in string",
                "Поле «months»: недопустимое значение",
                Some("months"),
            ),
            (
                "total",
                "«1,005»: Копеек может быть не больше двух знаков",
                "Поле «total»: «1,005»: Копеек может быть не больше двух знаков",
                Some("total"),
            ),
            (".", "duplicate field `login`", "Поле «login» указано дважды", Some("login")),
        ];
        for (path, serde, russian, field) in cases {
            let (message, named) = explain(path, serde, "Запрос не разобран");
            assert!(message.starts_with(russian), "{serde} → {message}");
            assert_eq!(named.as_deref(), field, "{serde}");
        }
    }
}
