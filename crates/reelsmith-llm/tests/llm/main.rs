//! reelsmith-llm's integration tests, linked into one test binary (each binary links llama.cpp,
//! candle and the TLS stack, so one link instead of five keeps CI's disk and time down).

mod embedding;
mod local_model;
mod openai;
