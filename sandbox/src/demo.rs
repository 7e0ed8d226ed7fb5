//! Demo data: access tokens in every state a receptionist meets, with realistic values.

use chrono::{Duration, NaiveDateTime};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::store::{now, Draft, Store};
use crate::DEMO_BUSINESS_ID;

const VISITORS: &[&str] = &[
    "Ada Lovelace",
    "Grace Hopper",
    "Alan Turing",
    "Katherine Johnson",
    "Linus Pauling",
    "Hedy Lamarr",
    "Tim Berners-Lee",
    "Margaret Hamilton",
    "Claude Shannon",
    "Radia Perlman",
    "Edsger Dijkstra",
    "Barbara Liskov",
    "Donald Knuth",
    "Frances Allen",
    "John von Neumann",
];
const PURPOSES: &[&str] = &[
    "Visitor",
    "Meeting room 2 booking",
    "Day pass",
    "Event: Friday demo night",
    "Hot desk trial",
    "Interview",
    "Board room booking",
];
/// Letters and digits a person cannot mistake for one another (no 0/O, 1/I/l).
const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// Creates `count` tokens: active, expiring soon, used up, expired and scheduled, in turn.
pub fn seed(store: &Store, count: usize) -> rusqlite::Result<()> {
    let mut rng = StdRng::seed_from_u64(20_261_123);
    let now = now();
    let hour = Duration::hours(1);
    for i in 0..count {
        let code: String = if i % 4 == 3 {
            format!("{:05}", rng.gen_range(10_000..100_000))
        } else {
            (0..8)
                .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                .collect()
        };
        let included = [60, 240, 480, 1440, 10_080][rng.gen_range(0..5)];
        let (from, to, left): (NaiveDateTime, NaiveDateTime, i64) = match i % 5 {
            0 => (
                now - hour * 2,
                now + Duration::days(rng.gen_range(1..14)),
                included - rng.gen_range(0..included / 2),
            ),
            1 => (
                now - Duration::days(1),
                now + Duration::minutes(rng.gen_range(10..55)),
                included / 3,
            ),
            2 => (now - Duration::days(2), now + Duration::days(5), 0),
            3 => (
                now - Duration::days(10),
                now - Duration::days(rng.gen_range(1..8)),
                included / 4,
            ),
            _ => (
                now + Duration::days(rng.gen_range(1..10)),
                now + Duration::days(12),
                included,
            ),
        };
        let visitor = VISITORS[i % VISITORS.len()];
        let purpose = PURPOSES[rng.gen_range(0..PURPOSES.len())];
        let draft = Draft {
            business_id: DEMO_BUSINESS_ID,
            access_code: code,
            description: Some(format!("{purpose} — {visitor}")),
            minutes_included: included,
            minutes_left: left,
            valid_from: Some(from),
            valid_to: Some(to),
            user_limit: (i % 3 == 0).then_some(rng.gen_range(1..4)),
            booking_guid: (purpose.contains("booking"))
                .then(|| uuid::Uuid::from_u128(rng.gen()).to_string()),
            ..Draft::default()
        };
        // A code drawn twice is skipped: the demo needs realistic codes, not an exact count.
        if let Some(id) = store.insert(&draft, "admin@example.com")? {
            if left < included && from < now {
                let mac = format!(
                    "02:1A:{:02X}:{:02X}:{:02X}:{:02X}",
                    rng.gen::<u8>(),
                    rng.gen::<u8>(),
                    rng.gen::<u8>(),
                    rng.gen::<u8>()
                );
                let used = if i % 5 == 0 && i % 2 == 0 {
                    now - Duration::minutes(2)
                } else {
                    from + hour
                };
                store.record_use(id, used.min(now), &mac)?;
            }
        }
    }
    Ok(())
}
