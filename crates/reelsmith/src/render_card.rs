//! The score card as terminal text.

use std::fmt::Write;

use reelsmith_core::score::{Dimension, OVERALL_WEIGHTS, ScoreCard};

fn label(name: &str) -> String {
    name.replace('_', " ")
}

fn dimension(out: &mut String, indent: usize, d: &Dimension, width: usize) {
    let pad = " ".repeat(indent);
    let _ = write!(out, "{pad}{:<width$} {:>3.0}", label(&d.name), d.score);
    let cont = " ".repeat(indent + width + 5);
    for (i, r) in d.reasons.iter().enumerate() {
        if i == 0 {
            let _ = writeln!(out, "  {r}");
        } else {
            let _ = writeln!(out, "{cont}{r}");
        }
    }
    if d.reasons.is_empty() {
        out.push('\n');
    }
}

/// Renders one score card. `source` names the draft; `against` names the persona, if any.
pub fn card(source: &str, c: &ScoreCard, against: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Score card — {source} · {} words · {} ({}){}",
        c.words,
        c.language.name,
        c.language.code,
        against
            .map(|a| format!(" · against persona {a}"))
            .unwrap_or_default()
    );
    if !c.unfit.is_empty() {
        let _ = writeln!(out, "NOT FIT TO POST: {}", c.unfit.join(", "));
    }
    let weights: Vec<String> = OVERALL_WEIGHTS
        .iter()
        .filter(|(n, _)| *n != "voice" || c.voice.is_some())
        .map(|(n, w)| {
            let n = if *n == "timing" && c.format.is_some() {
                "format"
            } else {
                n
            };
            format!("{n} {:.0} %", w * 100.0)
        })
        .collect();
    let _ = writeln!(
        out,
        "OVERALL {:.0}/100  (weights {}{})",
        c.overall,
        weights.join(" · "),
        if c.voice.is_none() {
            ", renormalised without voice"
        } else {
            ""
        }
    );
    for n in &c.notes {
        let _ = writeln!(out, "Note: {n}");
    }
    out.push('\n');
    // A text post is scored on its format; a video script on its spoken timing.
    dimension(
        &mut out,
        0,
        c.format.as_ref().unwrap_or(&c.timing.dimension),
        13,
    );
    dimension(&mut out, 0, &c.quality, 13);
    if let Some(coh) = &c.coherence {
        dimension(&mut out, 0, &coh.dimension, 13);
    }
    if let Some(b) = c.brief.as_ref().filter(|b| {
        b.topic.is_some()
            || !b.requirements.is_empty()
            || b.wrong_language.is_some()
            || b.content_type.is_some()
            || !b.platform.is_empty()
    }) {
        dimension(&mut out, 0, &b.dimension, 13);
    }
    let weights: Vec<String> = c
        .viral
        .weights
        .iter()
        .map(|(n, w)| format!("{} {:.0} %", label(n), w * 100.0))
        .collect();
    let _ = writeln!(
        out,
        "{:<13} {:>3.0}  weighted: {}",
        "viral",
        c.viral.overall,
        weights.join(", ")
    );
    for d in &c.viral.dimensions {
        dimension(&mut out, 2, d, 19);
    }
    if let Some(v) = &c.voice {
        let emb = v.embedding.map_or("n/a".to_string(), |e| format!("{e:.0}"));
        let how = match &v.attribution {
            Some(_) if v.competitors.is_empty() => {
                "authorship attribution against the persona's own scripts".to_string()
            }
            Some(_) => format!(
                "authorship attribution against {} other persona(s)",
                v.competitors.len()
            ),
            None => "writing statistics and embeddings".to_string(),
        };
        let _ = writeln!(
            out,
            "{:<13} {:>3.0}  {how}; writing statistics {:.0}, embedding {emb}",
            "voice match", v.score, v.stylometric
        );
        for r in &v.reasons {
            let _ = writeln!(out, "{}{r}", " ".repeat(19));
        }
        for e in &v.closest {
            let _ = writeln!(
                out,
                "{}closest example: {} ({}) — cosine {:.2}",
                " ".repeat(19),
                e.title.as_deref().unwrap_or("untitled"),
                e.source,
                e.similarity
            );
        }
    }
    out
}
