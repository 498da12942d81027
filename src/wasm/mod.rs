//! Thin bindings: conversion and I/O only; the logic lives in the core.

mod alloc;
#[cfg(feature = "client")]
mod client;
mod validate;

#[cfg(feature = "client")]
pub use client::WasmClient;

