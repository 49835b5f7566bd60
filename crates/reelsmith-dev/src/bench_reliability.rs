//! `reelsmith-dev bench reliability`: issue 12's attacks, repeated on a built `reelsmith` binary, each
//! figure next to its baseline from the same run — hostile documents through the CLI and the server
//! (against a benign document of the same kind, and `/health` with no upload), `kill -9` in the middle
//! of generations (against generations left to finish), a model failing at random (against the same
//! model not failing), and slow or idle connections (against a connection kept busy).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use reelsmith_testkit::fake_server::{FakeLlm, Plan, start_with};
use reelsmith_testkit::hostile::{HostileCase, hostile_cases, nested_forms_pdf, plain_docx};
use serde_json::Value;

/// Arguments of `bench reliability`.
#[derive(Debug, Args)]
pub struct ReliabilityArgs {
    /// The reelsmith binary to attack (default: `reelsmith` beside this program).
    #[arg(long, value_name = "FILE")]
    pub reelsmith: Option<PathBuf>,
    /// Generations against the failing model (and against the same model not failing).
    #[arg(long, default_value_t = 40)]
    pub generations: u32,
    /// Share of model requests that fail (429, 500, malformed body, dropped connection in turn).
    #[arg(long, default_value_t = 0.3)]
    pub fault_rate: f64,
    /// Servers killed with SIGKILL halfway through a generation.
    #[arg(long, default_value_t = 5)]
    pub kills: u32,
    /// Idle connections opened (and as many slow ones).
    #[arg(long, default_value_t = 60)]
    pub connections: u32,
}

/// A data folder with a config pointing at a fake model, and the bundled persona learned.
struct Home {
    dir: tempfile::TempDir,
    bin: PathBuf,
}

impl Home {
    fn new(bin: &Path) -> Result<Home> {
        Ok(Home {
            dir: tempfile::tempdir()?,
            bin: bin.to_path_buf(),
        })
    }

    fn configure(&self, model: &FakeLlm) -> Result<()> {
        let toml = format!(
            "[llm]\nprovider = \"fake\"\nanalyze_persona = false\n\n[llm.providers.fake]\nbase_url = \"{}\"\nmodel = \"fake\"\nn = true\nprice_input_per_mtok = 1.0\nprice_output_per_mtok = 1.0\n\n[server]\ngrace_s = 0.5\n",
            model.base_url
        );
        Ok(std::fs::write(self.dir.path().join("c.toml"), toml)?)
    }

    fn cmd(&self) -> Command {
        let mut c = Command::new(&self.bin);
        c.arg("--data-dir")
            .arg(self.dir.path().join("data"))
            .arg("--config")
            .arg(self.dir.path().join("c.toml"))
            .stdin(Stdio::null());
        c
    }

    fn learn(&self) -> Result<()> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let out = self
            .cmd()
            .args(["persona", "learn", "--name", "maya", "--story"])
            .arg(root.join("examples/maya/story.md"))
            .arg("--examples")
            .arg(root.join("examples/maya/scripts"))
            .output()?;
        if !out.status.success() {
            bail!(
                "learning the persona failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(())
    }

    fn serve(&self) -> Result<Served> {
        let mut child = self
            .cmd()
            .args(["serve", "--bind", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().context("no stdout")?).read_line(&mut line)?;
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .with_context(|| format!("serve printed {line:?}"))?
            .to_string();
        Ok(Served { child, base })
    }
}

struct Served {
    child: Child,
    base: String,
}

impl Served {
    /// Peak resident memory of the server process so far, MiB (`VmHWM`).
    fn peak_mib(&self) -> f64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            })
            .map_or(f64::NAN, |kb| kb / 1024.0)
    }

    fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn http() -> Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .build()?)
}

async fn get(base: &str, path: &str) -> Result<Value> {
    Ok(http()?
        .get(format!("{base}/api/v1{path}"))
        .send()
        .await?
        .json()
        .await?)
}

const REQUEST: &str =
    r#"{"persona": "maya", "topic": "caffeine before a night shift", "duration_s": 30}"#;

async fn generate(base: &str) -> Result<(u16, Value)> {
    let resp = http()?
        .post(format!("{base}/api/v1/scripts/generate"))
        .header("content-type", "application/json")
        .body(REQUEST)
        .send()
        .await?;
    let status = resp.status().as_u16();
    Ok((status, resp.json().await.unwrap_or(Value::Null)))
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Runs the benchmark and prints its figures.
///
/// # Errors
/// When the binary cannot be found or run, or a server does not start.
pub async fn run(args: ReliabilityArgs) -> Result<()> {
    let bin = match args.reelsmith.clone() {
        Some(b) => b,
        None => std::env::current_exe()?
            .parent()
            .context("no folder")?
            .join("reelsmith"),
    };
    if !bin.exists() {
        bail!(
            "{} not found — build it (cargo build --release -p reelsmith) or pass --reelsmith",
            bin.display()
        );
    }
    println!("reelsmith under attack: {}", bin.display());
    documents_cli(&bin)?;
    documents_served(&bin).await?;
    kills(&bin, args.kills).await?;
    faults(&bin, args.generations, args.fault_rate).await?;
    connections(&bin, args.connections).await?;
    Ok(())
}

/// Runs `persona learn` on one file; returns (seconds, exit code or signal, first line of stderr).
fn learn_file(bin: &Path, name: &str, bytes: &[u8]) -> Result<(f64, String, String)> {
    let dir = tempfile::tempdir()?;
    let file = dir.path().join(name);
    std::fs::write(&file, bytes)?;
    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(["persona", "learn", "--name", "x", "--examples"])
        .arg(&file)
        .arg("--data-dir")
        .arg(dir.path())
        // The document is what is measured, not the model's persona analysis.
        .env("REELSMITH_LLM__ANALYZE_PERSONA", "false")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let mut err = String::new();
    if let Some(mut e) = child.stderr.take() {
        e.read_to_string(&mut err)?;
    }
    let status = child.wait()?;
    let how = match (
        status.code(),
        std::os::unix::process::ExitStatusExt::signal(&status),
    ) {
        (Some(c), _) => format!("exit {c}"),
        (None, Some(s)) => format!("CRASH signal {s}"),
        _ => "?".into(),
    };
    let first = err.lines().next().unwrap_or("").to_string();
    Ok((started.elapsed().as_secs_f64(), how, first))
}

fn controls() -> Vec<HostileCase> {
    vec![
        HostileCase {
            name: "control.docx",
            bytes: plain_docx("Night shift coffee is lying to you. Follow for more."),
            expect: &[],
        },
        HostileCase {
            name: "control.pdf",
            bytes: nested_forms_pdf(3, "Night shift coffee is lying to you."),
            expect: &[],
        },
    ]
}

fn documents_cli(bin: &Path) -> Result<()> {
    println!(
        "\n1. Hostile documents through `persona learn` (baseline: a benign file of the same type)"
    );
    let (mut crashes, mut slow) = (0, 0);
    for case in controls().into_iter().chain(hostile_cases()) {
        let (secs, how, first) = learn_file(bin, case.name, &case.bytes)?;
        crashes += usize::from(how.starts_with("CRASH"));
        slow += usize::from(secs > 30.0);
        let said = first.split(" — ").next().unwrap_or("");
        let said = said
            .find(&format!("{}: ", case.name))
            .map_or(said, |at| &said[at + case.name.len() + 2..]);
        println!(
            "   {:<28} {:>6.2} s  {:<9} {}",
            case.name,
            secs,
            how,
            said.chars().take(90).collect::<String>()
        );
    }
    println!("   crashes: {crashes} · over 30 s: {slow}");
    Ok(())
}

async fn documents_served(bin: &Path) -> Result<()> {
    println!(
        "\n2. Hostile uploads to `reelsmith serve`, all at once (baseline: /health with no upload)"
    );
    let home = Home::new(bin)?;
    let model = start_with(Plan::default()).await?;
    home.configure(&model)?;
    let mut served = home.serve()?;
    let client = http()?;
    let health = format!("{}/api/v1/health", served.base);
    let mut idle = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        client.get(&health).send().await?;
        idle.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let peak_before = served.peak_mib();
    let mut uploads = Vec::new();
    for case in hostile_cases() {
        let url = format!("{}/api/v1/personas/upload", served.base);
        let client = client.clone();
        uploads.push(tokio::spawn(async move {
            let form = reqwest::multipart::Form::new().text("name", "x").part(
                "examples",
                reqwest::multipart::Part::bytes(case.bytes.clone()).file_name(case.name),
            );
            let t = Instant::now();
            let status = client
                .post(url)
                .multipart(form)
                .send()
                .await
                .map(|r| r.status().as_u16());
            (case.name, status.ok(), t.elapsed().as_secs_f64())
        }));
    }
    let mut busy = Vec::new();
    while uploads.iter().any(|u| !u.is_finished()) {
        let t = Instant::now();
        let ok = client
            .get(&health)
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        busy.push(if ok {
            t.elapsed().as_secs_f64() * 1e3
        } else {
            f64::INFINITY
        });
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for u in uploads {
        let (name, status, secs) = u.await?;
        println!(
            "   {name:<28} {secs:>6.2} s  HTTP {}",
            status.map_or("failed".into(), |s| s.to_string())
        );
    }
    let max_busy = busy.iter().copied().fold(0.0, f64::max);
    println!(
        "   /health: median {:.1} ms, max {:.1} ms while reading ({} pings) vs median {:.1} ms idle",
        median(&mut busy.clone()),
        max_busy,
        busy.len(),
        median(&mut idle)
    );
    println!(
        "   server alive: {} · peak memory {:.0} MiB after vs {:.0} MiB before",
        served.alive(),
        served.peak_mib(),
        peak_before
    );
    Ok(())
}

async fn kills(bin: &Path, rounds: u32) -> Result<()> {
    println!(
        "\n3. `kill -9` halfway through a generation, then restart and retry (baseline: the same generation left to finish)"
    );
    let (mut lost, mut kept_attempts, mut kept_calls, mut retried) = (0, 0, 0, 0);
    for _ in 0..rounds {
        let home = Home::new(bin)?;
        let slow = start_with(Plan {
            too_short: true,
            later_latency: Some(Duration::from_secs(60)),
            ..Plan::default()
        })
        .await?;
        home.configure(&slow)?;
        home.learn()?;
        let mut served = home.serve()?;
        let base = served.base.clone();
        let pending = tokio::spawn(async move { generate(&base).await });
        let started = Instant::now();
        let id = loop {
            if started.elapsed() > Duration::from_secs(60) {
                bail!("no generation got halfway");
            }
            let page = get(&served.base, "/scripts").await?;
            if let Some(id) = page["items"][0]["id"].as_i64() {
                let g = get(&served.base, &format!("/scripts/{id}")).await?;
                if g["attempts"].as_array().is_some_and(|a| !a.is_empty())
                    && slow.requests.load(Ordering::Relaxed) >= 2
                {
                    break id;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        served.child.kill()?;
        served.child.wait()?;
        pending.abort();
        let good = start_with(Plan::default()).await?;
        home.configure(&good)?;
        let served = home.serve()?;
        let g = get(&served.base, &format!("/scripts/{id}")).await?;
        if g["status"] != "interrupted" {
            lost += 1;
        }
        kept_attempts += g["attempts"].as_array().map_or(0, Vec::len);
        kept_calls += g["calls"].as_u64().unwrap_or(0);
        let resp = http()?
            .post(format!("{}/api/v1/scripts/{id}/retry", served.base))
            .send()
            .await?;
        let done: Value = resp.json().await?;
        retried += usize::from(done["status"] == "completed");
    }
    // The baseline: a generation with the same first answer, left to finish.
    let home = Home::new(bin)?;
    let model = start_with(Plan {
        too_short: true,
        ..Plan::default()
    })
    .await?;
    home.configure(&model)?;
    home.learn()?;
    let served = home.serve()?;
    generate(&served.base).await?;
    let page = get(&served.base, "/scripts").await?;
    let id = page["items"][0]["id"].as_i64().unwrap_or(0);
    let g = get(&served.base, &format!("/scripts/{id}")).await?;
    println!(
        "   generations lost: {lost} of {rounds} · attempts kept {kept_attempts} ({:.0} a round; left to finish, the same request stores {} and {} calls) · calls kept {kept_calls} · retried to completion {retried} of {rounds}",
        kept_attempts as f64 / f64::from(rounds.max(1)),
        g["attempts"].as_array().map_or(0, Vec::len),
        g["calls"].as_u64().unwrap_or(0)
    );
    Ok(())
}

async fn fault_run(bin: &Path, n: u32, rate: f64) -> Result<(Vec<u16>, u64, u64, u64, f64)> {
    let home = Home::new(bin)?;
    let model = start_with(Plan {
        fault_rate: rate,
        seed: 7,
        ..Plan::default()
    })
    .await?;
    home.configure(&model)?;
    home.learn()?;
    let served = home.serve()?;
    let started = Instant::now();
    let mut runs = Vec::new();
    for _ in 0..n {
        let base = served.base.clone();
        runs.push(tokio::spawn(async move { generate(&base).await }));
    }
    let mut statuses = Vec::new();
    for r in runs {
        statuses.push(r.await?.map_or(0, |(s, _)| s));
    }
    let secs = started.elapsed().as_secs_f64();
    let page = get(&served.base, "/scripts?limit=100").await?;
    let (mut running, mut linked) = (0, 0);
    for item in page["items"].as_array().into_iter().flatten() {
        let g = get(&served.base, &format!("/scripts/{}", item["id"])).await?;
        running += u64::from(g["status"] == "running");
        linked += g["calls"].as_u64().unwrap_or(0);
    }
    let usage = get(&served.base, "/usage").await?;
    let ledgered: u64 = usage["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["step"] == "generation")
        .map(|r| r["calls"].as_u64().unwrap_or(0))
        .sum();
    Ok((
        statuses,
        running,
        ledgered.saturating_sub(linked),
        model.faults.load(Ordering::Relaxed),
        secs,
    ))
}

async fn faults(bin: &Path, n: u32, rate: f64) -> Result<()> {
    println!(
        "\n4. {n} concurrent generations against a model failing {:.0} % of requests (baseline: the same model not failing)",
        rate * 100.0
    );
    for (label, r) in [("no faults", 0.0), ("faults", rate)] {
        let (statuses, running, unlinked, injected, secs) = fault_run(bin, n, r).await?;
        let completed = statuses.iter().filter(|s| **s == 201).count();
        let failed = statuses.iter().filter(|s| **s == 502).count();
        let other = statuses.len() - completed - failed;
        println!(
            "   {label:<10} completed {completed}, failed (stored, 502) {failed}, other {other}, left running {running}, calls not linked {unlinked}, faults injected {injected}, {secs:.1} s"
        );
    }
    Ok(())
}

async fn connections(bin: &Path, n: u32) -> Result<()> {
    println!(
        "\n5. {n} idle and {n} slow (1 byte/s) connections (baseline: a connection kept busy)"
    );
    let home = Home::new(bin)?;
    let model = start_with(Plan::default()).await?;
    home.configure(&model)?;
    let served = home.serve()?;
    let addr = served.base.trim_start_matches("http://").to_string();
    let result = tokio::task::spawn_blocking(move || -> Result<(usize, usize, bool, f64)> {
        let started = Instant::now();
        let idle: Vec<TcpStream> = (0..n).map(|_| TcpStream::connect(&addr)).collect::<Result<_, _>>()?;
        let slow: Vec<TcpStream> = (0..n).map(|_| TcpStream::connect(&addr)).collect::<Result<_, _>>()?;
        let mut busy = TcpStream::connect(&addr)?;
        let wait = reelsmith_web::listen::HEADER_TIMEOUT + Duration::from_secs(5);
        let mut busy_ok = true;
        let mut tick = 0usize;
        while started.elapsed() < wait {
            for s in &slow {
                let mut s = s;
                let _ = s.write_all(&[b"GET /api/v1/health HTTP/1.1\r\nX: "[tick % 30]]);
            }
            busy_ok &= busy.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n").is_ok();
            let mut buf = [0u8; 1024];
            busy_ok &= busy.read(&mut buf).is_ok_and(|k| k > 0);
            tick += 1;
            std::thread::sleep(Duration::from_secs(1));
        }
        let open = |conns: &[TcpStream]| {
            conns
                .iter()
                .filter(|c| {
                    let _ = c.set_read_timeout(Some(Duration::from_millis(200)));
                    let mut buf = [0u8; 16];
                    let mut c = *c;
                    matches!(c.read(&mut buf), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock || e.kind() == std::io::ErrorKind::TimedOut)
                })
                .count()
        };
        Ok((open(&idle), open(&slow), busy_ok, started.elapsed().as_secs_f64()))
    })
    .await??;
    let (idle_open, slow_open, busy_ok, secs) = result;
    println!(
        "   after {secs:.0} s: idle still open {idle_open} of {n}, slow still open {slow_open} of {n}; the busy connection {}",
        if busy_ok {
            "was served throughout"
        } else {
            "FAILED"
        }
    );
    drop(served);
    Ok(())
}
