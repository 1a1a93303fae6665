//! Shared by the connector integration tests: the live-service guard, the fixture written to
//! every kind of source, and the conformance suite every connector must pass.
#![allow(dead_code)]

pub mod fixture;
pub mod services;
pub mod suite;
