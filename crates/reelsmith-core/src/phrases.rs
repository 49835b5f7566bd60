//! Signature phrases: word n-grams a creator repeats across scripts ("here's the thing", "real talk").

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::text::{fold, sentences, words};

/// A phrase the creator repeats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignaturePhrase {
    /// The phrase, folded (lower case, no diacritics).
    pub text: String,
    /// How many example scripts use it.
    pub scripts: usize,
    /// How many times it occurs in all.
    pub count: usize,
}

/// Shortest and longest phrase, in words.
const MIN_N: usize = 2;
const MAX_N: usize = 6;

/// The `limit` most characteristic recurring n-grams (2–6 words) of `scripts`.
///
/// A phrase qualifies when it appears in at least two scripts (or twice in a single script when only one
/// is given) and holds at least one word of three or more letters that is not a stop word of `language`
/// (ISO 639-1; the `stop-words` crate's NLTK lists), so "of the" and "va a" never qualify. A phrase inside a longer qualifying
/// phrase with the same script count is dropped in favour of the longer one. Ranked by scripts, then
/// length, then count, then text (so the order is deterministic).
pub fn signature_phrases(scripts: &[&str], language: &str, limit: usize) -> Vec<SignaturePhrase> {
    let stops: HashSet<String> = stop_words_for(language);
    let mut stats: HashMap<String, (usize, usize)> = HashMap::new();
    for script in scripts {
        let mut seen_here: HashSet<String> = HashSet::new();
        // Phrases never cross a sentence boundary.
        for sentence in sentences(script) {
            let toks: Vec<String> = words(sentence).iter().map(|w| fold(w)).collect();
            for n in MIN_N..=MAX_N {
                for win in toks.windows(n) {
                    if !win
                        .iter()
                        .any(|w| w.chars().count() >= 3 && !stops.contains(w))
                    {
                        continue;
                    }
                    let phrase = win.join(" ");
                    let entry = stats.entry(phrase.clone()).or_insert((0, 0));
                    entry.1 += 1;
                    if seen_here.insert(phrase) {
                        entry.0 += 1;
                    }
                }
            }
        }
    }
    let min_scripts = if scripts.len() >= 2 { 2 } else { 1 };
    let mut kept: Vec<SignaturePhrase> = stats
        .into_iter()
        .filter(|(_, (s, c))| *s >= min_scripts && *c >= 2)
        .map(|(text, (scripts, count))| SignaturePhrase {
            text,
            scripts,
            count,
        })
        .collect();
    // A phrase inside a longer kept phrase with the same script count adds nothing. Marking each kept
    // phrase's prefix and suffix (one word shorter) is enough: script counts can only grow as phrases
    // shrink, so equal counts chain down to every inner phrase. Linear in the number of phrases.
    let counts: HashMap<&str, usize> = kept.iter().map(|p| (p.text.as_str(), p.scripts)).collect();
    let mut subsumed: HashSet<String> = HashSet::new();
    for p in &kept {
        if let (Some(sp), Some(ep)) = (p.text.find(' '), p.text.rfind(' ')) {
            for inner in [&p.text[sp + 1..], &p.text[..ep]] {
                if counts.get(inner) == Some(&p.scripts) {
                    subsumed.insert(inner.to_string());
                }
            }
        }
    }
    kept.retain(|p| !subsumed.contains(&p.text));
    kept.sort_by(|a, b| {
        b.scripts
            .cmp(&a.scripts)
            .then(b.text.split(' ').count().cmp(&a.text.split(' ').count()))
            .then(b.count.cmp(&a.count))
            .then(a.text.cmp(&b.text))
    });
    kept.truncate(limit);
    kept
}

/// [`stop_words_for`], built once per language for the life of the process (the score card asks
/// for them on every draft).
pub fn stop_words_cached(language: &str) -> &'static HashSet<String> {
    type Cache = std::sync::Mutex<rustc_hash::FxHashMap<String, &'static HashSet<String>>>;
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    let mut map = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    map.entry(language.to_string())
        .or_insert_with(|| Box::leak(Box::new(stop_words_for(language))))
}

/// Share of `words` (folded) that are in `stops`, 0–1; 0 for no words.
pub fn stop_share(words: &[String], stops: &HashSet<String>) -> f64 {
    words.iter().filter(|w| stops.contains(*w)).count() as f64 / words.len().max(1) as f64
}

/// Stop words for an ISO 639-1 code, folded; empty for languages the lists do not cover.
pub(crate) fn stop_words_for(language: &str) -> HashSet<String> {
    stop_words::lookup(language)
        .unwrap_or_default()
        .iter()
        .map(|w| fold(w))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_phrases_repeated_across_scripts() {
        let scripts = [
            "Okay real talk. Here's the thing about naps: they work.",
            "Real talk: here's the thing nobody says about coffee.",
            "Here's the thing. Sleep is a skill. Real talk.",
            "Something else entirely, of the kind of the sort.",
        ];
        let p = signature_phrases(&scripts, "en", 5);
        let texts: Vec<&str> = p.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts[..2], ["here's the thing", "real talk"]);
        assert_eq!(p[0].scripts, 3);
        assert!(
            !texts.contains(&"the thing"),
            "subsumed by the longer phrase: {texts:?}"
        );
        assert!(!texts.contains(&"of the"), "stop words only: {texts:?}");
    }

    #[test]
    fn single_script_needs_two_occurrences() {
        let p = signature_phrases(&["sleep debt is real. sleep debt adds up."], "en", 5);
        assert_eq!(p[0].text, "sleep debt");
        assert!(signature_phrases(&["no repeats here at all"], "en", 5).is_empty());
    }

    #[test]
    fn unknown_language_still_works_without_stop_words() {
        let p = signature_phrases(&["xaa yoo zu", "xaa yoo bi"], "tgl", 3);
        assert_eq!(p[0].text, "xaa yoo");
    }
}
