//! A script prepared once for scoring: words, sentences and folded forms computed a single time, so the
//! dimensions only count.

use crate::analysis::{ScriptAnalysis, analyze};
use crate::lexicon::{Lexicon, Pattern, lexicon};
use crate::text::{fold, padded_words, sentences, words};

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
    /// The whole text folded and padded.
    pub padded: String,
    /// Per-script analysis (hook, CTA, person markers).
    pub analysis: ScriptAnalysis,
}

impl<'a> Prepared<'a> {
    /// Prepares `text` for scoring in language `lang` (ISO 639-1).
    pub fn new(text: &'a str, lang: &str) -> Prepared<'a> {
        let lex = lexicon(lang);
        let sents = sentences(text);
        let w = words(text);
        Prepared {
            text,
            lex,
            folded: w.iter().map(|x| fold(x)).collect(),
            words: w,
            padded_sentences: sents.iter().map(|s| padded_words(s)).collect(),
            sentence_words: sents.iter().map(|s| words(s).len()).collect(),
            sentences: sents,
            padded: padded_words(text),
            analysis: analyze(text, lex),
        }
    }

    /// The phrases of `list` found in the text, each once, in list order.
    pub fn found(&self, list: &'static [&'static str]) -> Vec<&'static str> {
        list.iter()
            .copied()
            .filter(|p| Pattern::Has(p).matches(&self.padded))
            .collect()
    }

    /// How many times phrases of `list` occur in the text (each occurrence counted).
    pub fn occurrences(&self, list: &[&str]) -> usize {
        list.iter()
            .map(|p| {
                self.padded
                    .match_indices(p)
                    .filter(|(i, _)| {
                        self.padded[..*i].ends_with(' ')
                            && self.padded[i + p.len()..].starts_with(' ')
                    })
                    .count()
            })
            .sum()
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
        self.sentences
            .iter()
            .map(|s| {
                words(s)
                    .iter()
                    .skip(1)
                    .filter(|w| {
                        let mut c = w.chars();
                        c.next().is_some_and(char::is_uppercase)
                            && c.clone().next().is_some_and(char::is_lowercase)
                            && *w != &"I"
                    })
                    .count()
            })
            .sum()
    }
}
