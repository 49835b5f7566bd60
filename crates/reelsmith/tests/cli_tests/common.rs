//! Helpers shared by the CLI tests: a user with an empty home running the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn fixture(name: &str) -> String {
    root()
        .join("crates/reelsmith-ingest/tests/fixtures")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// A fixture of the CLI's own tests (`crates/reelsmith/tests/fixtures`).
pub fn cli_fixture(name: &str) -> String {
    root()
        .join("crates/reelsmith/tests/fixtures")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// Writes each file of `from` (name order) into `to` under its name with extension `ext`, its
/// content as `convert` makes it from the file's path.
pub fn convert_files(from: &Path, to: &Path, ext: &str, convert: impl Fn(&Path) -> String) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| unreachable!("{e}"));
    let mut files: Vec<_> = std::fs::read_dir(from)
        .unwrap_or_else(|e| unreachable!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    for f in files {
        let name = f.with_extension(ext);
        let name = name.file_name().unwrap_or_else(|| unreachable!());
        std::fs::write(to.join(name), convert(&f)).unwrap_or_else(|e| unreachable!("{e}"));
    }
}

/// Runs a prepared command and returns its output.
pub fn output(mut c: Command) -> Output {
    c.output()
        .unwrap_or_else(|e| unreachable!("run reelsmith: {e}"))
}

/// Runs a prepared command, asserts success and returns stdout.
pub fn succeed(c: Command) -> String {
    let out = output(c);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A user with an empty home: no config file, no data, no REELSMITH_* variables.
/// The local GGUF model scripts/install-deps.sh installs.
pub fn local_gguf() -> String {
    reelsmith_llm::local::locate_gguf(None, std::path::Path::new("/nonexistent"))
        .unwrap_or_else(|e| unreachable!("scripts/install-deps.sh installs the model: {e}"))
        .to_string_lossy()
        .into_owned()
}

pub struct User {
    pub home: tempfile::TempDir,
}

impl User {
    pub fn new() -> User {
        User {
            home: tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}")),
        }
    }

    pub fn data(&self) -> PathBuf {
        self.home.path().join("data")
    }

    pub fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_reelsmith"));
        c.current_dir(root())
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join(".config"))
            .env("XDG_DATA_HOME", self.home.path().join(".local/share"))
            .env_remove("REELSMITH_DATA_DIR")
            .env_remove("REELSMITH_DATABASE_URL")
            .stdin(Stdio::null());
        c
    }

    /// Runs with `--data-dir` after the subcommand's arguments.
    pub fn run(&self, args: &[&str]) -> Output {
        let mut c = self.cmd();
        c.args(args).arg("--data-dir").arg(self.data());
        c.output()
            .unwrap_or_else(|e| unreachable!("run reelsmith: {e}"))
    }

    /// Runs as [`User::run`] with the real local model ([`local_gguf`]).
    pub fn local(&self, args: &[&str]) -> Output {
        let mut c = self.cmd();
        c.env("REELSMITH_LLM__LOCAL__MODEL_PATH", local_gguf());
        c.args(args).arg("--data-dir").arg(self.data());
        output(c)
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs expecting failure; returns (exit code, stderr).
    pub fn fails(&self, args: &[&str]) -> (i32, String) {
        let out = self.run(args);
        assert!(
            !out.status.success(),
            "{args:?} should fail: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args))
            .unwrap_or_else(|e| unreachable!("{args:?} gave invalid JSON: {e}"))
    }

    pub fn versions(&self, name: &str) -> Option<u64> {
        let v = self.json(&["persona", "list", "--json"]);
        v.as_array()?
            .iter()
            .find(|p| p["name"] == name)
            .and_then(|p| p["latest_version"].as_u64())
    }
}

/// Learns the bundled English persona with its story; returns what `persona learn` printed.
pub fn learn_maya(u: &User) -> String {
    learn_maya_with(u, &[])
}

/// [`learn_maya`] with more arguments (e.g. `--config FILE`).
pub fn learn_maya_with(u: &User, more: &[&str]) -> String {
    let mut args = vec![
        "persona",
        "learn",
        "--name",
        "maya",
        "--story",
        "examples/maya/story.md",
        "--examples",
        "examples/maya/scripts",
    ];
    args.extend_from_slice(more);
    u.ok(&args)
}

/// Writes `u`'s config file with `model_base_url` as the only LLM provider (`fake`, choices in one
/// request, priced at 1 USD per million tokens either way), no persona analysis, and `extra` TOML
/// appended; returns its path for `--config`.
pub fn fake_model_config(u: &User, model_base_url: &str, extra: &str) -> String {
    let path = u.home.path().join("reelsmith.toml");
    let toml = format!(
        "{extra}\n[llm]\nprovider = \"fake\"\nanalyze_persona = false\n\n[llm.providers.fake]\nbase_url = \"{model_base_url}\"\nmodel = \"fake\"\nn = true\nprice_input_per_mtok = 1.0\nprice_output_per_mtok = 1.0\n"
    );
    std::fs::write(&path, toml).unwrap_or_else(|e| unreachable!("{e}"));
    path.to_string_lossy().into_owned()
}

/// A user whose config file points at a fake OpenAI-compatible server, with the example persona
/// learned: the runtime and the server must outlive the commands; the config path goes with
/// `--config`.
pub fn fake_model_user() -> (
    tokio::runtime::Runtime,
    reelsmith_testkit::fake_server::FakeLlm,
    User,
    String,
) {
    let rt = tokio::runtime::Runtime::new().unwrap_or_else(|e| unreachable!("{e}"));
    let model = rt
        .block_on(reelsmith_testkit::fake_server::start(
            std::time::Duration::ZERO,
        ))
        .unwrap_or_else(|e| unreachable!("{e}"));
    let u = User::new();
    let config = fake_model_config(&u, &model.base_url, "");
    learn_maya_with(&u, &["--config", &config]);
    (rt, model, u, config)
}

/// A `reelsmith serve` child on a free loopback port, killed when dropped. Its stderr is read as it
/// comes (a full pipe would block the server's logging, and with it the server).
pub struct Served {
    pub child: std::process::Child,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    log: Option<std::thread::JoinHandle<String>>,
}

impl Served {
    /// Starts `reelsmith serve --bind 127.0.0.1:0 ARGS --data-dir …` for `u` and waits for its
    /// address line.
    pub fn start(u: &User, args: &[&str]) -> Served {
        use std::io::{BufRead, BufReader};
        let mut c = u.cmd();
        c.args(["serve", "--bind", "127.0.0.1:0"])
            .args(args)
            .arg("--data-dir")
            .arg(u.data())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().unwrap_or_else(|e| unreachable!("{e}"));
        let mut stdout = BufReader::new(child.stdout.take().unwrap_or_else(|| unreachable!()));
        let mut first = String::new();
        stdout
            .read_line(&mut first)
            .unwrap_or_else(|e| unreachable!("{e}"));
        let addr = first
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| unreachable!("serve printed {first:?}"))
            .to_string();
        let stderr = child.stderr.take();
        let log = std::thread::spawn(move || {
            use std::io::Read;
            let mut text = String::new();
            if let Some(mut e) = stderr {
                let _ = e.read_to_string(&mut text);
            }
            text
        });
        Served {
            child,
            base: addr,
            log: Some(log),
        }
    }

    /// Sends SIGTERM and returns everything the server wrote on stderr.
    pub fn stop(mut self) -> String {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
        self.log
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a command of `u` with `--config config`, expecting success; gives its stdout.
pub fn runner<'a>(u: &'a User, config: &'a str) -> impl Fn(&[&str]) -> String + 'a {
    move |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--config", config]);
        u.ok(&all)
    }
}
