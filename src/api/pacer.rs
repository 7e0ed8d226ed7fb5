//! Keeps one widget's calls under Nexudus's published limits, so bulk work waits its turn instead of
//! meeting a 409. Pure: it is given the time and says how long to wait, so it is tested natively.

use std::collections::VecDeque;

/// At most `max` requests in any `window_ms` milliseconds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limit {
    /// Requests allowed in the window.
    pub max: usize,
    /// The sliding window in milliseconds.
    pub window_ms: f64,
}

const MINUTE: f64 = 60_000.0;
const HOUR: f64 = 3_600_000.0;
const DAY: f64 = 86_400_000.0;

/// Keeps requests under the limits. The client asks [`Pacer::wait_before`] at the moment it would
/// send and [`Pacer::record`]s the request only when it really goes, so late timers or a busy page
/// can never bunch two requests closer than allowed; [`Pacer::reserve`] books ahead on a simulated
/// clock.
#[derive(Clone, Debug, Default)]
pub struct Pacer {
    all: Vec<Limit>,
    writes: Vec<Limit>,
    booked_all: VecDeque<f64>,
    booked_writes: VecDeque<f64>,
}

/// Each window is kept this much longer than published (5%, at least 50 ms), so that the jitter
/// between a request leaving a busy page and reaching the server does not earn a 409. It costs
/// little: sustained traffic is bound by the per-minute limits, not by the spacing.
fn with_margin(limit: Limit) -> Limit {
    Limit {
        max: limit.max,
        window_ms: limit.window_ms + (limit.window_ms * 0.05).max(50.0),
    }
}

impl Pacer {
    /// Nexudus's published limits (developers.nexudus.com, "API limitations").
    pub fn nexudus() -> Self {
        let l = |max, window_ms| Limit { max, window_ms };
        Self::new(
            vec![l(1, 100.0), l(120, MINUTE), l(5_000, HOUR), l(200_000, DAY)],
            vec![l(60, MINUTE), l(5_000, DAY)],
        )
    }

    /// The same limits in windows `factor` times shorter, matching a sandbox started with
    /// `--limits nexudus/<factor>`.
    pub fn scaled(mut self, factor: u32) -> Self {
        let factor = f64::from(factor.max(1));
        for limit in self.all.iter_mut().chain(self.writes.iter_mut()) {
            limit.window_ms /= factor;
        }
        self
    }

    /// A pacer that never waits.
    pub fn unlimited() -> Self {
        Self::default()
    }

    /// Custom limits on every request and on writes.
    pub fn new(all: Vec<Limit>, writes: Vec<Limit>) -> Self {
        Self {
            all,
            writes,
            ..Self::default()
        }
    }

    /// How many milliseconds from `now_ms` until a request may be sent; 0 when it may go now.
    pub fn wait_before(&self, now_ms: f64, write: bool) -> f64 {
        let mut at = earliest(&self.booked_all, &self.all, now_ms);
        if write {
            at = at.max(earliest(&self.booked_writes, &self.writes, at));
        }
        at - now_ms
    }

    /// Notes a request sent at `at_ms`.
    pub fn record(&mut self, at_ms: f64, write: bool) {
        book(&mut self.booked_all, &self.all, at_ms);
        if write {
            book(&mut self.booked_writes, &self.writes, at_ms);
        }
    }

    /// Books a request at the earliest moment from `now_ms` every limit allows and returns how many
    /// milliseconds from `now_ms` that is.
    pub fn reserve(&mut self, now_ms: f64, write: bool) -> f64 {
        let wait = self.wait_before(now_ms, write);
        self.record(now_ms + wait, write);
        wait
    }
}

/// The earliest time from `at` when one more request fits in every window.
fn earliest(booked: &VecDeque<f64>, limits: &[Limit], at: f64) -> f64 {
    limits
        .iter()
        .map(|l| with_margin(*l))
        .filter(|l| l.max > 0 && booked.len() >= l.max)
        // With `max` booked in the window, the oldest of the last `max` must leave it first.
        .map(|l| booked[booked.len() - l.max] + l.window_ms)
        .fold(at, f64::max)
}

fn book(booked: &mut VecDeque<f64>, limits: &[Limit], at: f64) {
    if limits.is_empty() {
        return;
    }
    booked.push_back(at);
    let longest = limits
        .iter()
        .map(|l| with_margin(*l).window_ms)
        .fold(0.0, f64::max);
    let most = limits.iter().map(|l| l.max).max().unwrap_or(0);
    while booked.len() > most || booked.front().is_some_and(|t| at - t >= longest) {
        booked.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every window of every limit holds at most `max` of `times`.
    fn assert_within(times: &[f64], limit: Limit) {
        for (i, start) in times.iter().enumerate() {
            let inside = times[i..]
                .iter()
                .take_while(|t| **t < start + limit.window_ms)
                .count();
            assert!(
                inside <= limit.max,
                "{inside} requests in {} ms from {start}",
                limit.window_ms
            );
        }
    }

    #[test]
    fn a_burst_of_200_writes_stays_under_every_limit() {
        let mut pacer = Pacer::nexudus();
        // All 200 asked for at once, on a simulated clock.
        let times: Vec<f64> = (0..200).map(|_| pacer.reserve(0.0, true)).collect();
        assert!(times.windows(2).all(|w| w[1] >= w[0]));
        assert_within(
            &times,
            Limit {
                max: 1,
                window_ms: 100.0,
            },
        );
        assert_within(
            &times,
            Limit {
                max: 60,
                window_ms: MINUTE,
            },
        );
        assert_within(
            &times,
            Limit {
                max: 120,
                window_ms: MINUTE,
            },
        );
        // 60 a minute back to back, each window longer for safety: 150 ms apart, and the 61st
        // write 63 s after the first.
        assert_eq!(times[59], 59.0 * 150.0);
        assert_eq!(times[60], 63_000.0);
        assert_eq!(times[199], 3.0 * 63_000.0 + 19.0 * 150.0);
        // In steady state a full window of 60 every 63 s: 0.95 of the published 60 a minute.
        assert_eq!(times[180] - times[120], 63_000.0);
    }

    #[test]
    fn reads_are_spaced_by_100ms_and_capped_at_120_a_minute() {
        let mut pacer = Pacer::nexudus();
        let times: Vec<f64> = (0..130).map(|_| pacer.reserve(0.0, false)).collect();
        assert_eq!(&times[..3], &[0.0, 150.0, 300.0]);
        assert_eq!(times[119], 119.0 * 150.0);
        assert_eq!(times[120], 63_000.0);
        assert_within(
            &times,
            Limit {
                max: 120,
                window_ms: MINUTE,
            },
        );
    }

    #[test]
    fn time_that_passed_is_not_waited_again() {
        let mut pacer = Pacer::nexudus();
        assert_eq!(pacer.reserve(1_000.0, false), 0.0);
        assert_eq!(pacer.reserve(1_050.0, false), 100.0);
        assert_eq!(pacer.reserve(5_000.0, true), 0.0);
        assert_eq!(pacer.wait_before(5_001.0, false), 149.0);
        assert_eq!(pacer.wait_before(5_200.0, false), 0.0);
    }

    #[test]
    fn scaled_limits_keep_their_counts() {
        let mut pacer = Pacer::nexudus().scaled(10);
        let times: Vec<f64> = (0..61).map(|_| pacer.reserve(0.0, true)).collect();
        // 10 ms apart plus the 50 ms minimum margin; the write window 6 s plus 5%.
        assert_eq!(times[1], 60.0);
        assert_eq!(times[60], 6_300.0);
    }

    #[test]
    fn unlimited_never_waits() {
        let mut pacer = Pacer::unlimited();
        assert!((0..1000).all(|_| pacer.reserve(0.0, true) == 0.0));
    }
}
