//! When a long run (a batch of codes, a revoke or command code by code) says its progress aloud:
//! at its first step, then as it passes each tenth of it or when [`SAY_EVERY_MS`] have passed,
//! whichever comes first: eleven times at most, however long, unless it is slow. Said at every
//! step, a screen reader would queue a sentence a second for minutes.

/// The longest a run goes unsaid, in milliseconds.
pub const SAY_EVERY_MS: f64 = 15_000.0;

/// The steps of a run of known length at which its progress is said.
#[derive(Clone, Debug)]
pub struct Milestones {
    total: usize,
    said_at: Option<f64>,
}

impl Milestones {
    /// For a run of `total` steps.
    pub fn new(total: usize) -> Self {
        Self {
            total: total.max(1),
            said_at: None,
        }
    }

    /// How many tenths of the run `step` steps are, rounded down.
    fn tenths(&self, step: usize) -> usize {
        step * 10 / self.total
    }

    /// Whether to say the progress as step `step` (counted from 1) is reached at `now_ms` (any
    /// steady clock in milliseconds); when it is, the time is remembered.
    pub fn due(&mut self, step: usize, now_ms: f64) -> bool {
        let due = match self.said_at {
            None => true,
            Some(at) => {
                self.tenths(step) != self.tenths(step.saturating_sub(1))
                    || now_ms - at >= SAY_EVERY_MS
            }
        };
        if due {
            self.said_at = Some(now_ms);
        }
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(total: usize, step_ms: f64) -> Vec<usize> {
        let mut m = Milestones::new(total);
        (1..=total)
            .filter(|&step| m.due(step, step as f64 * step_ms))
            .collect()
    }

    #[test]
    fn a_run_is_said_at_its_start_and_each_tenth() {
        assert_eq!(
            said(100, 10.0),
            [1, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
        );
        assert_eq!(said(25, 10.0), [1, 3, 5, 8, 10, 13, 15, 18, 20, 23, 25]);
    }

    #[test]
    fn an_odd_run_is_said_as_it_passes_each_tenth() {
        assert_eq!(said(19, 10.0), [1, 2, 4, 6, 8, 10, 12, 14, 16, 18, 19]);
    }

    #[test]
    fn a_short_run_is_said_at_every_step() {
        assert_eq!(said(3, 10.0), [1, 2, 3]);
    }

    #[test]
    fn a_slow_run_is_said_at_least_every_fifteen_seconds() {
        // 1,000 steps of 4 s: a tenth takes 400 s.
        let steps = said(1_000, 4_000.0);
        assert_eq!(&steps[..4], [1, 5, 9, 13]);
        assert!(steps.contains(&100) && steps.contains(&1_000));
    }
}
