//! Document parsing in a bounded child process.
//!
//! A hostile PDF can overflow the parser's stack (a form XObject that draws itself), which aborts the
//! process and cannot be caught; a text bomb can take minutes of CPU; a decompression bomb can take all
//! memory. [`Reader::Isolated`] therefore parses PDF and DOCX in a child process of the reelsmith binary
//! (`reelsmith __read-document FORMAT PATH CPU_S MEMORY_BYTES`, dispatched by the binary before its
//! command line is parsed) that limits its own CPU time, address space and core dumps with
//! `setrlimit(2)`, while the parent enforces a wall-clock timeout and an output limit. Whatever the file
//! does, the caller gets an [`ErrorKind`] naming what went wrong and keeps running.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use wait_timeout::ChildExt;

use crate::error::ErrorKind;
use crate::formats::{self, Format};

/// The first argument that turns the reelsmith binary into a document-reading worker.
pub const WORKER_ARG: &str = "__read-document";

/// Bounds on one document read in the child process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time before the child is killed (10 s: a 20 MiB text PDF reads in about 2 s here).
    pub wall: Duration,
    /// CPU time the child may use, seconds (`RLIMIT_CPU`; SIGXCPU at this, SIGKILL one second later).
    pub cpu_s: u64,
    /// Address space of the child, bytes (`RLIMIT_AS`, 1 GiB).
    pub memory_bytes: u64,
    /// Largest reply read back (the extracted text as JSON), bytes (64 MiB).
    pub output_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            wall: Duration::from_secs(10),
            cpu_s: 10,
            memory_bytes: 1024 * 1024 * 1024,
            output_bytes: 64 * 1024 * 1024,
        }
    }
}

/// How PDF and DOCX files are parsed. Plain text and Markdown are always read in-process: decoding
/// UTF-8 and parsing CommonMark are linear and cannot recurse without bound.
#[derive(Debug, Clone)]
pub enum Reader {
    /// In the calling process: only for trusted files and tests, since a hostile file can abort or
    /// hang the caller.
    InProcess,
    /// In a bounded child process running `program` (the reelsmith binary).
    Isolated {
        /// The executable that dispatches [`WORKER_ARG`] to [`worker_main`].
        program: PathBuf,
        /// Its bounds.
        limits: Limits,
    },
}

impl Reader {
    /// Parses in a child of the running executable, with the default [`Limits`]. The executable
    /// must dispatch [`WORKER_ARG`] to [`worker_main`], as the reelsmith binary does.
    ///
    /// # Errors
    /// The running executable's path cannot be found (`std::env::current_exe`).
    pub fn isolated_in_this_binary() -> std::io::Result<Reader> {
        Ok(Reader::Isolated {
            program: std::env::current_exe()?,
            limits: Limits::default(),
        })
    }

    /// The text of a PDF or DOCX file whose bytes are `bytes` (read from `path`).
    pub(crate) fn extract_binary(
        &self,
        format: Format,
        path: &Path,
        bytes: &[u8],
    ) -> Result<String, ErrorKind> {
        match self {
            Reader::InProcess => formats::extract(format, bytes),
            Reader::Isolated { program, limits } => run_worker(program, *limits, format, path),
        }
    }
}

/// What the worker writes on stdout: the text, or why there is none.
#[derive(Debug, Serialize, Deserialize)]
enum Reply {
    Text(String),
    Corrupt { format: String, detail: String },
    PasswordProtected,
    PasswordProtectedOrLegacy,
    Expands { limit_mib: u64 },
    TooDeep,
    Unreadable(String),
}

impl Reply {
    fn from_result(r: Result<String, ErrorKind>) -> Reply {
        match r {
            Ok(text) => Reply::Text(text),
            Err(ErrorKind::Corrupt { format, detail }) => Reply::Corrupt {
                format: format.into(),
                detail,
            },
            Err(ErrorKind::PasswordProtected) => Reply::PasswordProtected,
            Err(ErrorKind::PasswordProtectedOrLegacy) => Reply::PasswordProtectedOrLegacy,
            Err(ErrorKind::Expands { limit_mib }) => Reply::Expands { limit_mib },
            Err(ErrorKind::TooDeep) => Reply::TooDeep,
            Err(other) => Reply::Unreadable(other.to_string()),
        }
    }

    fn into_result(self, format: Format) -> Result<String, ErrorKind> {
        match self {
            Reply::Text(text) => Ok(text),
            Reply::Corrupt { detail, .. } => Err(ErrorKind::Corrupt {
                format: format.label(),
                detail,
            }),
            Reply::PasswordProtected => Err(ErrorKind::PasswordProtected),
            Reply::PasswordProtectedOrLegacy => Err(ErrorKind::PasswordProtectedOrLegacy),
            Reply::Expands { limit_mib } => Err(ErrorKind::Expands { limit_mib }),
            Reply::TooDeep => Err(ErrorKind::TooDeep),
            Reply::Unreadable(detail) => Err(ErrorKind::Corrupt {
                format: format.label(),
                detail,
            }),
        }
    }
}

/// Largest stderr kept from a worker, bytes: enough for the runtime's abort message.
const STDERR_BYTES: u64 = 16 * 1024;

fn run_worker(
    program: &Path,
    limits: Limits,
    format: Format,
    path: &Path,
) -> Result<String, ErrorKind> {
    let mut child = Command::new(program)
        .arg(WORKER_ARG)
        .arg(format.label())
        .arg(path)
        .arg(limits.cpu_s.to_string())
        .arg(limits.memory_bytes.to_string())
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(ErrorKind::ReaderUnavailable)?;
    let drain = |pipe: Option<Box<dyn Read + Send>>, max: u64| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(pipe) = pipe {
                // Stops at max + 1 and closes the pipe, so a child writing more fails (EPIPE).
                let _ = pipe.take(max + 1).read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(
        child.stdout.take().map(|p| Box::new(p) as _),
        limits.output_bytes,
    );
    let err = drain(child.stderr.take().map(|p| Box::new(p) as _), STDERR_BYTES);
    let status = match child.wait_timeout(limits.wall) {
        Ok(Some(status)) => status,
        Ok(None) | Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(ErrorKind::TookTooLong {
                seconds: limits.wall.as_secs(),
            });
        }
    };
    let out = out.join().unwrap_or_default();
    let err = String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned();
    if out.len() as u64 > limits.output_bytes {
        return Err(ErrorKind::Expands {
            limit_mib: limits.output_bytes / (1024 * 1024),
        });
    }
    if status.success() {
        return serde_json::from_slice::<Reply>(&out)
            .map_err(|e| ErrorKind::ReaderFailed(format!("its reply was unreadable: {e}")))?
            .into_result(format);
    }
    Err(failure(status, &err, limits))
}

/// Why a worker that did not exit cleanly stopped, from its exit status and its stderr.
fn failure(status: std::process::ExitStatus, stderr: &str, limits: Limits) -> ErrorKind {
    use std::os::unix::process::ExitStatusExt;
    match status.signal() {
        Some(libc::SIGXCPU) | Some(libc::SIGKILL) => ErrorKind::TookTooLong {
            seconds: limits.cpu_s,
        },
        _ if stderr.contains("overflowed its stack") => ErrorKind::TooDeep,
        // One allocation over twice the whole limit is a size the file declares, not a document
        // that grew too big: a buffer that doubles as it grows asks for at most twice what fit
        // (lopdf 0.42 sizes a buffer by an xref stream's field width).
        _ if stderr.contains("memory allocation") => match allocation_bytes(stderr) {
            Some(bytes) if bytes / 2 > limits.memory_bytes => ErrorKind::ReaderFailed(format!(
                "it declares a part of {bytes} bytes, more than any document holds: the file is damaged"
            )),
            _ => ErrorKind::NeedsTooMuchMemory {
                limit_mib: limits.memory_bytes / (1024 * 1024),
            },
        },
        Some(signal) => ErrorKind::ReaderFailed(format!("the reader stopped on signal {signal}")),
        None => ErrorKind::ReaderFailed(format!(
            "the reader exited with status {}",
            status.code().unwrap_or(-1)
        )),
    }
}

/// The size in bytes of the allocation that failed, from the Rust runtime's "memory allocation of
/// N bytes failed" on stderr.
fn allocation_bytes(stderr: &str) -> Option<u64> {
    let (_, rest) = stderr.split_once("memory allocation of ")?;
    rest.split_whitespace().next()?.parse().ok()
}

/// The worker: `ARGS` are what follows [`WORKER_ARG`] (`FORMAT PATH CPU_S MEMORY_BYTES`). Limits
/// itself, reads the file, and writes a JSON reply on stdout. Panics print nothing (no backtraces
/// reach a user); a stack overflow or an allocation failure aborts, which the parent reports.
pub fn worker_main(args: &[OsString]) -> ExitCode {
    std::panic::set_hook(Box::new(|_| {}));
    let arg = |i: usize| args.get(i).map(|a| a.to_string_lossy().into_owned());
    let (Some(format), Some(path), Some(cpu), Some(memory)) = (
        arg(0).as_deref().and_then(Format::from_extension),
        args.get(1).map(PathBuf::from),
        arg(2).and_then(|s| s.parse::<u64>().ok()),
        arg(3).and_then(|s| s.parse::<u64>().ok()),
    ) else {
        eprintln!("usage: reelsmith {WORKER_ARG} FORMAT PATH CPU_S MEMORY_BYTES");
        return ExitCode::from(2);
    };
    let limited = rlimit::setrlimit(rlimit::Resource::CORE, 0, 0)
        .and_then(|()| rlimit::setrlimit(rlimit::Resource::CPU, cpu, cpu + 1))
        .and_then(|()| rlimit::setrlimit(rlimit::Resource::AS, memory, memory));
    if let Err(e) = limited {
        eprintln!("cannot limit the document reader: {e}");
        return ExitCode::from(3);
    }
    let reply = match std::fs::read(&path) {
        Ok(bytes) => Reply::from_result(formats::extract(format, &bytes)),
        Err(e) => Reply::Unreadable(e.to_string()),
    };
    let written = serde_json::to_vec(&reply)
        .map_err(std::io::Error::other)
        .and_then(|json| std::io::stdout().lock().write_all(&json));
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::from(4),
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::ExitStatusExt;

    use super::*;

    /// An allocation no growing buffer could ask for is a damaged file; one within reach of the
    /// limit is a document too big to read.
    #[test]
    fn a_declared_size_is_told_apart_from_a_document_too_big() {
        let aborted = std::process::ExitStatus::from_raw(libc::SIGABRT);
        let limits = Limits::default();
        let said = |stderr: &str| failure(aborted, stderr, limits).to_string();
        let damaged = said("memory allocation of 350780370976301965 bytes failed\n");
        assert!(
            damaged.contains("declares a part of 350780370976301965 bytes")
                && damaged.contains("damaged"),
            "{damaged}"
        );
        for grown in [
            "memory allocation of 1073741824 bytes failed\n",
            "memory allocation of 2147483648 bytes failed\n",
            "memory allocation failed\n",
        ] {
            assert!(said(grown).contains("needs more than 1024 MiB"), "{grown}");
        }
        assert!(said("").contains("signal 6"));
    }
}
