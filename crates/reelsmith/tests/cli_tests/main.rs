//! The CLI tried as a user would, linked into one test binary (each binary links llama.cpp, candle
//! and the TLS stack, so one link instead of four keeps CI's disk and time down).

mod basics;
mod captions;
mod common;
mod crash;
mod evals;
mod experiment;
mod formats;
mod fuzz_api;
mod generate;
mod hostile;
mod import;
mod insights;
mod llm;
mod purpose;
mod scoring;
