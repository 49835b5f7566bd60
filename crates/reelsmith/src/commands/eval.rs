//! `reelsmith eval hooks`: how well the hook-strength scorer picks real A/B winners, next to
//! reference scorers computed on the same pairs. The procedure that fits the shipped model is
//! developer tooling: `reelsmith-dev fit-hooks`.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, Subcommand};
use reelsmith::hook_eval::{HookEval, baselines, hook_inputs, print_report, read_rows, test_count};
use reelsmith_core::eval::{pairwise_accuracy, significant_pairs};
use reelsmith_core::score::hook_model::HookModel;

use crate::exit::UserError;

/// `eval` subcommands.
#[derive(Debug, Subcommand)]
pub enum EvalCmd {
    /// Pairwise winner accuracy of the hook scorer on Upworthy-format A/B test data.
    Hooks(HooksArgs),
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
    }
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
