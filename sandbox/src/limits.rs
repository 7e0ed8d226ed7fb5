//! Throttling as Nexudus does it: over a limit the answer is 409 with `Retry-After: 1` and an empty
//! body, however long the caller must wait (the contract's answer; a client cannot learn the wait
//! from it).
//!
//! Published limits (developers.nexudus.com, "API limitations"): every request at most 1 per 100 ms,
//! 120 a minute, 5,000 an hour, 200,000 a day; writes 60 a minute and 5,000 a day.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Request, State as AxumState};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::State;

/// One limit: at most `max` requests in any `window`.
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    /// Requests allowed in the window.
    pub max: usize,
    /// The sliding window.
    pub window: Duration,
}

/// The limits in force; an empty set switches throttling off.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Limits {
    /// Limits on every request.
    pub all: Vec<Window>,
    /// Further limits on writes (anything but GET).
    pub writes: Vec<Window>,
}

const SECOND: Duration = Duration::from_secs(1);
const MINUTE: Duration = Duration::from_secs(60);
const HOUR: Duration = Duration::from_secs(3600);
const DAY: Duration = Duration::from_secs(86_400);

impl Limits {
    /// Nexudus's published limits.
    pub fn nexudus() -> Self {
        let w = |max, window| Window { max, window };
        Self {
            all: vec![
                w(1, Duration::from_millis(100)),
                w(120, MINUTE),
                w(5_000, HOUR),
                w(200_000, DAY),
            ],
            writes: vec![w(60, MINUTE), w(5_000, DAY)],
        }
    }

    /// No throttling.
    pub fn off() -> Self {
        Self::default()
    }

    /// The same counts in windows `factor` times shorter: Nexudus's shape, quicker to test.
    pub fn scaled(self, factor: u32) -> Self {
        let scale = |ws: Vec<Window>| {
            ws.into_iter()
                .map(|w| Window {
                    max: w.max,
                    window: w.window / factor.max(1),
                })
                .collect()
        };
        Self {
            all: scale(self.all),
            writes: scale(self.writes),
        }
    }

    /// Reads `nexudus`, `off`, `nexudus/N` (windows N times shorter), or a list such as
    /// `all=1/100ms,all=120/1m,writes=60/1m`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        match text {
            "nexudus" => return Ok(Self::nexudus()),
            "off" | "none" => return Ok(Self::off()),
            _ => {}
        }
        if let Some(factor) = text.strip_prefix("nexudus/") {
            let factor: u32 = factor
                .parse()
                .map_err(|_| format!("“{factor}” is not a whole number"))?;
            return Ok(Self::nexudus().scaled(factor));
        }
        let mut limits = Self::off();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let bad = || {
                format!(
                    "“{part}”: expected all=COUNT/WINDOW or writes=COUNT/WINDOW, e.g. all=120/1m"
                )
            };
            let (kind, rule) = part.split_once('=').ok_or_else(bad)?;
            let (count, window) = rule.split_once('/').ok_or_else(bad)?;
            let window = Window {
                max: count.trim().parse().map_err(|_| bad())?,
                window: parse_duration(window.trim()).ok_or_else(bad)?,
            };
            match kind.trim() {
                "all" => limits.all.push(window),
                "writes" => limits.writes.push(window),
                _ => return Err(bad()),
            }
        }
        Ok(limits)
    }
}

fn parse_duration(text: &str) -> Option<Duration> {
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = text.split_at(split);
    let n: u64 = n.parse().ok()?;
    Some(match unit {
        "ms" => Duration::from_millis(n),
        "s" => SECOND * n as u32,
        "m" => MINUTE * n as u32,
        "h" => HOUR * n as u32,
        "d" => DAY * n as u32,
        _ => return None,
    })
}

/// Remembers recent requests per caller.
pub struct Limiter {
    limits: Limits,
    seen: Mutex<HashMap<[u8; 32], Seen>>,
}

#[derive(Default)]
struct Seen {
    all: VecDeque<Instant>,
    writes: VecDeque<Instant>,
}

/// How long until a window has room again, or `None` when the request may go now.
fn wait_for(log: &mut VecDeque<Instant>, windows: &[Window], now: Instant) -> Option<Duration> {
    let longest = windows.iter().map(|w| w.window).max()?;
    while log
        .front()
        .is_some_and(|t| now.duration_since(*t) >= longest)
    {
        log.pop_front();
    }
    windows
        .iter()
        .filter_map(|w| {
            let in_window = log
                .iter()
                .rev()
                .take_while(|t| now.duration_since(**t) < w.window)
                .count();
            (in_window >= w.max).then(|| {
                // The oldest request still in the window must age out before another fits.
                let oldest = log[log.len() - in_window];
                w.window - now.duration_since(oldest)
            })
        })
        .max()
}

impl Limiter {
    /// A limiter enforcing `limits`.
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            seen: Mutex::default(),
        }
    }

    /// Records a request from `caller` if it fits, or says how long to wait. A refused request is not
    /// counted, so a client that waits long enough gets through.
    pub fn admit(&self, caller: [u8; 32], write: bool, now: Instant) -> Result<(), Duration> {
        if self.limits.all.is_empty() && self.limits.writes.is_empty() {
            return Ok(());
        }
        let mut seen = crate::lock(&self.seen);
        let seen = seen.entry(caller).or_default();
        let mut wait = wait_for(&mut seen.all, &self.limits.all, now);
        if write {
            wait = wait.max(wait_for(&mut seen.writes, &self.limits.writes, now));
        }
        if let Some(wait) = wait {
            return Err(wait);
        }
        seen.all.push_back(now);
        if write {
            seen.writes.push_back(now);
        }
        Ok(())
    }
}

/// Middleware for `/api`: the limits are an account's, so every token granted to one account (two
/// desks signed in as the same person) counts against the same limits. Other callers are told apart
/// by their credentials as sent, or by nothing when they send none.
pub async fn throttle(
    AxumState(state): AxumState<State>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    let headers = request.headers();
    let caller: [u8; 32] = match state.users.bearer_account(headers) {
        Some(email) => Sha256::digest(format!("account {email}")),
        None => Sha256::digest(
            headers
                .get(header::AUTHORIZATION)
                .map(|v| v.as_bytes())
                .unwrap_or_default(),
        ),
    }
    .into();
    let write = request.method() != Method::GET;
    match state.limiter.admit(caller, write, Instant::now()) {
        Ok(()) => next.run(request).await,
        Err(_) => too_many(),
    }
}

/// Nexudus's 409: `Retry-After: 1`, an empty body, and its reason phrase.
pub fn too_many() -> Response {
    too_many_for(1)
}

/// A 409 as Nexudus's, but saying to retry after `seconds`.
pub fn too_many_for(seconds: u64) -> Response {
    let mut response = (
        StatusCode::CONFLICT,
        [(header::RETRY_AFTER, seconds.to_string())],
    )
        .into_response();
    response
        .extensions_mut()
        .insert(hyper::ext::ReasonPhrase::from_static(
            b"You must wait before accessing this url again",
        ));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    const WHO: [u8; 32] = [7; 32];

    #[test]
    fn one_per_100ms() {
        let limiter = Limiter::new(Limits::nexudus());
        let t0 = Instant::now();
        assert_eq!(limiter.admit(WHO, false, t0), Ok(()));
        let wait = limiter
            .admit(WHO, false, t0 + Duration::from_millis(40))
            .unwrap_err();
        assert_eq!(wait, Duration::from_millis(60));
        assert_eq!(
            limiter.admit(WHO, false, t0 + Duration::from_millis(100)),
            Ok(())
        );
        assert_eq!(limiter.admit([8; 32], false, t0), Ok(()), "another caller");
    }

    #[test]
    fn sixty_writes_a_minute() {
        let limiter = Limiter::new(Limits::nexudus());
        let t0 = Instant::now();
        for i in 0..60 {
            let at = t0 + Duration::from_millis(200 * i);
            assert_eq!(limiter.admit(WHO, true, at), Ok(()), "write {i}");
        }
        let at = t0 + Duration::from_millis(200 * 60);
        assert_eq!(
            limiter.admit(WHO, true, at),
            Err(MINUTE - Duration::from_secs(12))
        );
        assert_eq!(limiter.admit(WHO, false, at), Ok(()), "reads still pass");
        assert_eq!(limiter.admit(WHO, true, t0 + MINUTE), Ok(()));
    }

    #[test]
    fn off_admits_everything() {
        let limiter = Limiter::new(Limits::off());
        let t0 = Instant::now();
        for _ in 0..1000 {
            assert_eq!(limiter.admit(WHO, true, t0), Ok(()));
        }
    }

    #[test]
    fn parse_forms() {
        assert_eq!(Limits::parse("nexudus").unwrap(), Limits::nexudus());
        assert_eq!(Limits::parse("off").unwrap(), Limits::off());
        let scaled = Limits::parse("nexudus/10").unwrap();
        assert_eq!(
            scaled.writes[0],
            Window {
                max: 60,
                window: Duration::from_secs(6)
            }
        );
        let custom = Limits::parse("all=2/1s, writes=3/1m").unwrap();
        assert_eq!(
            custom.all,
            vec![Window {
                max: 2,
                window: SECOND
            }]
        );
        assert_eq!(
            custom.writes,
            vec![Window {
                max: 3,
                window: MINUTE
            }]
        );
        assert!(Limits::parse("all=2")
            .unwrap_err()
            .contains("all=COUNT/WINDOW"));
        assert!(Limits::parse("reads=2/1s").is_err());
        assert!(Limits::parse("nexudus/x").is_err());
    }
}
