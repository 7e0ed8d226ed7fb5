//! What can go wrong talking to Nexudus, each with a sentence a receptionist understands.

use std::fmt;

use wifi_desk_wire::{ActionResult, FieldError, GrantError};

/// A failed call. `Display` is the sentence to show a person; `detail()` adds what a developer needs.
/// Neither ever contains the bearer token.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No token, or it is wrong or expired (401).
    SignedOut,
    /// Email or password not right (`invalid_grant`).
    WrongPassword,
    /// Two-factor is on and the code was missing or wrong (`two_factor_auth_check`).
    TwoFactorRequired,
    /// The password must be reset in Nexudus first (`must_reset_password`).
    MustResetPassword,
    /// Signed in, but the account's first call with its new token was refused (401): Nexudus
    /// grants tokens to accounts that may not use the API, then refuses every call. Asking to sign
    /// in again would go round in a circle.
    NoApiAccess,
    /// Signed in without the role the call needs (403); carries the role's name.
    MissingRole(String),
    /// The record does not exist (404).
    NotFound,
    /// A 404 to a request about no one record (signing in, a list, a create, the commands): the
    /// API is not at the widget's address for it (`api-base`).
    NoApi,
    /// The record failed validation (400 with per-property errors).
    Invalid(Vec<FieldError>),
    /// Throttled (409); wait this many seconds. The client waits these out itself: what reaches
    /// its callers, once waiting is no longer worth it, is [`ApiError::Spent`].
    Throttled(u32),
    /// Given up after waiting out 409s as long as they are worth waiting out: the account's
    /// requests are spent (an hour's or a day's limit, perhaps by another desk). How many seconds
    /// more the server said to wait, when it said longer than was waited.
    Spent(Option<u32>),
    /// The server failed (5xx); the status.
    Server(u16),
    /// The request was refused for a reason the server stated (other 4xx).
    Refused(u16, String),
    /// The server answered but did not carry the action out (`WasSuccessful: false`); its message.
    CommandFailed(String),
    /// No answer while the browser says it is online: the server down, DNS, a CORS refusal (the
    /// API not accepting requests from this page) or a dropped connection.
    Network(String),
    /// No answer, and the browser says this device is offline.
    Offline,
    /// No answer in time.
    TimedOut(u32),
    /// An answer that is not what the contract says; an excerpt of it.
    Unreadable(String),
    /// A write answered as a success whose answer cannot be read (cut short, say, by a proxy):
    /// it may have been carried out; an excerpt of it.
    Garbled(String),
    /// The same code is already being issued by this widget (a double click, a repeated Enter).
    InProgress,
    /// The code was not issued, and trying again is safe: a create got no answer and a look-up
    /// showed the code missing, or the create was stopped (a batch cancelled) before it was sent.
    NotCreated,
    /// A revoke got no answer, and the code was found still there: trying again is safe.
    NotRevoked,
    /// Whether a create was carried out is not known: no answer came and the look-up for its code
    /// failed, or found nothing while the server may still be at work (a timeout, a gateway's
    /// timeout), or it was refused as a duplicate and the look-up failed; carries the code.
    OutcomeUnknown(String),
    /// The widget asked for a list the API cannot answer (a programming error); why.
    BadQuery(String),
}

/// Longest excerpt of an unreadable body kept for the developer.
const EXCERPT: usize = 120;

impl ApiError {
    /// A stable name for the kind of error, for a host page's handlers: `signed-out`,
    /// `missing-role`, `invalid`, `network`, …
    pub fn kind(&self) -> &'static str {
        match self {
            Self::SignedOut => "signed-out",
            Self::WrongPassword => "wrong-password",
            Self::TwoFactorRequired => "two-factor-required",
            Self::MustResetPassword => "must-reset-password",
            Self::NoApiAccess => "no-api-access",
            Self::MissingRole(_) => "missing-role",
            Self::NotFound => "not-found",
            Self::NoApi => "no-api",
            Self::Invalid(_) => "invalid",
            Self::Throttled(_) | Self::Spent(_) => "throttled",
            Self::Server(_) => "server",
            Self::Refused(..) => "refused",
            Self::CommandFailed(_) => "command-failed",
            Self::Network(_) => "network",
            Self::Offline => "offline",
            Self::TimedOut(_) => "timed-out",
            Self::Unreadable(_) => "unreadable",
            Self::Garbled(_) => "garbled",
            Self::InProgress => "in-progress",
            Self::NotCreated => "not-created",
            Self::NotRevoked => "not-revoked",
            Self::OutcomeUnknown(_) => "outcome-unknown",
            Self::BadQuery(_) => "bad-query",
        }
    }

    /// Maps an HTTP answer that is not a success to an error, reading the body as the contract says.
    pub fn from_response(status: u16, retry_after: Option<&str>, body: &str) -> Self {
        match status {
            400 => {
                if let Ok(grant) = serde_json::from_str::<GrantError>(body) {
                    match grant.error.as_str() {
                        GrantError::INVALID_GRANT => return Self::WrongPassword,
                        GrantError::TWO_FACTOR => return Self::TwoFactorRequired,
                        GrantError::MUST_RESET_PASSWORD => return Self::MustResetPassword,
                        "" => {}
                        other => return Self::Refused(400, other.to_owned()),
                    }
                }
                match serde_json::from_str::<ActionResult>(body) {
                    Ok(action) if !action.field_errors().is_empty() => {
                        Self::Invalid(action.field_errors().to_vec())
                    }
                    Ok(action) => Self::Refused(400, action.message.unwrap_or_default()),
                    Err(_) => Self::Refused(400, excerpt(body)),
                }
            }
            401 => Self::SignedOut,
            403 => Self::MissingRole(role_in(body)),
            404 => Self::NotFound,
            409 => Self::Throttled(retry_after.and_then(|v| v.trim().parse().ok()).unwrap_or(1)),
            500..=599 => Self::Server(status),
            _ => Self::Refused(status, excerpt(body)),
        }
    }

    /// Whether a write that got this may have been carried out all the same: no answer came, or a
    /// gateway in front of the API answered for it (502, 503, 504) and cannot say what the API did.
    pub fn outcome_unknown(&self) -> bool {
        matches!(
            self,
            Self::Network(_)
                | Self::Offline
                | Self::TimedOut(_)
                | Self::Server(502..=504)
                | Self::Garbled(_)
        )
    }

    /// Whether a create that got this may yet turn out to have made its code: no answer came,
    /// and the code was not found (yet) or could not be looked up. Repeated soon with the same
    /// code and terms, the client recognises the record if it landed.
    pub fn may_have_landed(&self) -> bool {
        matches!(self, Self::NotCreated | Self::OutcomeUnknown(_))
    }

    /// Whether a GET may be sent again after this. Not after [`ApiError::Spent`]: that comes
    /// once the client waited out the server's 409s as long as they are worth waiting out
    /// (`Client::wait_out`), and sending it again would wait as long again.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Network(_) | Self::Offline | Self::Server(502..=504)
        )
    }

    /// The sentence and, in brackets, what a developer needs to find the cause.
    pub fn detail(&self) -> String {
        let more = match self {
            Self::Invalid(errors) => errors
                .iter()
                .map(|e| format!("{}: {}", e.property_name, e.message))
                .collect::<Vec<_>>()
                .join("; "),
            Self::Server(status) => format!("HTTP {status}"),
            Self::Refused(status, text) => format!("HTTP {status}: {text}"),
            Self::Network(text)
            | Self::Unreadable(text)
            | Self::Garbled(text)
            | Self::CommandFailed(text)
            | Self::BadQuery(text) => text.clone(),
            _ => String::new(),
        };
        if more.is_empty() {
            self.to_string()
        } else {
            format!("{self} ({more})")
        }
    }

    /// What the server said of `field`, as a sentence, for a field no form shows (the business).
    pub fn refused_field(field: &FieldError) -> String {
        format!(
            "The server refused {}: it {}.",
            named(&field.property_name),
            field.message.trim().trim_end_matches('.')
        )
    }

    /// The message for one record field, to show beside its input.
    pub fn field(&self, property: &str) -> Option<String> {
        match self {
            Self::Invalid(errors) => errors
                .iter()
                .find(|e| e.property_name.eq_ignore_ascii_case(property))
                .map(|e| e.message.clone()),
            _ => None,
        }
    }
}

fn excerpt(body: &str) -> String {
    let flat: String = body.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(EXCERPT) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

/// Whether a refusal's text is a reason a person can read: words, not a code (`invalid_client`),
/// markup, JSON or an excerpt cut short.
fn stated(text: &str) -> bool {
    let text = text.trim();
    text.contains(' ') && !text.ends_with('…') && !text.contains(['<', '{', '['])
}

/// The role a 403 names, e.g. `AccessToken-Delete`, or a general word when it names none.
fn role_in(body: &str) -> String {
    body.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .find(|w| w.starts_with("AccessToken-"))
        .unwrap_or("needed")
        .to_owned()
}

/// How a person names an AccessToken property in a sentence, as the forms label it; another
/// property by its API name.
fn named(property: &str) -> &str {
    match property {
        "AccessCode" => "the access code",
        "Description" => "the description",
        "MinutesIncluded" => "the minutes",
        "MinutesLeft" => "the minutes left",
        "ValidFrom" => "the Valid from date",
        "ValidTo" => "the Valid to date",
        "UserLimit" => "the devices",
        "BusinessId" | "Business" => "the business",
        other => other,
    }
}

/// A wait in words: seconds under a minute, minutes (rounded up) under an hour, hours after.
fn duration(seconds: u32) -> String {
    let plural = |n: u32, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
    match seconds {
        0..60 => plural(seconds, "second"),
        60..3_600 => plural(seconds.div_ceil(60), "minute"),
        _ => match seconds.saturating_add(1_800) / 3_600 {
            1 => "an hour".to_owned(),
            hours => plural(hours, "hour"),
        },
    }
}

/// A short sentence for an unreadable answer, with the excerpt kept for `detail()`.
pub(crate) fn unreadable(body: &str) -> ApiError {
    ApiError::Unreadable(excerpt(body))
}

/// The same for a write answered as a success: it may have been done.
pub(crate) fn garbled(body: &str) -> ApiError {
    ApiError::Garbled(excerpt(body))
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SignedOut => f.write_str("You are not signed in, or your session has ended. Please sign in again."),
            Self::WrongPassword => f.write_str("That email and password do not match an account. Check them and try again."),
            Self::TwoFactorRequired => f.write_str("Enter the six-digit code from your authenticator app."),
            Self::MustResetPassword => f.write_str("Your password must be reset in Nexudus before you can sign in here."),
            Self::NoApiAccess => f.write_str("This account signed in, but Nexudus does not let it use the API. Ask an administrator to give it API access."),
            Self::MissingRole(role) => write!(f, "Your account does not have the {role} role needed for this. Ask an administrator to add it."),
            Self::NotFound => f.write_str("That access code no longer exists. It may have been revoked."),
            Self::NoApi => f.write_str("The address this widget was given for Nexudus (api-base) is not the API's. Tell whoever set up the widget."),
            Self::Invalid(errors) => match errors.as_slice() {
                [one] => write!(f, "Please check {}: it {}.", named(&one.property_name), one.message),
                _ => write!(f, "Please check the {} highlighted fields.", errors.len()),
            },
            Self::Throttled(seconds) => write!(f, "Nexudus asked us to slow down. Try again in {}.", duration(*seconds)),
            // Waited out the window of the per-minute limits: what is spent is the hour's or the
            // day's, and the server did not say for how long.
            Self::Spent(None) => f.write_str("Nexudus is still refusing this account's requests after waiting: too many were sent, perhaps from another desk, and its limit for the hour or the day may be used up. Try again later."),
            Self::Spent(Some(seconds)) => write!(f, "Nexudus is refusing this account's requests for now: too many were sent, perhaps from another desk. Try again in about {}.", duration(*seconds)),
            Self::Server(_) => f.write_str("The server had a problem and could not finish. Try again in a moment."),
            // Its reason, when it stated one in words (not a page of markup or a body cut short).
            Self::Refused(_, said) if stated(said) => {
                let said = said.trim();
                let stop = if said.ends_with(['.', '!', '?']) { "" } else { "." };
                write!(f, "The server refused the request: {said}{stop}")
            }
            Self::Refused(_, _) => f.write_str("The server refused the request."),
            Self::CommandFailed(message) if message.trim().is_empty() => f.write_str("The server did not carry this out, and did not say why."),
            Self::CommandFailed(message) => write!(f, "The server did not carry this out: {message}"),
            // The browser cannot say which: a server down and one that refuses this page's origin
            // (CORS) fail alike, on a connection that works.
            Self::Network(_) => f.write_str("Cannot reach the server: it may be down, or it may not accept requests from this page. Try again; if it keeps failing, tell your administrator."),
            Self::Offline => f.write_str("This device is offline. Check its network connection, then try again."),
            Self::TimedOut(seconds) => write!(f, "The server did not answer within {seconds} seconds. Try again."),
            Self::Unreadable(_) => f.write_str("The server sent an answer that cannot be read. Try again, or tell your administrator."),
            Self::Garbled(_) => f.write_str("The server's answer could not be read, so it is not known whether this was done. Open the code to see before trying again."),
            Self::InProgress => f.write_str("This code is already being issued. Wait for it to finish."),
            Self::NotCreated => f.write_str("The code was not issued. You can try again."),
            Self::NotRevoked => f.write_str("The server's answer was lost, and the code was not revoked. You can try again."),
            Self::OutcomeUnknown(code) => write!(f, "The server's answer was lost, and it is not known whether code {code} was issued. Look for it in the list before trying again."),
            Self::BadQuery(_) => f.write_str("The list could not be asked for. Tell your administrator."),
        }
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grant_errors() {
        let e =
            |error: &str| ApiError::from_response(400, None, &format!(r#"{{"error":"{error}"}}"#));
        assert_eq!(e("invalid_grant"), ApiError::WrongPassword);
        assert_eq!(e("two_factor_auth_check"), ApiError::TwoFactorRequired);
        assert_eq!(e("must_reset_password"), ApiError::MustResetPassword);
        assert_eq!(
            e("unsupported_grant_type"),
            ApiError::Refused(400, "unsupported_grant_type".into())
        );
    }

    #[test]
    fn validation_envelope_per_field() {
        let body = include_str!("../../wire/tests/fixtures/000-validation-400.json");
        let e = ApiError::from_response(400, None, body);
        assert_eq!(
            e.field("email").as_deref(),
            Some("may not be null or empty")
        );
        assert_eq!(e.field("AccessCode"), None);
        assert_eq!(e.to_string(), "Please check the 4 highlighted fields.");
        assert!(e.detail().contains("Country: may not be null"));
    }

    #[test]
    fn one_field_is_named_as_its_form_labels_it() {
        let one = |property: &str| {
            ApiError::Invalid(vec![wifi_desk_wire::FieldError {
                property_name: property.into(),
                message: "must be later".into(),
                ..Default::default()
            }])
            .to_string()
        };
        assert_eq!(
            one("ValidTo"),
            "Please check the Valid to date: it must be later."
        );
        assert_eq!(
            one("UserLimit"),
            "Please check the devices: it must be later."
        );
        assert_eq!(one("Country"), "Please check Country: it must be later.");
    }

    #[test]
    fn statuses_and_bodies() {
        assert_eq!(ApiError::from_response(401, None, ""), ApiError::SignedOut);
        assert_eq!(
            ApiError::from_response(
                403,
                None,
                r#"{"Message":"You do not have the AccessToken-Delete role needed."}"#
            ),
            ApiError::MissingRole("AccessToken-Delete".into())
        );
        assert_eq!(
            ApiError::from_response(403, None, ""),
            ApiError::MissingRole("needed".into())
        );
        assert_eq!(
            ApiError::from_response(404, None, "\"Not found\""),
            ApiError::NotFound
        );
        assert_eq!(
            ApiError::from_response(409, Some("3"), ""),
            ApiError::Throttled(3)
        );
        assert_eq!(
            ApiError::from_response(409, None, ""),
            ApiError::Throttled(1)
        );
        let body = include_str!("../../wire/tests/fixtures/000-server-error-500.json");
        assert_eq!(
            ApiError::from_response(500, None, body),
            ApiError::Server(500)
        );
        let e = ApiError::from_response(418, None, &format!("<html>{}</html>", "x".repeat(500)));
        assert!(
            matches!(&e, ApiError::Refused(418, text) if text.ends_with('…') && text.chars().count() == 121)
        );
        assert_eq!(
            ApiError::from_response(
                400,
                None,
                r#"{"Message":"size: a page holds 1 to 1000 records, not 5000."}"#
            ),
            ApiError::Refused(
                400,
                "size: a page holds 1 to 1000 records, not 5000.".into()
            )
        );
    }

    #[test]
    fn a_refusal_says_its_reason_when_the_server_stated_one() {
        let said = ApiError::from_response(
            400,
            None,
            r#"{"WasSuccessful":false,"Message":"AccessCode: is already in use","Errors":null}"#,
        );
        assert_eq!(
            said.to_string(),
            "The server refused the request: AccessCode: is already in use."
        );
        for unsaid in [
            ApiError::from_response(418, None, &format!("<html>{}</html>", "x".repeat(500))),
            ApiError::from_response(400, None, r#"{"WasSuccessful":false,"Errors":null}"#),
            ApiError::from_response(405, None, "<h1>Method not allowed</h1>"),
            ApiError::from_response(400, None, r#"{"error":"invalid_client"}"#),
        ] {
            assert_eq!(
                unsaid.to_string(),
                "The server refused the request.",
                "{unsaid:?}"
            );
        }
    }

    #[test]
    fn which_errors_a_get_may_retry() {
        for e in [
            ApiError::Network("x".into()),
            ApiError::Offline,
            ApiError::Server(502),
            ApiError::Server(503),
            ApiError::Server(504),
        ] {
            assert!(e.is_transient(), "{e:?}");
        }
        for e in [
            // Its 409s were waited out already.
            ApiError::Throttled(7),
            ApiError::Spent(None),
            ApiError::Server(500),
            ApiError::SignedOut,
            ApiError::NotFound,
            ApiError::TimedOut(5),
            ApiError::Unreadable(String::new()),
        ] {
            assert!(!e.is_transient(), "{e:?}");
        }
    }

    #[test]
    fn which_write_errors_leave_the_outcome_unknown() {
        for e in [
            ApiError::Network("x".into()),
            // The browser may have lost the connection after the request left.
            ApiError::Offline,
            ApiError::TimedOut(20),
            ApiError::Server(502),
            ApiError::Server(503),
            ApiError::Server(504),
            ApiError::Garbled("{\"WasSucc".into()),
        ] {
            assert!(e.outcome_unknown(), "{e:?}");
        }
        for e in [
            ApiError::Server(500),
            ApiError::Throttled(1),
            ApiError::SignedOut,
            ApiError::NotFound,
            ApiError::NotCreated,
            ApiError::NotRevoked,
            ApiError::CommandFailed(String::new()),
            // A read's: nothing was to be done.
            ApiError::Unreadable(String::new()),
        ] {
            assert!(!e.outcome_unknown(), "{e:?}");
        }
    }

    #[test]
    fn sentences_are_for_people() {
        assert_eq!(
            ApiError::CommandFailed(" ".into()).to_string(),
            "The server did not carry this out, and did not say why."
        );
        assert_eq!(
            ApiError::Throttled(1).to_string(),
            "Nexudus asked us to slow down. Try again in 1 second."
        );
        assert_eq!(
            ApiError::Throttled(4).to_string(),
            "Nexudus asked us to slow down. Try again in 4 seconds."
        );
        // Waited out, the server not saying for how long: no promise of when it ends.
        let said = ApiError::Spent(None).to_string();
        assert!(
            said.contains("its limit for the hour or the day may be used up")
                && said.ends_with("Try again later."),
            "{said}"
        );
        // Said by the server, however long.
        for (seconds, time) in [
            (64, "2 minutes"),
            (90, "2 minutes"),
            (150, "3 minutes"),
            (1_800, "30 minutes"),
            (3_540, "59 minutes"),
            (3_600, "an hour"),
            (5_400, "2 hours"),
            (86_400, "24 hours"),
        ] {
            assert!(
                ApiError::Spent(Some(seconds))
                    .to_string()
                    .ends_with(&format!("Try again in about {time}.")),
                "{seconds}"
            );
        }
        assert!(ApiError::MissingRole("AccessToken-Delete".into())
            .to_string()
            .contains("AccessToken-Delete role"));
    }
}
