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
    /// Nothing is sent before this time, nor a write before `held_writes`: set by [`Pacer::hold`]
    /// after a 409.
    held_all: f64,
    held_writes: f64,
}

/// With no limit of its own to go by, a 409 is waited out for at most Nexudus's write window.
const NO_WINDOW: f64 = MINUTE;

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
        let mut at = earliest(&self.booked_all, &self.all, now_ms.max(self.held_all));
        if write {
            at = at.max(earliest(
                &self.booked_writes,
                &self.writes,
                at.max(self.held_writes),
            ));
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

    /// How long to wait after the server answered 409 to a request this pacer let go, for the
    /// `tries`-th time in a row, having waited `waited_ms` for it already: `None` to give up.
    ///
    /// Such an answer means the server counts requests this pacer never saw: another desk signed
    /// in to the same account, or a limit the pacer does not know. Nexudus then says
    /// `Retry-After: 1` however long the block lasts, so the wait doubles from what it says, up to
    /// the window of the per-minute limits (the shortest of those allowing more than one request
    /// in it, such as 120 a minute), which another desk's bulk work fills: by then the requests
    /// the server counts have left it. Once the waits add up to that window, the block is not one
    /// to wait out (an hour's or a day's limit is spent).
    pub fn after_409(
        &self,
        write: bool,
        retry_after_ms: f64,
        tries: u32,
        waited_ms: f64,
    ) -> Option<f64> {
        let writes = if write { &self.writes[..] } else { &[] };
        let window = (self.all.iter().chain(writes))
            .filter(|l| l.max > 1)
            .map(|l| with_margin(*l).window_ms)
            .fold(f64::INFINITY, f64::min);
        let window = if window.is_finite() {
            window
        } else {
            NO_WINDOW
        };
        let doubled = 1_000.0 * f64::from(1u32 << tries.saturating_sub(1).min(16));
        (waited_ms < window).then(|| retry_after_ms.max(doubled).min(window))
    }

    /// Sends nothing of the kind (every request, or writes) before `until_ms`.
    pub fn hold(&mut self, until_ms: f64, write: bool) {
        let held = if write {
            &mut self.held_writes
        } else {
            &mut self.held_all
        };
        *held = held.max(until_ms);
    }

    /// The holds now, as [`Self::hold`] takes them back: until when, and whether on writes.
    pub fn holds(&self) -> [(f64, bool); 2] {
        [(self.held_all, false), (self.held_writes, true)]
    }

    /// Ends every hold: the credentials changed, and a hold was the account's.
    pub fn release(&mut self) {
        self.held_all = 0.0;
        self.held_writes = 0.0;
    }

    /// How many milliseconds from `now_ms` until `reads` reads and `writes` writes, taken in turns,
    /// would all have gone, on a copy of this pacer: nothing is booked.
    pub fn time_to_send(&self, now_ms: f64, reads: u32, writes: u32) -> f64 {
        let mut pacer = self.clone();
        let mut last = 0.0_f64;
        for n in 0..reads.max(writes) {
            for (kind, write) in [(reads, false), (writes, true)] {
                if n < kind {
                    last = last.max(pacer.reserve(now_ms, write));
                }
            }
        }
        last
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
    fn the_time_to_send_counts_the_minutes_windows() {
        let mut pacer = Pacer::nexudus();
        // 100 codes, a look-up and a create each: 120 requests (60 of them writes) go 150 ms
        // apart; the 121st waits for the first to leave the 63 s window, the 79 others follow.
        assert_eq!(pacer.time_to_send(0.0, 100, 100), 63_000.0 + 79.0 * 150.0);
        assert_eq!(pacer.time_to_send(0.0, 0, 0), 0.0);
        // Only a copy is booked: the pacer is as it was.
        assert_eq!(pacer.reserve(0.0, true), 0.0);
        // What was sent counts: one write gone, the next goes 150 ms on.
        assert_eq!(pacer.time_to_send(0.0, 0, 1), 150.0);
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
    fn a_hold_stops_its_kind_of_request() {
        let mut pacer = Pacer::nexudus();
        pacer.hold(5_000.0, true);
        assert_eq!(pacer.wait_before(1_000.0, true), 4_000.0);
        assert_eq!(pacer.wait_before(1_000.0, false), 0.0, "reads still go");
        pacer.hold(3_000.0, false);
        assert_eq!(pacer.wait_before(1_000.0, false), 2_000.0);
        assert_eq!(pacer.wait_before(1_000.0, true), 4_000.0, "the longer hold");
        pacer.hold(2_000.0, true);
        assert_eq!(
            pacer.wait_before(1_000.0, true),
            4_000.0,
            "a hold is not shortened"
        );
        let mut released = pacer.clone();
        released.release();
        assert_eq!(
            released.wait_before(1_000.0, true),
            0.0,
            "but ends on release"
        );
        // The limits still count from the end of the hold.
        pacer.record(5_000.0, true);
        assert_eq!(pacer.wait_before(5_000.0, true), 150.0);
    }

    /// The waits after one request's 409s in a row, until the pacer gives up.
    fn waits_after_409s(pacer: &Pacer, write: bool, retry_after_ms: f64) -> Vec<f64> {
        let mut waits = Vec::new();
        while let Some(wait) = pacer.after_409(
            write,
            retry_after_ms,
            waits.len() as u32 + 1,
            waits.iter().sum(),
        ) {
            waits.push(wait);
        }
        waits
    }

    #[test]
    fn a_409_is_waited_out_for_about_a_minute_at_most() {
        // Nexudus's `Retry-After: 1`, doubled until the waits fill the minute window (with its
        // margin): a block as long as another desk's minute of bulk work is waited out.
        let nexudus = Pacer::nexudus();
        let waits = waits_after_409s(&nexudus, true, 1_000.0);
        assert_eq!(waits, [1e3, 2e3, 4e3, 8e3, 16e3, 32e3]);
        assert!(waits.iter().sum::<f64>() >= 60_000.0);
        assert_eq!(
            waits_after_409s(&nexudus, false, 1_000.0),
            waits,
            "reads alike"
        );
        // Windows ten times shorter: about 6 s.
        let scaled = waits_after_409s(&Pacer::nexudus().scaled(10), true, 1_000.0);
        assert_eq!(scaled, [1e3, 2e3, 4e3]);
        // No limits of its own: Nexudus's minute.
        assert_eq!(
            waits_after_409s(&Pacer::unlimited(), true, 1_000.0).len(),
            6
        );
        // A longer Retry-After is honoured, up to the window.
        assert_eq!(nexudus.after_409(true, 5_000.0, 1, 0.0), Some(5_000.0));
        assert_eq!(nexudus.after_409(true, 3_600_000.0, 1, 0.0), Some(63_000.0));
        assert_eq!(nexudus.after_409(true, 1_000.0, 1, 63_000.0), None);
    }

    #[test]
    fn unlimited_never_waits() {
        let mut pacer = Pacer::unlimited();
        assert!((0..1000).all(|_| pacer.reserve(0.0, true) == 0.0));
    }
}
