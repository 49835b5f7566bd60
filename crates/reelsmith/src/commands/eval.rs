//! `reelsmith eval hooks`: how well the hook-strength scorer picks real A/B winners, next to
//! reference scorers computed on the same pairs. `reelsmith eval voice`: how often voice match
//! attributes a real speaker's snippet to that speaker, next to the TF-IDF baseline on the same
//! folds. The procedures that fit the shipped models are developer tooling: `reelsmith-dev
//! fit-hooks`, `reelsmith-dev fit-voice`.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};
use reelsmith::hook_eval::{HookEval, baselines, hook_inputs, print_report, read_rows, test_count};
use reelsmith::voice_eval::{GO_TIME, TEXT_CAP_WORDS, read_corpus, read_scripts, run_condition};
use reelsmith_core::attribution::eval::Profiles;
use reelsmith_core::eval::{pairwise_accuracy, significant_pairs};
use reelsmith_core::score::hook_model::HookModel;

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
}

/// Arguments of `eval coherence`.
#[derive(Debug, Args)]
pub struct CoherenceArgs {
    /// Folders or files of scripts (.md, .txt; `---` separates scripts, `+++` front matter is
    /// skipped; README files are not scripts). Repeat for several.
    #[arg(long, value_name = "DIR", required = true)]
    pub data: Vec<PathBuf>,
    /// Longer texts are cut to their first whole sentences up to this many words (a script's length).
    #[arg(long, default_value_t = 150, value_parser = clap::value_parser!(u16).range(30..=2000))]
    pub max_words: u16,
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `eval voice`.
#[derive(Debug, Args)]
pub struct VoiceArgs {
    /// Folder with one sub-folder of .txt files per author (e.g. ../shared/data/voices).
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
    /// Print JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs an `eval` subcommand.
pub fn run(cmd: EvalCmd) -> Result<()> {
    match cmd {
        EvalCmd::Hooks(args) => hooks(&args),
        EvalCmd::Voice(args) => voice(&args),
        EvalCmd::Coherence(args) => coherence(&args),
    }
}

fn coherence(args: &CoherenceArgs) -> Result<()> {
    let scripts = read_scripts(&args.data, usize::from(args.max_words))?;
    let report = reelsmith_core::score::perturb::evaluate(&scripts);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "Coherence: {} real scripts, each against broken versions of itself — how often the original scores higher",
        scripts.len()
    );
    println!(
        "{:<26} {:>6}  {:>9}  {:>7}  {:>22}",
        "perturbation", "pairs", "coherence", "overall", "baseline (old quality)"
    );
    for r in &report.rows {
        println!(
            "{:<26} {:>6}  {:>8.1}%  {:>6.1}%  {:>21.1}%",
            r.label,
            r.pairs,
            r.coherence * 100.0,
            r.overall * 100.0,
            r.baseline_quality * 100.0
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
    let corpus = read_corpus(&args.data, &authors)?;
    let words = usize::from(args.words);
    let mut conditions = vec![run_condition(&corpus, words, Profiles::Snippets).0];
    if !args.snippets_only {
        conditions.push(run_condition(&corpus, words, Profiles::Texts(TEXT_CAP_WORDS)).0);
    }
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
        println!("\nprofiles from {}:", c.profiles);
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
    Ok(())
}

fn hooks(args: &HooksArgs) -> Result<()> {
    let rows = read_rows(&args.data)?;
    let pairs = significant_pairs(&rows);
    if pairs.is_empty() {
        return Err(UserError(format!(
            "{}: no significant pairs (same test and image, ≥100 impressions each, |z| ≥ 1.96) — nothing to evaluate",
            args.data.display()
        ))
        .into());
    }
    let (x, tokens) = hook_inputs(&rows);
    let model = HookModel::default_model();
    let report = HookEval {
        accuracy: pairwise_accuracy(&pairs, |i| {
            model.raw(&x[i]) + model.vocabulary_score(&tokens[i])
        }),
        pairs: pairs.len(),
        tests: test_count(&rows),
        model: format!("shipped: {}", model.source),
        fold_accuracy: Vec::new(),
        forward_accuracy: None,
        baselines: baselines(&rows, &pairs),
        note: Some(format!(
            "the shipped model was fitted on {} pairs of the Upworthy training split; on that file this accuracy is in-sample and overstates it — its honest, cross-validated figure is {} (`reelsmith-dev fit-hooks` reproduces it); on other data this accuracy is out-of-sample",
            model.pairs,
            model
                .cv_accuracy
                .map_or_else(|| "unknown".to_string(), |a| format!("{:.1} %", a * 100.0))
        )),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report);
    }
    Ok(())
}
