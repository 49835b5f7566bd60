//! Broken versions of real scripts, for `reelsmith eval coherence`: each perturbation must score lower
//! than the script it came from. Deterministic: the `k`-th script's perturbations use a generator
//! seeded with `k`.

use serde::Serialize;

use crate::text::sentences;

/// How a script is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Perturbation {
    /// Its sentences in a random other order.
    Shuffled,
    /// Its first half followed by the second half of an unrelated script.
    Spliced,
    /// Cut inside one of its later sentences, without end punctuation.
    Cut,
    /// Cut inside one of its later sentences right after a word that cannot end a sentence, with a
    /// full stop added (as the local model wrote "…put your bag on a.").
    Fragment,
    /// One or two of its sentences said again right after themselves.
    Repeated,
}

/// Every perturbation, in report order.
pub const ALL: [Perturbation; 5] = [
    Perturbation::Shuffled,
    Perturbation::Spliced,
    Perturbation::Cut,
    Perturbation::Fragment,
    Perturbation::Repeated,
];

impl Perturbation {
    /// Its name in reports.
    pub fn label(self) -> &'static str {
        match self {
            Perturbation::Shuffled => "sentences shuffled",
            Perturbation::Spliced => "spliced from two scripts",
            Perturbation::Cut => "cut mid-sentence",
            Perturbation::Fragment => "ends in a fragment",
            Perturbation::Repeated => "repeats itself",
        }
    }
}

/// A xorshift generator: reproducible on every platform.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

/// The script as the perturbations see it: its sentences joined by single spaces (so the original
/// and its perturbations differ only in what was done to them, not in line breaks).
pub fn normalised(text: &str) -> String {
    sentences(text).join(" ")
}

/// The first whole sentences of `text` up to `max_words` words (at least one sentence): a
/// script-length excerpt of a long transcript.
pub fn excerpt(text: &str, max_words: usize) -> String {
    let mut out: Vec<&str> = Vec::new();
    let mut words = 0;
    for s in sentences(text) {
        let w = s.split_whitespace().count();
        if !out.is_empty() && words + w > max_words {
            break;
        }
        out.push(s);
        words += w;
    }
    out.join(" ")
}

/// Fewest sentences and words a transcript turn needs to stand as a script-like excerpt: four
/// sentences (what [`perturb`] needs) and 80 words (a 30-second script at the platforms' 150–160 WPM).
pub const MIN_TURN_SENTENCES: usize = 4;
/// See [`MIN_TURN_SENTENCES`], words.
pub const MIN_TURN_WORDS: usize = 80;

/// A script-length excerpt of a transcript with one speaker turn per line: the [`excerpt`] of its
/// first turn with at least [`MIN_TURN_SENTENCES`] sentences and [`MIN_TURN_WORDS`] words, else of
/// its longest turn (by words). Across turns a speaker answers different questions with the other
/// speakers' lines removed, so an excerpt spanning turns is no coherent original to break.
pub fn turn_excerpt(text: &str, max_words: usize) -> String {
    let turns: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let fits = |t: &&str| {
        sentences(t).len() >= MIN_TURN_SENTENCES && t.split_whitespace().count() >= MIN_TURN_WORDS
    };
    let turn = turns
        .iter()
        .find(|t| fits(t))
        .or_else(|| turns.iter().max_by_key(|t| t.split_whitespace().count()));
    turn.map_or(String::new(), |t| excerpt(t, max_words))
}

/// The text paired with the `k`-th of `n` as unrelated: the one half the list away (never itself
/// when `n` ≥ 2), so neighbours — often from one source — are not paired.
pub fn unrelated(k: usize, n: usize) -> usize {
    (k + n / 2).max(k + 1) % n.max(1)
}

/// `scripts[k]` broken by `how`, or `None` when it is too short for it (fewer than four sentences,
/// or no word to cut after). `lang` picks the words that cannot end a sentence.
pub fn perturb(scripts: &[String], k: usize, how: Perturbation, lang: &str) -> Option<String> {
    let s = sentences(&scripts[k]);
    let n = s.len();
    if n < 4 {
        return None;
    }
    let mut rng = Rng(0x2545_F491_4F6C_DD1D ^ (k as u64 + 1).wrapping_mul(0x9E37_79B9));
    match how {
        Perturbation::Shuffled => {
            let mut order: Vec<usize> = (0..n).collect();
            while order.iter().enumerate().all(|(i, o)| i == *o) {
                for i in (1..n).rev() {
                    order.swap(i, rng.below(i + 1));
                }
            }
            Some(order.iter().map(|i| s[*i]).collect::<Vec<_>>().join(" "))
        }
        Perturbation::Spliced => {
            if scripts.len() < 2 {
                return None;
            }
            let other = unrelated(k, scripts.len());
            let o = sentences(&scripts[other]);
            let mut out: Vec<&str> = s[..n / 2].to_vec();
            out.extend(&o[o.len() / 2..]);
            Some(out.join(" "))
        }
        Perturbation::Cut | Perturbation::Fragment => {
            // A sentence in the second half, cut after one of its words (not the last).
            let candidates: Vec<(usize, usize)> = (n / 2..n)
                .flat_map(|i| {
                    let words: Vec<&str> = s[i].split_whitespace().collect();
                    (1..words.len().saturating_sub(1)).map(move |w| (i, w))
                })
                .filter(|(i, w)| {
                    how == Perturbation::Cut || {
                        let word = s[*i].split_whitespace().nth(w - 1).unwrap_or("");
                        let bare = word
                            .trim_matches(|c: char| !c.is_alphanumeric())
                            .to_lowercase();
                        word.chars().last().is_some_and(char::is_alphanumeric)
                            && super::coherence::never_final(lang).contains(&bare.as_str())
                    }
                })
                .collect();
            if candidates.is_empty() {
                return None;
            }
            let (i, w) = candidates[rng.below(candidates.len())];
            let kept: Vec<&str> = s[i].split_whitespace().take(w).collect();
            let mut last = kept.join(" ");
            last = last
                .trim_end_matches(|c: char| !c.is_alphanumeric())
                .to_string();
            if how == Perturbation::Fragment {
                last.push('.');
            }
            let mut out: Vec<String> = s[..i].iter().map(|x| (*x).to_string()).collect();
            out.push(last);
            Some(out.join(" "))
        }
        Perturbation::Repeated => {
            let span = 1 + rng.below(2);
            let at = rng.below(n - span + 1);
            let mut out: Vec<&str> = s[..at + span].to_vec();
            out.extend(&s[at..at + span]);
            out.extend(&s[at + span..]);
            Some(out.join(" "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scripts() -> Vec<String> {
        vec![
            "Coffee after 3am wrecks your sleep. Caffeine lasts six hours. So the cup still works at 9. Stop at midnight instead. Follow for more.".into(),
            "Budgets fail in week two. The fix is a weekly review. Ten minutes on Sunday. Check every category. Save this for Sunday.".into(),
        ]
    }

    #[test]
    fn every_perturbation_changes_the_script_and_is_reproducible() {
        let s = scripts();
        for how in ALL {
            let a = perturb(&s, 0, how, "en").unwrap_or_default();
            assert!(!a.is_empty(), "{how:?}");
            assert_ne!(a, normalised(&s[0]), "{how:?}");
            assert_eq!(Some(a), perturb(&s, 0, how, "en"), "{how:?}");
        }
        let spliced = perturb(&s, 0, Perturbation::Spliced, "en").unwrap_or_default();
        assert!(spliced.starts_with("Coffee") && spliced.ends_with("Save this for Sunday."));
        let fragment = perturb(&s, 0, Perturbation::Fragment, "en").unwrap_or_default();
        assert!(
            fragment.ends_with("the.") || fragment.ends_with("at.") || fragment.ends_with(" a."),
            "{fragment}"
        );
        let cut = perturb(&s, 0, Perturbation::Cut, "en").unwrap_or_default();
        assert!(
            cut.chars().last().is_some_and(char::is_alphanumeric),
            "{cut}"
        );
        assert_eq!(
            perturb(&["One. Two.".to_string()], 0, Perturbation::Shuffled, "en"),
            None
        );
    }

    #[test]
    fn excerpts_keep_whole_sentences() {
        assert_eq!(
            excerpt("One two three. Four five six. Seven.", 4),
            "One two three."
        );
        assert_eq!(
            excerpt("A very long single sentence here.", 2),
            "A very long single sentence here."
        );
    }

    #[test]
    fn a_turn_excerpt_stays_within_one_turn() {
        let long = "We shipped it. ".repeat(30);
        let text = format!("Hi. Yes.\n{long}\nAnother turn here. Two. Three. Four.");
        let got = turn_excerpt(&text, 150);
        assert!(got.starts_with("We shipped it.") && !got.contains("Another"));
        // No turn long enough: the longest one.
        assert_eq!(
            turn_excerpt("Hi.\nA bit longer. Yes.", 150),
            "A bit longer. Yes."
        );
        assert_eq!(turn_excerpt("", 150), "");
    }
}

/// How often the original scored higher than its perturbation, for one perturbation.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The perturbation.
    pub perturbation: Perturbation,
    /// Its name.
    pub label: &'static str,
    /// Pairs compared (scripts long enough for it).
    pub pairs: usize,
    /// Share of pairs where the original's coherence score is higher, 0–1.
    pub coherence: f64,
    /// Share where the original's overall score is higher, 0–1.
    pub overall: f64,
    /// Share where the original's quality score *before coherence* is higher (the baseline: the
    /// card as it was), 0–1.
    pub baseline_quality: f64,
    /// With a language model: the share where the original's coherence score *without* it is
    /// higher (the same-run baseline), 0–1.
    pub without_lm: Option<f64>,
    /// The pairs the coherence score got wrong (the original not higher), for inspection.
    pub misses: Vec<Miss>,
}

/// A pair where the original's coherence score was not higher than its broken version's.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    /// The script's index among those evaluated (0-based, in reading order).
    pub script: usize,
    /// The original's coherence score, 0–100.
    pub original: f64,
    /// The broken version's coherence score, 0–100.
    pub broken: f64,
    /// The broken version's text.
    pub text: String,
}

/// The evaluation: one row per perturbation, and the originals the card wrongly calls unfit.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Scripts evaluated.
    pub scripts: usize,
    /// The scripts as scored (each normalised: its sentences joined by single spaces), which
    /// [`Miss::script`] indexes.
    pub texts: Vec<String>,
    /// The embedding model used for the order and topic checks, if any.
    pub embedding_model: Option<String>,
    /// The language model used for the order check, if any.
    pub language_model: Option<String>,
    /// Originals the card calls not fit to post (false alarms), with the reasons.
    pub originals_unfit: usize,
    /// One row per perturbation.
    pub rows: Vec<Row>,
}

/// Scores every script and each of its perturbations (no persona, the script's detected language,
/// with `embedder` and `likelihood` when given) and counts how often the original scores higher.
/// With a language model, each text is also scored without it, for the same-run baseline.
pub fn evaluate(
    scripts: &[String],
    embedder: Option<&dyn crate::embed::Embedder>,
    likelihood: Option<&dyn super::likelihood::LikelihoodModel>,
) -> Report {
    let scripts: Vec<String> = scripts.iter().map(|s| normalised(s)).collect();
    let scored = |text: &str| {
        let lang = crate::language::detect_language(text, None).code;
        let card = |lm: Option<&dyn super::likelihood::LikelihoodModel>| {
            super::score(&super::ScoreRequest {
                text,
                language: Some(&lang),
                embedder: embedder.map(super::EmbedderRef),
                likelihood: lm.map(super::LikelihoodRef),
                ..Default::default()
            })
        };
        let coherence =
            |c: &super::ScoreCard| c.coherence.as_ref().map_or(0.0, |c| c.dimension.score);
        let full = card(likelihood);
        let without_lm = likelihood.map(|_| coherence(&card(None)));
        let baseline = super::quality::quality(&super::Prepared::new(text, &lang)).score;
        Scored {
            coherence: coherence(&full),
            overall: full.overall,
            baseline,
            without_lm,
            unfit: !full.unfit.is_empty(),
            lang,
        }
    };
    let originals: Vec<Scored> = scripts.iter().map(|s| scored(s)).collect();
    let rows = ALL
        .iter()
        .map(|how| {
            let (mut pairs, mut c, mut o, mut b, mut w) = (0usize, 0usize, 0usize, 0usize, 0usize);
            let mut misses = Vec::new();
            for (k, orig) in originals.iter().enumerate() {
                let Some(broken) = perturb(&scripts, k, *how, &orig.lang) else {
                    continue;
                };
                let p = scored(&broken);
                pairs += 1;
                c += usize::from(orig.coherence > p.coherence);
                if orig.coherence <= p.coherence {
                    misses.push(Miss {
                        script: k,
                        original: orig.coherence,
                        broken: p.coherence,
                        text: broken,
                    });
                }
                o += usize::from(orig.overall > p.overall);
                b += usize::from(orig.baseline > p.baseline);
                w += usize::from(orig.without_lm > p.without_lm);
            }
            let share = |x: usize| x as f64 / pairs.max(1) as f64;
            Row {
                perturbation: *how,
                label: how.label(),
                pairs,
                coherence: share(c),
                overall: share(o),
                baseline_quality: share(b),
                without_lm: likelihood.map(|_| share(w)),
                misses,
            }
        })
        .collect();
    Report {
        scripts: scripts.len(),
        embedding_model: embedder.map(|e| e.model().to_string()),
        language_model: likelihood.map(|l| l.model().to_string()),
        originals_unfit: originals.iter().filter(|o| o.unfit).count(),
        rows,
        texts: scripts,
    }
}

/// One text's scores in [`evaluate`].
struct Scored {
    coherence: f64,
    overall: f64,
    baseline: f64,
    without_lm: Option<f64>,
    unfit: bool,
    lang: String,
}
