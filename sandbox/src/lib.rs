//! A local server that speaks the Nexudus Spaces AccessTokens contract (`shared/NEXUDUS-API.md`):
//! every endpoint, filter, range, page and sort, the `/api/token` grants, Basic auth, users with roles,
//! the documented error bodies, 409 throttling at Nexudus's limits, CORS, demo data and, on request,
//! injected faults. It also serves the built widget, so one command gives a working page.
//!
//! It exists so wifi-desk can be built, demonstrated and tested without a Nexudus account; it is never
//! a stand-in for Nexudus in production.

mod access_tokens;
mod auth;
mod body;
mod commands;
pub mod csp;
mod demo;
mod error;
mod faults;
mod limits;
mod query;
mod serve;
mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::routing::{get, post};
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};

pub use auth::{demo_users, DemoUser, Role};
pub use limits::Limits;
pub use serve::Sandbox;

/// The business every demo record belongs to.
pub const DEMO_BUSINESS_ID: i64 = 1001;

/// The businesses of the sandbox's account: the demo's, and a second with no records of its own,
/// for a desk of one business to be seen not to list another's codes.
pub const BUSINESSES: [i64; 2] = [DEMO_BUSINESS_ID, 1002];

/// How the sandbox is set up; `main` builds it from the command line, tests build it directly.
#[derive(Clone, Debug)]
pub struct Config {
    /// SQLite database file, or `:memory:`.
    pub db: String,
    /// Directory of the built widget, served at `/`.
    pub dist: Option<PathBuf>,
    /// Demo access tokens to create in an empty database.
    pub seed: usize,
    /// Throttling limits.
    pub limits: Limits,
    /// Origins allowed by CORS besides any loopback origin.
    pub allow_origins: Vec<String>,
    /// Whether requests may ask for injected faults with the `X-Sandbox-Fault` header.
    pub faults: bool,
    /// Lifetime of a bearer token.
    pub token_ttl: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            db: ":memory:".into(),
            dist: None,
            seed: 0,
            limits: Limits::nexudus(),
            allow_origins: Vec::new(),
            faults: false,
            token_ttl: Duration::from_secs(604_799),
        }
    }
}

/// Locks a mutex, recovering it if a panic poisoned it: every critical section here leaves its data
/// whole before it can panic, so the data is still sound.
pub(crate) fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Shared by every handler.
pub(crate) struct AppState {
    pub store: store::Store,
    pub users: auth::Users,
    pub limiter: limits::Limiter,
    pub config: Config,
    /// Content Security Policy violations the browser reported.
    pub csp_reports: std::sync::Mutex<Vec<serde_json::Value>>,
}

pub(crate) type State = Arc<AppState>;

/// Builds the application: the API under `/api`, the sandbox helpers under `/sandbox`, the widget at `/`.
pub fn app(config: Config) -> Result<Router, String> {
    let store =
        store::Store::open(&config.db).map_err(|e| format!("database {}: {e}", config.db))?;
    if config.seed > 0 && store.count().map_err(|e| e.to_string())? == 0 {
        demo::seed(&store, config.seed).map_err(|e| e.to_string())?;
    }
    let state: State = Arc::new(AppState {
        store,
        users: auth::Users::demo()?,
        limiter: limits::Limiter::new(config.limits.clone()),
        config: config.clone(),
        csp_reports: std::sync::Mutex::new(Vec::new()),
    });

    let tokens = "/spaces/accesstokens";
    let api = Router::new()
        .route("/token", post(auth::token_endpoint))
        .route(
            tokens,
            get(access_tokens::list)
                .post(access_tokens::create)
                .put(access_tokens::update),
        )
        .route(&format!("{tokens}/commands"), get(commands::list))
        .route(&format!("{tokens}/runcommand"), post(commands::run))
        .route(
            &format!("{tokens}/{{id}}"),
            get(access_tokens::get_one).delete(access_tokens::delete),
        )
        .fallback(error::api_not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            limits::throttle,
        ))
        .layer(axum::middleware::from_fn(error::query_too_long));

    let mut router = Router::new()
        .nest("/api", api)
        .route("/sandbox/totp", get(auth::current_totp))
        .route("/sandbox/health", get(|| async { "ok" }))
        .route("/sandbox/csp-reports", get(csp::reports).post(csp::record));
    router = match &config.dist {
        Some(dir) => router.fallback_service(
            tower::ServiceBuilder::new()
                .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(csp::POLICY),
                ))
                .service(
                    tower_http::services::ServeDir::new(dir)
                        .fallback(tower_http::services::ServeFile::new(dir.join("index.html"))),
                ),
        ),
        None => router.fallback(|| async {
            "wifi-desk sandbox: the API is under /api; start with --dist DIR to serve the widget here."
        }),
    };
    if config.faults {
        router = router.layer(axum::middleware::from_fn(faults::inject));
    }
    Ok(router.layer(cors(&config.allow_origins)).with_state(state))
}

/// CORS for the given origins and any loopback origin, preflight included.
fn cors(allowed: &[String]) -> CorsLayer {
    let allowed: Vec<String> = allowed
        .iter()
        .map(|o| o.trim_end_matches('/').to_owned())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin: &HeaderValue, _| {
            let Ok(origin) = origin.to_str() else {
                return false;
            };
            allowed.iter().any(|a| a == origin) || is_loopback_origin(origin)
        }))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("client_id"),
            HeaderName::from_static(faults::HEADER),
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}

fn is_loopback_origin(origin: &str) -> bool {
    let Some(rest) = origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
    else {
        return false;
    };
    let host = match rest.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => rest.split(':').next().unwrap_or_default(),
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Where the sandbox listens unless told otherwise.
pub fn default_addr() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
}

#[cfg(test)]
mod tests {
    use super::is_loopback_origin;

    #[test]
    fn loopback_origins() {
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:3000",
            "http://[::1]:9000",
            "http://127.0.0.2",
        ] {
            assert!(is_loopback_origin(ok), "{ok}");
        }
        for no in [
            "http://example.com",
            "http://127.0.0.1.evil.test",
            "http://localhost.evil.test",
            "null",
            "file://",
        ] {
            assert!(!is_loopback_origin(no), "{no}");
        }
    }
}
