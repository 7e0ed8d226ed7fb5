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

/// Schedules requests: each call to [`Pacer::reserve`] books the earliest moment every limit allows.
#[derive(Clone, Debug, Default)]
pub struct Pacer {
    all: Vec<Limit>,
    writes: Vec<Limit>,
    booked_all: VecDeque<f64>,
    booked_writes: VecDeque<f64>,
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

    /// Books a request at time `now_ms` and returns how many milliseconds to wait before sending it.
    pub fn reserve(&mut self, now_ms: f64, write: bool) -> f64 {
        let mut at = now_ms;
        at = at.max(earliest(&self.booked_all, &self.all, at));
        if write {
            at = at.max(earliest(&self.booked_writes, &self.writes, at));
        }
        book(&mut self.booked_all, &self.all, at);
        if write {
            book(&mut self.booked_writes, &self.writes, at);
        }
        at - now_ms
    }
}

/// The earliest time from `at` when one more request fits in every window.
fn earliest(booked: &VecDeque<f64>, limits: &[Limit], at: f64) -> f64 {
    limits
        .iter()
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
    let longest = limits.iter().map(|l| l.window_ms).fold(0.0, f64::max);
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
        // 60 a minute, back to back: the 200th goes out early in the fourth minute, not later.
        assert_eq!(times[59], 5_900.0);
        assert_eq!(times[60], 60_000.0);
        assert_eq!(times[199], 3.0 * MINUTE + 1_900.0);
    }

    #[test]
    fn reads_are_spaced_by_100ms_and_capped_at_120_a_minute() {
        let mut pacer = Pacer::nexudus();
        let times: Vec<f64> = (0..130).map(|_| pacer.reserve(0.0, false)).collect();
        assert_eq!(&times[..3], &[0.0, 100.0, 200.0]);
        assert_eq!(times[119], 11_900.0);
        assert_eq!(times[120], MINUTE);
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
        assert_eq!(pacer.reserve(1_050.0, false), 50.0);
        assert_eq!(pacer.reserve(5_000.0, true), 0.0);
    }

    #[test]
    fn unlimited_never_waits() {
        let mut pacer = Pacer::unlimited();
        assert!((0..1000).all(|_| pacer.reserve(0.0, true) == 0.0));
    }
}
