//! wifi-desk
