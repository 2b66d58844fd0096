//! `lk-core`: the domain of the LK (личный кабинет) of АО «ЭК «Восток» and its rules.
//!
//! Everything here is pure: no network, no storage, no clock of its own (the moment is always
//! passed in), so every rule is tested here once and the apps, the server and the terminal client
//! all apply the same one.

pub mod account;
pub mod allocation;
pub mod billing;
pub mod meter;
pub mod money;
pub mod period;
pub mod qr;
pub mod readings;
pub mod region;
pub mod requisites;
pub mod service;

pub use money::Money;
pub use period::Period;
