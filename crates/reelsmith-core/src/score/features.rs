//! A script prepared once for scoring: words, sentences and folded forms computed a single time, so the
//! dimensions only count.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use crate::analysis::{ScriptAnalysis, analyze_split};
use crate::lexicon::{Lexicon, lexicon};
use crate::text::{fold, pad, sentences, words};

/// A script with everything the dimensions need.
#[derive(Debug)]
pub struct Prepared<'a> {
    /// The text as given.
    pub text: &'a str,
    /// The language's lexicon, if any.
    pub lex: Option<&'static Lexicon>,
    /// Words as written.
    pub words: Vec<&'a str>,
    /// Words folded (lower case, no diacritics).
    pub folded: Vec<String>,
    /// Sentences as written.
    pub sentences: Vec<&'a str>,
    /// Each sentence folded and padded for phrase matching.
    pub padded_sentences: Vec<String>,
    /// Words per sentence.
    pub sentence_words: Vec<usize>,
    /// The words of each sentence.
    pub sentence_lists: Vec<Vec<&'a str>>,
    /// The whole text folded and padded.
    pub padded: String,
    /// Per-script analysis (hook, CTA, person markers).
    pub analysis: ScriptAnalysis,
    /// Each distinct folded word's hash → (index of its first occurrence, occurrences): single-word
    /// lexicon lookups are one hash probe, verified against `folded`.
    index: FxHashMap<u64, (usize, usize)>,
    /// The hash of each folded word, in order (see `key`).
    pub keys: Vec<u64>,
}

impl<'a> Prepared<'a> {
    /// Prepares `text` for scoring in language `lang` (ISO 639-1).
    pub fn new(text: &'a str, lang: &str) -> Prepared<'a> {
        let lex = lexicon(lang);
        let sents = sentences(text);
        // One segmentation: the text's words are its sentences' words, so every count agrees.
        let sentence_lists: Vec<Vec<&str>> = sents.iter().map(|s| words(s)).collect();
        let w: Vec<&str> = sentence_lists.concat();
        let folded: Vec<String> = w.iter().map(|x| fold(x)).collect();
        let mut padded_sentences = Vec::with_capacity(sents.len());
        let mut start = 0;
        for list in &sentence_lists {
            padded_sentences.push(pad(&folded[start..start + list.len()]));
            start += list.len();
        }
        let padded = pad(&folded);
        let analysis = analyze_split(text, &sents, &w, &folded, lex);
        let mut index: FxHashMap<u64, (usize, usize)> = FxHashMap::default();
        index.reserve(folded.len());
        let keys: Vec<u64> = folded.iter().map(|f| key(f)).collect();
        for (i, k) in keys.iter().enumerate() {
            index.entry(*k).or_insert((i, 0)).1 += 1;
        }
        Prepared {
            text,
            lex,
            index,
            keys,
            folded,
            words: w,
            padded_sentences,
            sentence_words: sentence_lists.iter().map(Vec::len).collect(),
            sentence_lists,
            sentences: sents,
            padded,
            analysis,
        }
    }

    /// The phrases of `list` found in the text, each once, in list order.
    pub fn found(&self, list: &'static [&'static str]) -> Vec<&'static str> {
        list.iter()
            .copied()
            .filter(|p| self.count_of(p) > 0)
            .collect()
    }

    /// How many times phrases of `list` occur in the text (each occurrence counted).
    pub fn occurrences(&self, list: &[&str]) -> usize {
        list.iter().map(|p| self.count_of(p)).sum()
    }

    /// Occurrences of one folded phrase on word boundaries: a map lookup for a single word, a scan of
    /// the padded text for a longer phrase.
    fn count_of(&self, phrase: &str) -> usize {
        match phrase.split_once(' ') {
            // Most phrases' first word is not in the script: a binary search rules them out.
            Some((first, _)) if self.count_word(first) == 0 => 0,
            Some(_) => crate::lexicon::count_phrase(&self.padded, phrase),
            None => self.count_word(phrase),
        }
    }

    /// Occurrences of one folded word (binary search over the sorted word order).
    fn count_word(&self, word: &str) -> usize {
        match self.index.get(&key(word)) {
            Some((first, n)) if self.folded[*first] == word => *n,
            _ => 0,
        }
    }

    /// Words that hold a digit, or are spelled-out numbers of the lexicon.
    pub fn numbers(&self) -> usize {
        let spelled = self.lex.map_or(&[][..], |l| l.number_words);
        self.folded
            .iter()
            .filter(|w| w.chars().any(|c| c.is_ascii_digit()) || spelled.contains(&w.as_str()))
            .count()
    }

    /// Capitalised words that do not open a sentence: a proxy for names and concrete nouns.
    pub fn proper_nouns(&self) -> usize {
        self.sentence_lists
            .iter()
            .map(|ws| {
                ws.iter()
                    .skip(1)
                    .filter(|w| {
                        let mut c = w.chars();
                        c.next().is_some_and(char::is_uppercase)
                            && c.next().is_some_and(char::is_lowercase)
                            && **w != "I"
                    })
                    .count()
            })
            .sum()
    }
}

/// FxHash of a word (fast, not DoS-resistant: the keys are the script's own words).
fn key(word: &str) -> u64 {
    let mut h = FxHasher::default();
    word.hash(&mut h);
    h.finish()
}
