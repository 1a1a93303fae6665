//! Shared by the connector integration tests: the live-service guard, the fixture written to
//! every kind of source, the in-process S3 server, and the conformance suite every connector
//! must pass.
#![allow(dead_code)]

pub mod fixture;
pub mod local;
pub mod s3_server;
pub mod services;
pub mod suite;
