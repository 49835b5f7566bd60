//! `reelsmith eval topic`: does topic relevance tell a text's own title from another text's? Real
//! texts with their titles: the ledes (opening paragraphs) of the Upworthy archive's articles with
//! the headline tested on them. Each lede is scored against its own headline and against the
//! headline of another article (the one half the list away, so never a variant of its own), by the
//! card's topic check, next to the card's no-model fallback (shared content words) on the same pairs.
//!
//! The topic constants (`reelsmith_core::score::brief`) are fitted by `reelsmith-dev fit-topic` on
//! the earliest 80 % of the file's test weeks; `eval topic` reports on the remaining weeks, which
//! the fit never sees (the same forward split as `eval hooks`).

use std::collections::HashSet;
use std::path::Path;

use anyhow::Result;
use reelsmith_core::embed::Embedder;
use reelsmith_core::score::{EmbedderRef, ScoreRequest, score};
use serde::{Deserialize, Serialize};

use reelsmith_core::score::hook_fit::forward_cut;

/// Ledes shorter than this are skipped, words (a one-line "Watch this." has no topic to judge).
pub const MIN_LEDE_WORDS: usize = 12;
/// Ledes are cut to their first whole sentences up to this many words (a script's length).
pub const MAX_LEDE_WORDS: usize = 150;

/// A text and its title.
#[derive(Debug, Clone, PartialEq)]
pub struct Titled {
    /// The title (the topic a creator would give).
    pub title: String,
    /// The text, plain.
    pub text: String,
    /// The test week it ran in (`YYYYWW`).
    pub week: u32,
}

#[derive(Deserialize)]
struct CsvRow {
    clickability_test_id: String,
    headline: String,
    #[serde(default)]
    lede: String,
    test_week: u32,
}

/// One lede per test with the headline of the row it came from, HTML turned into plain text,
/// identical ledes kept once, ledes under [`MIN_LEDE_WORDS`] skipped.
///
/// # Errors
/// [`crate::exit::UserError`] when the file cannot be read or a row lacks the columns.
pub fn read_titled(path: &Path) -> Result<Vec<Titled>> {
    let rows: Vec<CsvRow> =
        crate::hook_eval::read_upworthy(path, "clickability_test_id, headline, lede, test_week")?;
    let mut tests = HashSet::new();
    let mut ledes = HashSet::new();
    let mut out = Vec::new();
    for r in rows {
        if r.lede.trim().is_empty() || tests.contains(&r.clickability_test_id) {
            continue;
        }
        let text = plain_text(&r.lede);
        let text = reelsmith_core::score::perturb::excerpt(&text, MAX_LEDE_WORDS);
        if text.split_whitespace().count() < MIN_LEDE_WORDS || !ledes.insert(text.clone()) {
            continue;
        }
        tests.insert(r.clickability_test_id);
        out.push(Titled {
            title: r.headline.trim().to_string(),
            text,
            week: r.test_week,
        });
    }
    Ok(out)
}

/// The texts of the earliest 80 % of test weeks (to fit on) and of the rest (to test on).
pub fn forward_split(items: &[Titled]) -> (Vec<Titled>, Vec<Titled>) {
    match forward_cut(items.iter().map(|t| t.week)) {
        Some(cut) => items.iter().cloned().partition(|t| t.week < cut),
        None => (items.to_vec(), Vec::new()),
    }
}

/// One text scored against its own title and another's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judged {
    /// Best-sentence similarity to its own title.
    pub own: f64,
    /// Best-sentence similarity to the other title.
    pub other: f64,
    /// Whether the card calls it off-topic for its own title.
    pub own_off_topic: bool,
    /// Whether the card calls it off-topic for the other title.
    pub other_off_topic: bool,
}

/// Each text's card topic check against its own title and the title half the list away, by
/// meaning with `model`, else by shared content words.
pub fn judge(items: &[Titled], model: Option<&dyn Embedder>) -> Vec<Judged> {
    let n = items.len();
    let check = |text: &str, title: &str| {
        let card = score(&ScoreRequest {
            text,
            language: Some("en"),
            topic: Some(title),
            embedder: model.map(EmbedderRef),
            ..Default::default()
        });
        card.brief
            .and_then(|b| b.topic)
            .map_or((0.0, false), |t| (t.similarity, t.off_topic))
    };
    items
        .iter()
        .enumerate()
        .map(|(k, item)| {
            let (own, own_off_topic) = check(&item.text, &item.title);
            let (other, other_off_topic) = check(
                &item.text,
                &items[reelsmith_core::score::perturb::unrelated(k, n)].title,
            );
            Judged {
                own,
                other,
                own_off_topic,
                other_off_topic,
            }
        })
        .collect()
}

/// HTML as plain text on one line (html2text, without decoration).
fn plain_text(html: &str) -> String {
    let text = html2text::config::plain_no_decorate()
        .string_from_read(html.as_bytes(), 10_000)
        .unwrap_or_else(|_| html.to_string());
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One scorer's figures.
#[derive(Debug, Clone, Serialize)]
pub struct TopicRow {
    /// The scorer.
    pub scorer: String,
    /// Share of texts whose own title gets the higher relevance (ties count one half), 0–1.
    pub ranking: f64,
    /// Share of own titles called off-topic (false alarms), 0–1; `None` when the scorer never calls.
    pub own_off_topic: Option<f64>,
    /// Share of other texts' titles called off-topic (detections), 0–1.
    pub other_off_topic: Option<f64>,
    /// Median best-sentence similarity to the own title.
    pub own_median: f64,
    /// Median best-sentence similarity to the other title.
    pub other_median: f64,
}

/// What `eval topic` reports.
#[derive(Debug, Clone, Serialize)]
pub struct TopicEval {
    /// Texts scored (each against two titles).
    pub texts: usize,
    /// Which texts: the weeks tested on.
    pub split: String,
    /// The off-topic threshold in force (best-sentence cosine).
    pub off_topic_below: f64,
    /// The card's topic check with the embedding model, then the no-model fallback.
    pub rows: Vec<TopicRow>,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(0.0)
}

/// Judges the texts with `embedder` and with the content-word fallback and sums up each.
pub fn evaluate(items: &[Titled], embedder: &dyn Embedder) -> TopicEval {
    let n = items.len().max(1) as f64;
    let rows = [
        (
            format!("reelsmith topic relevance ({})", embedder.model()),
            Some(embedder),
        ),
        ("shared content words (no model)".to_string(), None),
    ]
    .into_iter()
    .map(|(scorer, model)| {
        let judged = judge(items, model);
        let right: f64 = judged
            .iter()
            .map(|j| match j.own.total_cmp(&j.other) {
                std::cmp::Ordering::Greater => 1.0,
                std::cmp::Ordering::Equal => 0.5,
                std::cmp::Ordering::Less => 0.0,
            })
            .sum();
        let share = |f: fn(&Judged) -> bool| judged.iter().filter(|j| f(j)).count() as f64 / n;
        TopicRow {
            scorer,
            ranking: right / n,
            own_off_topic: model.map(|_| share(|j| j.own_off_topic)),
            other_off_topic: model.map(|_| share(|j| j.other_off_topic)),
            own_median: median(judged.iter().map(|j| j.own).collect()),
            other_median: median(judged.iter().map(|j| j.other).collect()),
        }
    })
    .collect();
    TopicEval {
        texts: items.len(),
        split: String::new(),
        off_topic_below: reelsmith_core::score::brief::OFF_TOPIC_BELOW,
        rows,
    }
}

/// Prints the report as a table.
pub fn print_report(r: &TopicEval, source: &Path) {
    println!(
        "Topic relevance: {} real texts from {} ({}), each against its own title and another text's (off-topic below a best-sentence cosine of {:.2})",
        r.texts,
        source.display(),
        r.split,
        r.off_topic_below
    );
    println!(
        "{:<48} {:>10} {:>12} {:>12} {:>10} {:>10}",
        "scorer", "own first", "own called", "other called", "own med.", "other med."
    );
    println!(
        "{:<48} {:>10} {:>12} {:>12} {:>10} {:>10}",
        "", "", "off-topic", "off-topic", "similarity", "similarity"
    );
    let pct = |x: Option<f64>| x.map_or("—".to_string(), |v| format!("{:.1} %", v * 100.0));
    for row in &r.rows {
        println!(
            "{:<48} {:>8.1} % {:>12} {:>12} {:>10.2} {:>10.2}",
            row.scorer,
            row.ranking * 100.0,
            pct(row.own_off_topic),
            pct(row.other_off_topic),
            row.own_median,
            row.other_median
        );
    }
    println!(
        "own first: the text's own title gets the higher relevance (ties count one half); the no-model fallback never calls a text off-topic"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledes_become_plain_text_once_per_test_and_weeks_split_forward() -> anyhow::Result<()> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("ledes.csv");
        let long = "<p>Night nurses sleep &amp; eat on a schedule their bodies fight, and the fix starts with light.</p><br>";
        let rows = [
            format!("a,Why Night Nurses Never Sleep,\"{long}\",201401"),
            // A second row of the same test: skipped.
            format!("a,Another Headline,\"{long}\",201401"),
            // The same lede in another test: kept once.
            format!("b,Same Lede Again,\"{long}\",201402"),
            "c,Too Short,<p>Watch this.</p>,201403".to_string(),
            "d,No Lede,,201404".to_string(),
            "e,Budgets Fail In Week Two,\"<p>Most budgets fail in the second week because nobody reviews them, so set ten minutes every Sunday.</p>\",201405".to_string(),
        ];
        std::fs::write(
            &path,
            format!(
                "clickability_test_id,headline,lede,test_week\n{}\n",
                rows.join("\n")
            ),
        )?;
        let items = read_titled(&path)?;
        assert_eq!(items.len(), 2, "{items:?}");
        assert_eq!(items[0].title, "Why Night Nurses Never Sleep");
        assert!(
            items[0].text.starts_with("Night nurses sleep & eat") && !items[0].text.contains('<'),
            "{}",
            items[0].text
        );
        assert_eq!(items[1].week, 201405);
        let (fit, test) = forward_split(&items);
        assert_eq!((fit.len(), test.len()), (1, 1));
        assert!(fit[0].week < test[0].week);

        std::fs::write(&path, "headline\nx\n")?;
        let err = read_titled(&path)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("row 2") && err.contains("test_week"), "{err}");
        Ok(())
    }
}
