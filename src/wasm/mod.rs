//! Thin bindings: conversion and I/O only; the logic lives in the core.

mod client;

pub use client::WasmClient;

