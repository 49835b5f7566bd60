//! reelsmith-web's integration tests, in one binary: the API on a real server (port 0, a real
//! SQLite file, the test models), and the UI in headless Chromium.

mod api;
mod browser;
mod common;
mod experiments;
mod formats;
mod performance;
mod scripts;
mod timeouts;
mod ui;
