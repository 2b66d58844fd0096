//! The service's operations as one table: each route's method and path under `/api/v1`. The
//! server's router is built from these constants and the client fills them in, so a path is
//! written once; a test of the server checks the table against the routes it serves and the
//! OpenAPI document it publishes.

/// The HTTP methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Delete,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// One operation: its method and its path template under `/api/v1`, parameters in braces
/// (`/accounts/{number}`), as axum and OpenAPI write them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Route {
    pub method: HttpMethod,
    pub template: &'static str,
}

/// A route with its parameters filled in: what a request is sent to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub method: HttpMethod,
    /// The path under `/api/v1`, each parameter percent-encoded, with the query if there is one.
    pub path: String,
}

macro_rules! routes {
    ($($(#[$doc:meta])* $name:ident = $method:ident $template:literal;)*) => {
        impl Route {
            $($(#[$doc])* pub const $name: Route =
                Route { method: HttpMethod::$method, template: $template };)*

            /// Every route of the service under `/api/v1` (the demo pages are not in it).
            pub const ALL: &'static [Route] = &[$(Route::$name,)*];
        }
    };
}

routes! {
    HEALTH = Get "/health";
    CITIES = Get "/cities";
    CAPTCHA = Post "/captcha";
    REGISTRATIONS = Post "/registrations";
    REGISTRATION = Get "/registrations/{id}";
    REGISTRATION_DETAILS = Put "/registrations/{id}/details";
    REGISTRATION_ACCOUNT = Put "/registrations/{id}/account";
    REGISTRATION_ACCOUNT_CONFIRM = Post "/registrations/{id}/account/confirm";
    REGISTRATION_CODE = Post "/registrations/{id}/code";
    REGISTRATION_CODE_RESEND = Post "/registrations/{id}/code/resend";
    /// The e-mail link's address: opened in a browser, not by the apps.
    REGISTRATION_LINK = Get "/registrations/{id}/link/{secret}";
    SESSIONS = Post "/sessions";
    SESSION_REFRESH = Post "/sessions/refresh";
    SESSION_CURRENT = Delete "/sessions/current";
    RECOVERIES = Post "/recoveries";
    RECOVERY_CODE = Post "/recoveries/{id}/code";
    RECOVERY_PASSWORD = Post "/recoveries/{id}/password";
    PROFILE = Get "/profile";
    PROFILE_PASSWORD = Put "/profile/password";
    PROFILE_PHONE = Post "/profile/phone";
    PROFILE_PHONE_CODE = Post "/profile/phone/{id}/code";
    PROFILE_EMAIL = Post "/profile/email";
    /// The e-mail link's address: opened in a browser, not by the apps.
    PROFILE_EMAIL_LINK = Get "/profile/email/{id}/link/{secret}";
    PROFILE_NOTIFICATIONS = Put "/profile/notifications";
    PROFILE_ACCOUNTS = Post "/profile/accounts";
    PROFILE_ACCOUNT = Delete "/profile/accounts/{number}";
    PAPER_REFUSAL_FORM = Get "/accounts/{number}/paper-refusal-form";
    PAPER_REFUSAL_PDF = Get "/accounts/{number}/paper-refusal-form/pdf";
    ACCOUNTS = Get "/accounts";
    ACCOUNT = Get "/accounts/{number}";
    DOCUMENTS = Get "/accounts/{number}/documents";
    DOCUMENT = Get "/accounts/{number}/documents/{period}";
    DOCUMENT_EMAIL = Post "/accounts/{number}/documents/{period}/email";
    DOCUMENT_PDF = Get "/accounts/{number}/documents/{period}/pdf";
    METERS = Get "/accounts/{number}/meters";
    READING_CHECK = Post "/accounts/{number}/meters/{meter_id}/readings/check";
    READINGS = Post "/accounts/{number}/meters/{meter_id}/readings";
    REPORT_PAYMENTS = Get "/accounts/{number}/reports/payments";
    REPORT_PAYMENTS_PDF = Get "/accounts/{number}/reports/payments/pdf";
    REPORT_CHARGES = Get "/accounts/{number}/reports/charges";
    REPORT_CHARGES_PDF = Get "/accounts/{number}/reports/charges/pdf";
    REPORT_READINGS = Get "/accounts/{number}/reports/readings";
    REPORT_READINGS_PDF = Get "/accounts/{number}/reports/readings/pdf";
    PAYMENTS = Post "/payments";
    PAYMENT = Get "/payments/{id}";
    RECEIPT_PDF = Get "/payments/{id}/receipt/pdf";
    /// The acquirer's notifications: its servers call it, not the apps.
    PAYMENT_NOTIFICATIONS = Post "/payments/notifications/{acquirer}";
    DEVICES = Post "/devices";
    DEVICE = Delete "/devices/{token}";
    PHOTO = Put "/photos/{key}";
    ROUNDS = Get "/rounds";
    ROUND = Get "/rounds/{id}";
    ROUND_CAPTURES = Post "/rounds/{id}/captures";
    ROUND_RESULTS_CSV = Get "/rounds/{id}/results.csv";
    ROUND_SHEET_PDF = Get "/rounds/{id}/sheet.pdf";
    OFFICE_CAPTURES = Get "/office/captures";
    OFFICE_CAPTURE_RESOLUTION = Post "/office/captures/{device_id}/resolution";
    OFFICE_ROUND_STOPS = Post "/office/rounds/{id}/stops";
    OFFICE_ROUND_STOP_CANCELLATION = Post "/office/rounds/{id}/stops/{stop_id}/cancellation";
}

impl Route {
    /// The routes that answer HTML pages for a browser (the e-mail links), not JSON: the
    /// OpenAPI document leaves them out.
    pub const PAGES: &'static [Route] = &[Route::REGISTRATION_LINK, Route::PROFILE_EMAIL_LINK];

    /// The route with its parameters, in the template's order, each percent-encoded as a path
    /// segment (an account number or an id cannot add a segment or a query).
    pub fn at(self, params: &[&str]) -> Target {
        let mut path = String::with_capacity(self.template.len() + 16);
        let mut params = params.iter();
        let mut rest = self.template;
        while let Some(open) = rest.find('{') {
            path.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |c| open + c + 1);
            // A missing parameter leaves the template's name: the service answers 404, loudly.
            match params.next() {
                Some(value) => path.push_str(&path_segment(value)),
                None => path.push_str(&rest[open..close]),
            }
            rest = &rest[close..];
        }
        path.push_str(rest);
        Target { method: self.method, path }
    }
}

impl Target {
    /// Adds query parameters, each value percent-encoded.
    pub fn query(mut self, pairs: &[(&str, &str)]) -> Target {
        for (i, (name, value)) in pairs.iter().enumerate() {
            self.path.push(if i == 0 { '?' } else { '&' });
            self.path.push_str(name);
            self.path.push('=');
            self.path.push_str(&path_segment(value));
        }
        self
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters: a value as one path
/// segment or query value.
pub fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_fill_the_template_in_order_and_cannot_add_a_segment() {
        let target = Route::READINGS.at(&["450001000001", "m/1?x"]);
        assert_eq!(target.method, HttpMethod::Post);
        assert_eq!(target.path, "/accounts/450001000001/meters/m%2F1%3Fx/readings");
        assert_eq!(Route::ACCOUNTS.at(&[]).path, "/accounts");
    }

    #[test]
    fn a_query_is_encoded_after_the_path() {
        let target =
            Route::REPORT_READINGS.at(&["1"]).query(&[("kind", "all"), ("from", "2026-01 x")]);
        assert_eq!(target.path, "/accounts/1/reports/readings?kind=all&from=2026-01%20x");
    }

    #[test]
    fn no_two_routes_share_a_method_and_template() {
        let mut seen = std::collections::HashSet::new();
        for route in Route::ALL {
            assert!(seen.insert((route.method, route.template)), "{route:?} twice");
            assert!(route.template.starts_with('/'), "{route:?}");
        }
    }
}
