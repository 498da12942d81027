//! Thin bindings: conversion and I/O only; the logic lives in the core.

mod alloc;
mod client;
mod validate;

pub use client::WasmClient;

