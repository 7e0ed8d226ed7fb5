//! Pure rules of the reception desk: codes, validity, status, QR payloads and reading codes aloud.
//! No I/O and no UI here; everything is tested natively with plain `#[test]`s.

pub mod code;
pub mod command;
pub mod export;
pub mod filter;
pub mod progress;
pub mod qr;
pub mod reading;
pub mod status;
pub mod validity;
