//! The format dimension of a text post (an X thread, a LinkedIn post), which takes spoken timing's
//! place on its card: length against what the format wants and the platform allows, the hook
//! before the fold, readability and line rhythm.

use super::{Dimension, Prepared};
use crate::formats::{MAX_THREAD_POSTS, count, target_words, thread_post_room};
use crate::platform::{Format, Platform};

/// Mean words per sentence above which a text post reads heavy (plain-language guidance keeps
/// sentences to 15–20 words on average; 25 leaves room for a creator's style).
pub const LONG_SENTENCE_WORDS: f64 = 25.0;

/// Most sentences in one paragraph (a line, or lines between blank lines) before it reads as a
/// wall of text in the feed; reelsmith lays out two ([`crate::formats::SENTENCES_PER_PARAGRAPH`]).
pub const MAX_PARAGRAPH_SENTENCES: usize = 3;

/// The format dimension of `p` written for `platform` (a text format).
pub fn format(p: &Prepared<'_>, platform: Platform) -> Dimension {
    let rules = platform.rules();
    let target = target_words(platform).unwrap_or(150);
    let words = p.words.len();
    let mut score: f64 = 100.0;
    let mut reasons = Vec::new();
    let what = match rules.format {
        Format::Thread => "an X thread",
        _ => "a LinkedIn post",
    };
    let ratio = words as f64 / target as f64;
    if ratio < 0.5 {
        score -= ((0.5 - ratio) * 100.0).min(40.0);
        reasons.push(format!(
            "short for {what}: {words} words, about {target} make one"
        ));
    } else if ratio > 2.0 {
        score -= ((ratio - 2.0) * 20.0).min(30.0);
        reasons.push(format!(
            "long for {what}: {words} words, about {target} make one (the rest is cut to fit)"
        ));
    } else {
        reasons.push(format!(
            "{words} words: a good length for {what} (about {target})"
        ));
    }
    let chars = count(platform, p.text);
    match rules.format {
        Format::Thread => {
            let posts = chars.div_ceil(thread_post_room()).max(1);
            if posts > MAX_THREAD_POSTS {
                score -= 20.0;
                reasons.push(format!(
                    "about {posts} posts: threads keep at most {MAX_THREAD_POSTS}, the rest is dropped"
                ));
            }
        }
        _ => {
            if let Some(limit) = rules.max_chars.map(|m| m as usize)
                && chars > limit
            {
                score -= 30.0;
                reasons.push(format!(
                    "{chars} characters: over LinkedIn's {limit}, the end is cut"
                ));
            }
        }
    }
    let fold = match rules.format {
        Format::Thread => thread_post_room(),
        _ => rules.fold_chars.unwrap_or(210) as usize,
    };
    // The whole opening sentence (the analysis caps a hook at 25 words; the fold does not).
    let hook = count(platform, p.sentences.first().copied().unwrap_or(""));
    if hook > fold {
        score -= 30.0;
        reasons.push(format!(
            "the hook runs past the fold: {hook} characters, {fold} show first"
        ));
    } else {
        reasons.push(format!(
            "the hook shows before the fold ({hook} of {fold} characters)"
        ));
    }
    let mean = words as f64 / p.sentences.len().max(1) as f64;
    if mean > LONG_SENTENCE_WORDS {
        score -= 20.0;
        reasons.push(format!(
            "long sentences ({mean:.0} words on average): break them up for the feed"
        ));
    } else {
        reasons.push(format!("readable: {mean:.0} words a sentence on average"));
    }
    let longest = p
        .text
        .lines()
        .map(|l| crate::text::sentences(l).len())
        .max()
        .unwrap_or(0);
    if longest > MAX_PARAGRAPH_SENTENCES {
        score -= 15.0;
        reasons.push(format!(
            "a wall of text: {longest} sentences in one paragraph — short paragraphs read better in the feed"
        ));
    } else {
        reasons.push(format!("short paragraphs (at most {longest} sentences)"));
    }
    Dimension::new("format", score, reasons)
}
