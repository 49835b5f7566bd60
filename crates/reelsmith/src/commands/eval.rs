//! `reelsmith eval hooks`: how well the hook-strength scorer picks real A/B winners, next to
//! reference scorers computed on the same pairs. `reelsmith eval voice`: how often voice match
//! attributes a real speaker's snippet to that speaker, next to the TF-IDF baseline on the same
//! folds. `reelsmith eval coherence`: how often real scripts beat broken versions of themselves.
//! `reelsmith eval topic`: how well topic relevance tells a real text's own title from another's.
//! The procedures that fit the shipped models are developer tooling: `reelsmith-dev
//! fit-hooks`, `reelsmith-dev fit-voice`.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};
use reelsmith::hook_eval::{evaluate_hooks, print_report, read_rows};
use reelsmith::voice_eval::{
    CURVE_EXAMPLES, GO_TIME, TEXT_CAP_WORDS, read_corpus, read_scripts, run_condition,
};
use reelsmith_core::attribution::eval::Profiles;
use reelsmith_core::eval::significant_pairs;
use reelsmith_core::score::hook_fit::forward_split;

use crate::config::Loaded;
use crate::exit::UserError;

/// `eval` subcommands.
#[derive(Debug, Subcommand)]
pub enum EvalCmd {
    /// Pairwise winner accuracy of the hook scorer on Upworthy-format A/B test data.
    Hooks(HooksArgs),
    /// Leave-one-out top-1 authorship attribution of snippets by voice match, next to the TF-IDF
    /// character 3–5-gram baseline on the same folds.
    Voice(VoiceArgs),
    /// How often real scripts score higher than broken versions of themselves (shuffled, spliced,
    /// cut, ending in a fragment, repeating), next to the card before the coherence check.
    Coherence(CoherenceArgs),
    /// How often topic relevance ranks a real text's own title above another text's, and how often
    /// it calls each off-topic, next to the shared-content-words fallback on the same pairs.
    Topic(TopicArgs),
    /// Per-creator re-weighting of the viral dimensions on simulated creators: adoption, distance
    /// to the true weights, held-out rho next to the default weights'; and false adoption on pure
    /// noise.
    Calibration(CalibrationArgs),
    /// The A/B engine on seeded simulations (false winners in A/A tests, power, interval coverage
    /// for 2–10 posts per arm) and, with --data, against the Upworthy archive's z-tests.
    Experiments(ExperimentsArgs),
}

/// Arguments of `eval experiments`.
#[derive(Debug, Args)]
pub struct ExperimentsArgs {
    /// Upworthy-format CSV (clickability_test_id, headline, eyecatcher_id, impressions, clicks,
    /// test_week): the engine's verdicts against the archive's significant z-test winners.
    #[arg(long, value_name = "FILE.csv")]
    pub data: Option<PathBuf>,
    /// Simulated tests of each kind per posts-per-arm count (seeded).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(10..=100_000))]
    pub runs: u32,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `eval calibration`.
#[derive(Debug, Args)]
pub struct CalibrationArgs {
    /// Simulated creators per row (seeded: the same figures every run).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub creators: u16,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `eval topic`.
#[derive(Debug, Args)]
pub struct TopicArgs {
    /// Upworthy-format CSV with columns clickability_test_id, headline, lede (HTML): each lede is
    /// scored against its own headline and another article's.
    #[arg(long, value_name = "FILE.csv")]
    pub data: PathBuf,
    /// Score every week, not only the latest 20 % that `reelsmith-dev fit-topic` leaves out.
    #[arg(long)]
    pub all_weeks: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `eval coherence`.
#[derive(Debug, Args)]
pub struct CoherenceArgs {
    /// Folders or files of scripts (.md, .txt; `---` separates scripts, `+++` front matter is
    /// skipped; README files are not scripts). Repeat for several.
    #[arg(long, value_name = "DIR", required = true)]
    pub data: Vec<PathBuf>,
    /// Score without the sentence-embedding model (the order and topic checks then compare words).
    #[arg(long)]
    pub no_embeddings: bool,
    /// Longer texts are cut to their first whole sentences up to this many words (a script's length).
    #[arg(long, default_value_t = 150, value_parser = clap::value_parser!(u16).range(30..=2000))]
    pub max_words: u16,
    /// The files are transcripts with one speaker turn per line (the voices corpus): take each
    /// excerpt from within one turn (the first with four sentences and 80 words, else the
    /// longest), so the original is one stretch of speech, as a script is.
    #[arg(long)]
    pub turns: bool,
    /// Also read each text with the local language model (the order check), and
    /// report the same run without it as the baseline. About 3 s of CPU per text.
    #[arg(long)]
    pub lm: bool,
    /// Score an evenly spaced sample of this many scripts (every folder stays represented); default
    /// all. A `--lm` run over 480 excerpts takes hours on two cores.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(2..))]
    pub sample: Option<u32>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `eval voice`.
#[derive(Debug, Args)]
pub struct VoiceArgs {
    /// Folder with one sub-folder of texts per author (e.g. ../shared/data/voices): .txt, .md, .pdf,
    /// .docx, or .srt/.vtt captions, each file one text.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Authors (sub-folder names), comma-separated; `gotime` for the corpus README's eight Go Time
    /// speakers (the topic-controlled test); default every sub-folder.
    #[arg(long, value_delimiter = ',', value_name = "A,B,…")]
    pub authors: Vec<String>,
    /// Snippet length, words.
    #[arg(long, default_value_t = 150, value_parser = clap::value_parser!(u16).range(20..=2000))]
    pub words: u16,
    /// Skip the second condition (profiles from whole texts), which takes longer.
    #[arg(long)]
    pub snippets_only: bool,
    /// Also the learning curve: accuracy with profiles from only the first 3, 6, 12, 24 and 40 of
    /// each author's other snippets (how much example text a persona needs).
    #[arg(long)]
    pub curve: bool,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `eval hooks`.
#[derive(Debug, Args)]
pub struct HooksArgs {
    /// CSV with columns clickability_test_id, headline, eyecatcher_id, impressions, clicks, test_week.
    #[arg(long, value_name = "FILE.csv")]
    pub data: PathBuf,
    /// Fit on this file and test on `--data` (default: fit on the earliest 80 % of `--data`'s weeks
    /// and test on the rest).
    #[arg(long, value_name = "FILE.csv")]
    pub train: Option<PathBuf>,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs an `eval` subcommand.
pub fn run(cmd: EvalCmd, loaded: &Loaded) -> Result<()> {
    match cmd {
        EvalCmd::Hooks(args) => hooks(&args, loaded),
        EvalCmd::Voice(args) => voice(&args),
        EvalCmd::Coherence(args) => coherence(&args, loaded),
        EvalCmd::Topic(args) => topic(&args, loaded),
        EvalCmd::Calibration(args) => calibration(&args),
        EvalCmd::Experiments(args) => experiments(&args),
    }
}

fn experiments(args: &ExperimentsArgs) -> Result<()> {
    let r = reelsmith::experiment_eval::run(args.runs as usize, args.data.as_deref())?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(());
    }
    let pct = |x: f64| format!("{:.1} %", x * 100.0);
    println!(
        "A/B engine on simulated creators' tests ({} runs of each kind per row, seeded; two arms; post outcomes spread σ = 1 in log2 units):",
        args.runs
    );
    println!(
        "\n{:>14} {:>22} {:>24} {:>26}",
        "posts per arm",
        "A/A: false winners",
        "power (B doubles views)",
        "95 % lift interval covers"
    );
    for s in &r.simulations {
        println!(
            "{:>14} {:>22} {:>24} {:>26}",
            s.posts,
            pct(s.false_winners),
            pct(s.power_doubling),
            pct(s.coverage)
        );
    }
    println!(
        "\nGoals: false winners ≤ 5 %; coverage within ±2 points of 95 % (true effects drawn from the prior)."
    );
    if let Some(a) = &r.upworthy {
        let share = |n: usize, d: usize| if d == 0 { 0.0 } else { n as f64 / d as f64 };
        println!(
            "\nUpworthy headline tests (the impression is the unit; per-impression Beta model), {} same-image pairs:",
            a.significant + a.not_significant
        );
        println!(
            "  z-test significant (|z| ≥ 1.96): {} pairs — the engine names the same winner in {} ({}), the other arm in {} ({}), none in {}",
            a.significant,
            a.same_winner,
            pct(share(a.same_winner, a.significant)),
            a.other_winner,
            pct(share(a.other_winner, a.significant)),
            a.significant - a.same_winner - a.other_winner
        );
        println!(
            "  not significant: {} pairs — the engine names a winner in {} ({})",
            a.not_significant,
            a.engine_winner,
            pct(share(a.engine_winner, a.not_significant))
        );
    }
    Ok(())
}

fn calibration(args: &CalibrationArgs) -> Result<()> {
    use reelsmith::calibration_eval::{NOISE, TRUTH, run};
    let rows = run(usize::from(args.creators));
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    let f = |v: Option<f64>| v.map_or_else(|| "—".into(), |x| format!("{x:.2}"));
    println!(
        "Per-creator re-weighting on simulated creators ({} per row, seeded). Outcome: the true weights {TRUTH:?} \
         over nine dimensions drawn from 20–90, plus normal noise (sd {NOISE}, about the signal's).",
        args.creators
    );
    println!(
        "\n{:<12} {:>6} {:>9} {:>22} {:>14} {:>15}",
        "outcome", "posts", "adopted", "median max |w − true|", "held-out rho", "default (base)"
    );
    for r in &rows {
        println!(
            "{:<12} {:>6} {:>6}/{:<2} {:>22} {:>14} {:>15}",
            if r.signal { "known mix" } else { "pure noise" },
            r.posts,
            r.adopted,
            r.creators,
            f(r.median_max_error),
            f(r.held_out_fitted),
            f(r.held_out_default),
        );
    }
    println!(
        "\nAdopted: fitted weights put in force (held-out rho at least 0.05 above the defaults', the paired bootstrap interval of that gain and the held-out rho's own interval above 0). \
         Held-out rho: 5-fold cross-validated Spearman's rho of the fitted candidate; default: the default weights' rho on the same posts."
    );
    Ok(())
}

fn topic(args: &TopicArgs, loaded: &Loaded) -> Result<()> {
    use reelsmith::topic_eval::{MIN_LEDE_WORDS, forward_split, read_titled};
    let all = read_titled(&args.data)?;
    let (train, test) = forward_split(&all);
    let (items, split) = if args.all_weeks || test.len() < 2 {
        (all, "every week".to_string())
    } else {
        let first = test.iter().map(|t| t.week).min().unwrap_or_default();
        (
            test,
            format!(
                "weeks from {first}: the fit (reelsmith-dev fit-topic) used the {} texts before",
                train.len()
            ),
        )
    };
    if items.len() < 2 {
        return Err(UserError(format!(
            "{}: {} texts with a lede of at least {MIN_LEDE_WORDS} words — topic relevance needs two or more",
            args.data.display(),
            items.len(),
        ))
        .into());
    }
    let embedder = reelsmith::wiring::embedder(loaded).map_err(|e| {
        UserError(format!(
            "eval topic needs the sentence-embedding model: {e} — run scripts/install-deps.sh"
        ))
    })?;
    let mut report = reelsmith::topic_eval::evaluate(&items, &embedder);
    report.split = split;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        reelsmith::topic_eval::print_report(&report, &args.data);
    }
    Ok(())
}

fn coherence(args: &CoherenceArgs, loaded: &Loaded) -> Result<()> {
    let reader = super::document_reader()?;
    let mut scripts = read_scripts(&args.data, usize::from(args.max_words), args.turns, &reader)?;
    if let Some(n) = args
        .sample
        .map(|n| n as usize)
        .filter(|n| *n < scripts.len())
    {
        let all = std::mem::take(&mut scripts);
        scripts = (0..n).map(|i| all[i * all.len() / n].clone()).collect();
    }
    let lm = super::likelihood_model(loaded, args.lm)?;
    let embedder = if args.no_embeddings {
        None
    } else {
        Some(reelsmith::wiring::embedder(loaded).map_err(|e| {
            UserError(format!(
                "{e} — run scripts/install-deps.sh, or pass --no-embeddings"
            ))
        })?)
    };
    let report = reelsmith_core::score::perturb::evaluate(
        &scripts,
        embedder
            .as_ref()
            .map(|e| e as &dyn reelsmith_core::embed::Embedder),
        lm.as_ref()
            .map(|l| l as &dyn reelsmith_core::score::likelihood::LikelihoodModel),
    );
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "Coherence: {} real scripts, each against broken versions of itself — how often the original scores higher ({})",
        scripts.len(),
        report
            .embedding_model
            .as_deref()
            .map_or("no embedding model: words only".to_string(), |m| format!(
                "sentence embeddings: {m}"
            ))
    );
    if let Some(m) = &report.language_model {
        println!("language model: {m} (the column without it is this run's baseline)");
    }
    let lm_col = |v: Option<f64>| v.map_or(String::new(), |v| format!("  {:>9.1}%", v * 100.0));
    println!(
        "{:<26} {:>6}  {:>9}  {:>7}  {:>22}{}",
        "perturbation",
        "pairs",
        "coherence",
        "overall",
        "baseline (old quality)",
        if report.language_model.is_some() {
            "  without LM"
        } else {
            ""
        }
    );
    for r in &report.rows {
        println!(
            "{:<26} {:>6}  {:>8.1}%  {:>6.1}%  {:>21.1}%{}",
            r.label,
            r.pairs,
            r.coherence * 100.0,
            r.overall * 100.0,
            r.baseline_quality * 100.0,
            lm_col(r.without_lm)
        );
    }
    println!(
        "originals the card calls not fit to post (false alarms): {} of {}",
        report.originals_unfit, report.scripts
    );
    Ok(())
}

fn voice(args: &VoiceArgs) -> Result<()> {
    let authors: Vec<String> = if args.authors.iter().any(|a| a == "gotime") {
        GO_TIME.iter().map(|s| (*s).to_string()).collect()
    } else {
        args.authors.clone()
    };
    let corpus = read_corpus(&args.data, &authors, &super::document_reader()?)?;
    let words = usize::from(args.words);
    let fewest = (0..corpus.authors.len())
        .map(|a| corpus.texts.iter().filter(|(t, _)| *t == a).count())
        .min()
        .unwrap_or(0);
    let mut plan: Vec<Profiles> = if args.curve {
        CURVE_EXAMPLES
            .iter()
            .filter(|&&k| k < fewest.saturating_sub(1))
            .map(|&k| Profiles::Examples(k))
            .collect()
    } else {
        Vec::new()
    };
    plan.push(Profiles::Snippets);
    if !args.snippets_only {
        plan.push(Profiles::Texts(TEXT_CAP_WORDS));
    }
    let conditions: Vec<_> = plan
        .into_iter()
        .map(|p| run_condition(&corpus, words, p).0)
        .collect();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "authors": corpus.authors,
                "texts": corpus.texts.len(),
                "snippet_words": words,
                "weights": reelsmith_core::attribution::weights().fitted,
                "conditions": conditions,
            }))?
        );
        return Ok(());
    }
    println!(
        "Authorship attribution, leave-one-out: {} authors, {} texts, the first {words} words of each (chance {:.1} %)",
        corpus.authors.len(),
        corpus.texts.len(),
        100.0 / corpus.authors.len() as f64
    );
    println!(
        "voice-match weights: {}",
        reelsmith_core::attribution::weights().fitted
    );
    for c in &conditions {
        println!(
            "\nprofiles from {} ({} words a voice):",
            c.profiles, c.profile_words
        );
        println!(
            "  reelsmith voice match   {:5.1} % top-1",
            c.reelsmith * 100.0
        );
        println!(
            "  … each persona alone     {:5.1} % top-1 (no other persona in the workspace)",
            c.alone * 100.0
        );
        println!(
            "  TF-IDF char 3–5 centroid {:5.1} % top-1 (baseline, same folds)",
            c.baseline * 100.0
        );
        let per: Vec<String> = c
            .per_author
            .iter()
            .map(|(a, r)| format!("{a} {:.0} %", r * 100.0))
            .collect();
        println!("  per author: {}", per.join(", "));
        println!("  {} snippets in {:.0} s", c.snippets, c.seconds);
    }
    if args.curve {
        println!("\nlearning curve: top-1 by words of examples a voice");
        println!("  words a voice   reelsmith   baseline");
        for c in &conditions {
            println!(
                "  {:>13}   {:7.1} %   {:6.1} %",
                c.profile_words,
                c.reelsmith * 100.0,
                c.baseline * 100.0
            );
        }
    }
    Ok(())
}

fn hooks(args: &HooksArgs, loaded: &Loaded) -> Result<()> {
    // Pairs never straddle the two files: each file's tests are paired on their own.
    let data_rows = read_rows(&args.data)?;
    let (rows, train, test, separate) = match &args.train {
        Some(path) => {
            let mut rows = read_rows(path)?;
            let n = rows.len();
            let train = significant_pairs(&rows);
            let test: Vec<_> = significant_pairs(&data_rows)
                .into_iter()
                .map(|mut p| {
                    p.winner += n;
                    p.loser += n;
                    p
                })
                .collect();
            rows.extend(data_rows);
            (rows, train, test, true)
        }
        None => {
            let (train, test) = forward_split(&significant_pairs(&data_rows));
            (data_rows, train, test, false)
        }
    };
    if train.is_empty() || test.is_empty() {
        return Err(UserError(format!(
            "{}: {} significant pairs to fit on and {} to test on (same test and image, ≥100 impressions each, |z| ≥ 1.96) — give more weeks of tests, or --train FILE",
            args.data.display(),
            train.len(),
            test.len()
        ))
        .into());
    }
    let embedder = reelsmith::wiring::embedder(loaded).map_err(|e| {
        UserError(format!(
            "eval hooks needs the sentence-embedding model: {e} — run scripts/install-deps.sh"
        ))
    })?;
    let report = evaluate_hooks(&rows, &train, &test, &embedder, separate)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report);
    }
    Ok(())
}
