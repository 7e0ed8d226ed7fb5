//! The business's wall clock: the browser's own, or, when the host page names the business's time
//! zone (`time-zone`), the time there ([`Zone`], read through the browser's `Intl`): a booking
//! confirmation is opened wherever the visitor is, not where the space is. Views take "now" from
//! their widget ([`super::ClientContext::now`]), so each widget follows its own zone.

use chrono::format::{Fixed, Item, Numeric};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use futures::future::{AbortHandle, Abortable};
use gloo_timers::future::TimeoutFuture;
use js_sys::{Array, Object, Reflect};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wifi_desk_wire::forms::{self, bare, text, zero};

use super::ClientContext;
use crate::domain::validity::Preset;

/// The longest a [`ticking`] clock waits before reading the time again, so a sleeping computer or a
/// timer the browser delays cannot leave it far behind.
const MAX_WAIT_MS: i64 = 60 * 60 * 1000;

/// Now on the browser's wall clock, to the second.
pub fn now() -> NaiveDateTime {
    local_at(js_sys::Date::now())
}

/// The browser's wall clock at the instant `ms` (milliseconds since 1970), to the second.
fn local_at(ms: f64) -> NaiveDateTime {
    let d = js_sys::Date::new(&JsValue::from_f64(ms));
    NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date())
        .and_then(|day| day.and_hms_opt(d.get_hours(), d.get_minutes(), d.get_seconds()))
        .unwrap_or_default()
}

/// A time zone the browser knows, by its IANA name, whose wall clock can be read.
pub struct Zone {
    formatter: js_sys::Intl::DateTimeFormat,
}

impl Zone {
    /// The zone named `name`, such as `Europe/London`; one the browser does not know is refused
    /// with a sentence.
    pub fn new(name: &str) -> Result<Self, String> {
        let unknown = || {
            format!(
                "“{name}” is not a time zone this browser knows; use a name such as Europe/London."
            )
        };
        let options = Object::new();
        let numeric = ["year", "month", "day", "hour", "minute", "second"].map(|f| (f, "numeric"));
        for (field, value) in [("timeZone", name), ("hourCycle", "h23")]
            .into_iter()
            .chain(numeric)
        {
            Reflect::set(&options, &field.into(), &value.into()).map_err(|_| unknown())?;
        }
        // The constructor throws for a zone it does not know: called through Reflect, it is caught.
        let class = Reflect::get(&js_sys::global(), &"Intl".into())
            .and_then(|intl| Reflect::get(&intl, &"DateTimeFormat".into()))
            .map_err(|_| unknown())?;
        let made = Reflect::construct(
            class.unchecked_ref::<js_sys::Function>(),
            &Array::of2(&"en-US".into(), &options),
        )
        .map_err(|_| unknown())?;
        Ok(Self {
            formatter: made.unchecked_into(),
        })
    }

    /// Now on this zone's wall clock, to the second; the browser's should the browser not say.
    pub fn now(&self) -> NaiveDateTime {
        self.at(js_sys::Date::now())
    }

    /// This zone's wall clock at the instant `ms` (milliseconds since 1970), to the second; the
    /// browser's should the browser not say.
    pub fn at(&self, ms: f64) -> NaiveDateTime {
        self.wall_clock(&js_sys::Date::new(&JsValue::from_f64(ms)))
            .unwrap_or_else(|| local_at(ms))
    }

    /// The wall clock here at the instant `at`, from the parts the formatter gives (`en-US`: ASCII
    /// digits, the Gregorian calendar). Midnight may come as hour 24, and an engine that does not
    /// take `hourCycle` gives a 12-hour clock with its `dayPeriod`: both are read.
    fn wall_clock(&self, at: &js_sys::Date) -> Option<NaiveDateTime> {
        let mut fields = [0_u32; 6];
        let mut afternoon = None;
        for part in self.formatter.format_to_parts(at).iter() {
            let read = |name: &str| {
                Reflect::get(&part, &JsValue::from_str(name))
                    .ok()?
                    .as_string()
            };
            let slot = match read("type")?.as_str() {
                "year" => 0,
                "month" => 1,
                "day" => 2,
                "hour" => 3,
                "minute" => 4,
                "second" => 5,
                "dayPeriod" => {
                    afternoon = Some(read("value")?.eq_ignore_ascii_case("pm"));
                    continue;
                }
                _ => continue,
            };
            fields[slot] = read("value")?.parse().ok()?;
        }
        let [year, month, day, hour, minute, second] = fields;
        let hour = match afternoon {
            Some(pm) => hour % 12 + if pm { 12 } else { 0 },
            None => hour % 24,
        };
        NaiveDate::from_ymd_opt(year as i32, month, day)?.and_hms_opt(hour, minute, second)
    }
}

/// The wall clock of `zone`, or without one the browser's, at the instant `ms` (milliseconds since
/// 1970), to the second.
pub fn wall_clock_at(zone: Option<&Zone>, ms: f64) -> NaiveDateTime {
    zone.map_or_else(|| local_at(ms), |z| z.at(ms))
}

/// `preset`'s window from the instant `ms` (milliseconds since 1970), whole minutes, on `zone`'s
/// wall clock or, without one, the browser's. An hour preset ends that many hours later both on
/// the clock (which the server goes by) and in real time (which the visitor was promised): across
/// a change of the clocks they differ, and the later is taken. At 00:30 on the night British
/// clocks go forward, 04:30 is three real hours away, so "4 hours" ends at 05:30; at 01:30 on the
/// night New York's go back, an hour later is 01:30 again, so "1 hour" ends at 02:30.
pub fn window(zone: Option<&Zone>, preset: Preset, ms: f64) -> (NaiveDateTime, NaiveDateTime) {
    let start = (ms / 60_000.0).floor() * 60_000.0;
    let at = |ms: f64| wall_clock_at(zone, ms);
    let (from, to) = preset.window(at(start));
    let real = |hours: u32| at(start + f64::from(hours) * 3_600_000.0);
    (from, preset.hours().map_or(to, |h| to.max(real(h))))
}

/// `hours` after `from` on `zone`'s wall clock, as at the instant `now_ms`: the later of that many
/// hours on the clock and that many real hours after the clock reads `from` (now, if it has), as
/// the hour presets take ([`window`]). On the night British clocks go forward, an hour after
/// 00:30 is 02:30, not 01:30, a time that never comes.
pub fn hours_later(
    zone: Option<&Zone>,
    now_ms: f64,
    from: NaiveDateTime,
    hours: u32,
) -> NaiveDateTime {
    let start = now_ms + real_wait(zone, now_ms, from);
    let real = wall_clock_at(zone, start + f64::from(hours) * 3_600_000.0);
    (from + chrono::Duration::hours(i64::from(hours))).max(real)
}

/// Milliseconds from the instant `now_ms` until `zone`'s wall clock (the browser's without one)
/// reads `then`. Across a change of the clocks that is not the difference of the two readings: at
/// 00:59 on the night London's clocks go forward, 02:00 is a minute away, not 61; at 01:30 on the
/// night New York's go back, 02:30 is two hours away. A time the clocks skip is reached when they
/// skip it.
pub fn real_wait(zone: Option<&Zone>, now_ms: f64, then: NaiveDateTime) -> f64 {
    let at = |ms: f64| wall_clock_at(zone, ms);
    let apart = |a: NaiveDateTime, b: NaiveDateTime| (a - b).num_milliseconds() as f64;
    if at(now_ms) >= then {
        return 0.0;
    }
    // As far on as the clock reads, then moved by the change of offset on the way, if any.
    let guess = now_ms + apart(then, at(now_ms));
    let fixed = guess + apart(then, at(guess));
    if fixed > now_ms && at(fixed) >= then {
        return fixed - now_ms;
    }
    if at(guess) < then {
        return guess - now_ms;
    }
    // `then` is in the hour the clocks skip: the moment they pass it lies between now and the
    // guess, found to the second.
    let (mut before, mut after) = (now_ms, guess);
    while after - before > 1000.0 {
        let mid = (before + after) / 2.0;
        if at(mid) >= then {
            after = mid;
        } else {
            before = mid;
        }
    }
    after - now_ms
}

/// Now as a signal, read again at the moment `next` (given the time last read) says something shown
/// changes, so a view follows the clock without redrawing in between. `next` may read signals: when
/// they change, the wait is set again. Dropped with its owner, timer and all.
pub fn ticking(
    next: impl Fn(NaiveDateTime) -> Option<NaiveDateTime> + 'static,
) -> ReadSignal<NaiveDateTime> {
    // Boxed, so the clock's effect and timer are built once for every view that has one.
    ticking_boxed(Box::new(next))
}

fn ticking_boxed(
    next: Box<dyn Fn(NaiveDateTime) -> Option<NaiveDateTime>>,
) -> ReadSignal<NaiveDateTime> {
    // The widget's clock, in its time zone; the browser's outside a widget.
    let desk = use_context::<ClientContext>();
    let now = move || desk.map_or_else(now, ClientContext::now);
    let wait_until = move |then| {
        desk.map_or_else(
            || real_wait(None, js_sys::Date::now(), then),
            |d| d.real_wait(then),
        )
    };
    let clock = RwSignal::new(now());
    Effect::new(move || {
        let read = clock.get();
        // Run again by a change in what `next` reads, or by the page shown again after the device
        // slept with the timer, long after the last reading: what is drawn now must not be drawn
        // at that old time. Setting the clock runs this once more.
        if let Some(desk) = desk {
            desk.track_shown();
        }
        let fresh = now();
        if fresh > read {
            clock.set(fresh);
            return;
        }
        let Some(then) = next(read) else {
            return;
        };
        // The time read is whole seconds: a second more is never early.
        let wait = (wait_until(then) as i64).clamp(0, MAX_WAIT_MS) + 1000;
        let (timer, registration) = AbortHandle::new_pair();
        spawn_local(async move {
            let waited = Abortable::new(TimeoutFuture::new(wait as u32), registration).await;
            if waited.is_ok() {
                clock.try_set(now());
            }
        });
        on_cleanup(move || timer.abort());
    });
    clock.read_only()
}

/// A wall-clock time as a person reads it: `Mon 10 Mar 2025, 14:30` (`%a %-d %b %Y, %H:%M`).
pub fn show(at: NaiveDateTime) -> String {
    const FORM: &[Item<'static>] = &[
        Item::Fixed(Fixed::ShortWeekdayName),
        text(" "),
        bare(Numeric::Day),
        text(" "),
        Item::Fixed(Fixed::ShortMonthName),
        text(" "),
        zero(Numeric::Year),
        text(", "),
        zero(Numeric::Hour),
        text(":"),
        zero(Numeric::Minute),
    ];
    forms::write(at, FORM)
}

/// A wall-clock time for a table cell: `10 Mar, 14:30` (`%-d %b, %H:%M`).
pub fn show_short(at: NaiveDateTime) -> String {
    const FORM: &[Item<'static>] = &[
        bare(Numeric::Day),
        text(" "),
        Item::Fixed(Fixed::ShortMonthName),
        text(", "),
        zero(Numeric::Hour),
        text(":"),
        zero(Numeric::Minute),
    ];
    forms::write(at, FORM)
}

/// The value of an `<input type="datetime-local">`.
pub fn to_input(at: NaiveDateTime) -> String {
    forms::write(at, forms::MINUTE)
}

/// Reads an `<input type="datetime-local">` value; empty or malformed is `None`.
pub fn from_input(value: &str) -> Option<NaiveDateTime> {
    forms::read(value.trim(), forms::MINUTE)
}

/// Reads an `<input type="date">` value; empty or malformed is `None`.
pub fn day_from_input(value: &str) -> Option<NaiveDate> {
    forms::read_day(value.trim(), forms::DAY)
}

/// Whether `day` is a date input's value while its year is being typed: a browser gives each
/// digit typed as a date (2025 as 0002, 0020, 0202, then 2025), and a filter asked for each would
/// send years no one means, which an API's dates may not even hold.
pub fn year_being_typed(day: NaiveDate) -> bool {
    day.year() < 1900
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The forms write what their strftime strings do, and inputs read back what they write.
    #[test]
    fn each_form_is_its_strftime_string() {
        for text in [
            "2025-03-10T14:30:00",
            "2026-11-01T09:05:00",
            "2024-02-29T00:00:00",
        ] {
            let at: NaiveDateTime = text.parse().unwrap();
            assert_eq!(show(at), at.format("%a %-d %b %Y, %H:%M").to_string());
            assert_eq!(show_short(at), at.format("%-d %b, %H:%M").to_string());
            assert_eq!(from_input(&to_input(at)), Some(at));
            assert_eq!(day_from_input(&at.date().to_string()), Some(at.date()));
        }
        assert_eq!(
            show("2025-03-10T14:30:00".parse().unwrap()),
            "Mon 10 Mar 2025, 14:30"
        );
        assert_eq!(from_input(""), None);
        assert_eq!(day_from_input("10/03/2025"), None);
        let typed = |v: &str| day_from_input(v).is_some_and(year_being_typed);
        assert!(["0002-03-10", "0020-03-10", "0202-03-10"].map(typed) == [true; 3]);
        assert!(!typed("2025-03-10") && !typed("1900-01-01"));
    }
}
