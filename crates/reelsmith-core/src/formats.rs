//! Text formats and hard limits: characters counted the way each platform counts them, a draft
//! rendered as a LinkedIn post or an X thread, and captions, titles and posts fitted to the
//! platform's limits ([`crate::platform::PlatformRules`]). A hard limit is never exceeded: text is
//! split or trimmed at sentence boundaries, then at word boundaries — never mid-word (a single
//! "word" longer than a whole post, such as a 300-character link, is the one thing cut inside,
//! at a character boundary) — and every change is reported in words.

use crate::platform::Platform;
use crate::script::Draft;
use crate::text::sentences;

/// Most posts reelsmith writes in one X thread. X sets no cap; threads of 5–15 posts are what
/// creators' guides recommend (readers drop off after the first handful), so a longer draft loses
/// body sentences from its end.
pub const MAX_THREAD_POSTS: usize = 15;

/// Words reelsmith aims for in a text format: an X thread of 5–8 posts (about 120 words), a
/// LinkedIn post of about 1,300 characters (about 200 words; creators' guides put the sweet spot at
/// 1,300–2,000 characters); `None` for a video format (its length is spoken seconds).
pub fn target_words(platform: Platform) -> Option<usize> {
    match platform.format() {
        crate::platform::Format::Thread => Some(120),
        crate::platform::Format::Post => Some(200),
        crate::platform::Format::Video => None,
    }
}

/// Characters of the numbering suffix a thread post may need (` 15/15`).
const NUMBERING_CHARS: usize = 6;

/// Characters an X thread post keeps for its text once numbered: X's 280 less ` 15/15`.
pub fn thread_post_room() -> usize {
    Platform::X.rules().max_chars.unwrap_or(280) as usize - NUMBERING_CHARS
}

/// `platform`'s character limit as people write it (`280`, `3,000`); empty without one.
pub fn limit_label(platform: Platform) -> String {
    let Some(limit) = platform.rules().max_chars else {
        return String::new();
    };
    let digits = limit.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Characters of `text` as `platform` counts them: X's weighted count (twitter-text, version 3
/// weights: URLs count 23, most emoji and CJK characters 2, Latin text 1); elsewhere Unicode scalar
/// values.
pub fn count(platform: Platform, text: &str) -> usize {
    match platform {
        Platform::X => {
            let r = twitter_text::parse(text, twitter_text_config::config_v3(), true);
            usize::try_from(r.weighted_length).unwrap_or(0)
        }
        _ => text.chars().count(),
    }
}

/// A laid-out text post's words without its layout: hashtags and a thread's `n/N` numbering
/// removed (they are not sentences: scored as text, they read as a sentence cut off), blank lines
/// kept as paragraph breaks. Scoring a pasted thread or post starts here.
pub fn without_layout(text: &str) -> String {
    // A thread's numbering: `n/N` (1 ≤ n ≤ N) ending its line; "24/7" is not one.
    let numbering = |t: &str| {
        t.split_once('/').is_some_and(|(a, b)| {
            matches!((a.parse::<u32>(), b.parse::<u32>()), (Ok(a), Ok(b)) if a >= 1 && a <= b)
        })
    };
    // A hashtag has a letter ("#1" is not one).
    let hashtag = |t: &str| {
        t.strip_prefix('#').is_some_and(|rest| {
            rest.chars().all(|c| c.is_alphanumeric() || c == '_')
                && rest.chars().any(char::is_alphabetic)
        })
    };
    text.lines()
        .map(|line| {
            let tokens: Vec<&str> = line.split_whitespace().collect();
            let last = tokens.len().saturating_sub(1);
            tokens
                .iter()
                .enumerate()
                .filter(|(i, t)| !(hashtag(t) || (*i == last && numbering(t))))
                .map(|(_, t)| *t)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A fitted text and what fitting did.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted<T> {
    /// The text that fits.
    pub value: T,
    /// What was changed to make it fit, in words; empty when it fit as written.
    pub changes: Vec<String>,
}

/// The words of `text`, split at whitespace.
fn split_words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

/// `text` cut to at most `limit` characters as `platform` counts them: whole sentences first, then
/// whole words; a single word longer than `limit` is cut at a character boundary. Returns the text
/// and whether it was cut.
pub fn cut(platform: Platform, text: &str, limit: usize) -> (String, bool) {
    let text = text.trim();
    if count(platform, text) <= limit {
        return (text.to_string(), false);
    }
    let whole = longest_prefix(
        platform,
        sentences(text).into_iter().map(str::trim),
        " ",
        limit,
    );
    if whole.is_empty() {
        (cut_words(platform, text, limit), true)
    } else {
        (whole, true)
    }
}

/// `text` cut to at most `limit` characters at a word boundary; a first word longer than `limit`
/// is cut at a grapheme boundary.
fn cut_words(platform: Platform, text: &str, limit: usize) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    let words = longest_prefix(platform, split_words(text).into_iter(), " ", limit);
    if words.is_empty() {
        longest_prefix(platform, text.graphemes(true), "", limit)
    } else {
        words
    }
}

/// The most of `units`, joined by `sep`, that fits in `limit` characters as `platform` counts them.
fn longest_prefix<'a>(
    platform: Platform,
    units: impl Iterator<Item = &'a str>,
    sep: &str,
    limit: usize,
) -> String {
    let mut out = String::new();
    for u in units {
        let candidate = if out.is_empty() {
            u.to_string()
        } else {
            format!("{out}{sep}{u}")
        };
        if count(platform, &candidate) > limit {
            break;
        }
        out = candidate;
    }
    out
}

fn join(a: &str, b: &str) -> String {
    if a.is_empty() {
        b.to_string()
    } else {
        format!("{a} {b}")
    }
}

/// Pieces of `text`, each at most `limit` characters as `platform` counts them: whole sentences
/// packed together, a sentence too long for one piece split at word boundaries (a word too long for
/// one piece at character boundaries).
fn pieces(platform: Platform, text: &str, limit: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut units: Vec<String> = Vec::new();
    let mut found = sentences(text);
    // Text with no words (an emoji, a tag) is still one unit.
    if found.is_empty() && !text.trim().is_empty() {
        found = vec![text.trim()];
    }
    for s in found {
        // One space between words, so a cut's head is a prefix of the rest.
        let s = split_words(s).join(" ");
        if s.is_empty() {
            continue;
        }
        if count(platform, &s) <= limit {
            units.push(s);
            continue;
        }
        // A long sentence goes in word-sized steps.
        let mut rest = s;
        while !rest.is_empty() {
            let (head, _) = cut(platform, &rest, limit);
            let next = match rest.strip_prefix(head.as_str()) {
                Some(tail) if !head.is_empty() => tail.trim().to_string(),
                // Nothing fits (a limit below one character): give up on the rest.
                _ => String::new(),
            };
            if !head.is_empty() {
                units.push(head);
            }
            rest = next;
        }
    }
    for u in units {
        let candidate = join(&current, &u);
        if !current.is_empty() && count(platform, &candidate) > limit {
            out.push(std::mem::take(&mut current));
            current = u;
        } else {
            current = candidate;
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// `draft` as an X thread: the hook alone in the first post, the body packed into posts of whole
/// sentences, the call to action (and `hashtags`, when they fit) in the last; each post numbered
/// `n/N` and at most 280 weighted characters; at most [`MAX_THREAD_POSTS`] posts (body sentences
/// dropped from the end beyond that).
pub fn thread(draft: &Draft, hashtags: &[String]) -> Fitted<Vec<String>> {
    let platform = Platform::X;
    let limit = thread_post_room();
    let mut changes = Vec::new();
    let hook = pieces(platform, &draft.hook, limit);
    let mut body: Vec<String> = Vec::new();
    for beat in &draft.body {
        body.extend(pieces(platform, beat, limit));
    }
    let mut cta = pieces(platform, &draft.cta, limit);
    // The tags go on the last post, as many as fit (dropped from the end).
    let mut tags: Vec<&String> = hashtags.iter().collect();
    let with_tags = |last: &str, tags: &[&String]| {
        let joined: Vec<&str> = tags.iter().map(|t| t.as_str()).collect();
        join(last, &joined.join(" "))
    };
    let last = cta.last().cloned().unwrap_or_default();
    while !tags.is_empty() && count(platform, &with_tags(&last, &tags)) > limit {
        tags.pop();
    }
    if tags.len() < hashtags.len() {
        changes.push(format!(
            "left out {} of {} hashtags: they do not fit the last post",
            hashtags.len() - tags.len(),
            hashtags.len()
        ));
    }
    if !tags.is_empty() {
        match cta.last_mut() {
            Some(l) => *l = with_tags(l, &tags),
            None => cta.push(with_tags("", &tags)),
        }
    }
    let room = MAX_THREAD_POSTS.saturating_sub(hook.len() + cta.len());
    if body.len() > room {
        changes.push(format!(
            "dropped the last {} body post(s): a thread keeps at most {MAX_THREAD_POSTS} posts",
            body.len() - room
        ));
        body.truncate(room);
    }
    let mut posts: Vec<String> = hook.into_iter().chain(body).chain(cta).collect();
    if posts.len() > MAX_THREAD_POSTS {
        changes.push(format!(
            "dropped the last {} post(s): the hook and call to action alone take more than {MAX_THREAD_POSTS}",
            posts.len() - MAX_THREAD_POSTS
        ));
        posts.truncate(MAX_THREAD_POSTS);
    }
    let n = posts.len();
    if n > 1 {
        for (i, p) in posts.iter_mut().enumerate() {
            p.push_str(&format!(" {}/{n}", i + 1));
        }
    }
    Fitted {
        value: posts,
        changes,
    }
}

/// Sentences per paragraph of a LinkedIn post: short paragraphs are the platform's line rhythm.
pub const SENTENCES_PER_PARAGRAPH: usize = 2;

/// `draft` as a LinkedIn post: the hook as its own opening line (LinkedIn shows about 210
/// characters before "…see more"), the body in paragraphs of at most [`SENTENCES_PER_PARAGRAPH`]
/// sentences, the call to action, then `hashtags`; at most 3,000 characters (body sentences dropped
/// from the end, then the hashtags, then the text cut, beyond that).
pub fn linkedin_post(draft: &Draft, hashtags: &[String]) -> Fitted<String> {
    let platform = Platform::Linkedin;
    let limit = platform.rules().max_chars.unwrap_or(3_000) as usize;
    let mut changes = Vec::new();
    let mut body: Vec<String> = Vec::new();
    for beat in &draft.body {
        let s: Vec<&str> = sentences(beat)
            .into_iter()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        for chunk in s.chunks(SENTENCES_PER_PARAGRAPH) {
            body.push(chunk.join(" "));
        }
    }
    let mut tags = hashtags.join(" ");
    let render = |body: &[String], tags: &str| {
        let mut parts = vec![draft.hook.trim().to_string()];
        parts.extend(body.iter().cloned());
        parts.push(draft.cta.trim().to_string());
        if !tags.is_empty() {
            parts.push(tags.to_string());
        }
        parts
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    let mut dropped = 0;
    while count(platform, &render(&body, &tags)) > limit && !body.is_empty() {
        body.pop();
        dropped += 1;
    }
    if dropped > 0 {
        changes.push(format!(
            "dropped the last {dropped} paragraph(s): LinkedIn takes at most {limit} characters"
        ));
    }
    if count(platform, &render(&body, &tags)) > limit && !tags.is_empty() {
        changes.push(format!("left out the hashtags ({tags})"));
        tags.clear();
    }
    let mut text = render(&body, &tags);
    if count(platform, &text) > limit {
        text = cut(platform, &text, limit).0;
        changes.push(format!(
            "cut to {limit} characters at a sentence or word boundary"
        ));
    }
    Fitted {
        value: text,
        changes,
    }
}

/// A video post's caption and hashtags fitted to `platform`: at most its hashtag cap (extra tags
/// dropped from the end), and caption plus tags within its character limit (the tags go first,
/// then the caption is cut at a sentence or word boundary).
pub fn caption(
    platform: Platform,
    caption: &str,
    hashtags: &[String],
) -> Fitted<(String, Vec<String>)> {
    let rules = platform.rules();
    let mut changes = Vec::new();
    let mut tags = hashtags.to_vec();
    if let Some(max) = rules.max_hashtags.map(|m| m as usize)
        && tags.len() > max
    {
        changes.push(format!(
            "kept {max} of {} hashtags ({} allows {max})",
            tags.len(),
            platform_name(platform)
        ));
        tags.truncate(max);
    }
    let mut text = caption.trim().to_string();
    if let Some(limit) = rules.max_chars.map(|m| m as usize) {
        let joined = |t: &str, tags: &[String]| {
            if tags.is_empty() {
                t.to_string()
            } else {
                format!("{t} {}", tags.join(" "))
            }
        };
        while count(platform, &joined("", &tags)) > limit && !tags.is_empty() {
            tags.pop();
            changes.push("dropped a hashtag to fit the caption limit".into());
        }
        let room = limit.saturating_sub(if tags.is_empty() {
            0
        } else {
            count(platform, &joined("", &tags))
        });
        let (cut_text, was_cut) = cut(platform, &text, room);
        if was_cut {
            changes.push(format!(
                "cut the caption to {room} characters at a sentence or word boundary ({} allows {limit} with the hashtags)",
                platform_name(platform)
            ));
            text = cut_text;
        }
    }
    Fitted {
        value: (text, tags),
        changes,
    }
}

/// A title fitted to `platform`'s title limit (YouTube Shorts: 100 characters) at a word boundary.
pub fn title(platform: Platform, title: &str) -> Fitted<String> {
    match platform.rules().max_title_chars.map(|m| m as usize) {
        Some(limit) if count(platform, title.trim()) > limit => {
            let out = cut_words(platform, title, limit);
            Fitted {
                value: out,
                changes: vec![format!(
                    "cut the title to {limit} characters at a word boundary"
                )],
            }
        }
        _ => Fitted {
            value: title.trim().to_string(),
            changes: Vec::new(),
        },
    }
}

fn platform_name(platform: Platform) -> &'static str {
    use crate::platform::Named;
    platform.as_str()
}

#[cfg(test)]
mod tests;
