//! reelsmith-app's integration tests, linked into one test binary: the use cases on in-memory test
//! models (`DirectRouter`, `ScriptedLlm`, `WriterLlm`) and, where storage matters, a real SQLite file.

mod analysis;
mod experiments;
mod feedback;
mod generate;
mod usecases;
