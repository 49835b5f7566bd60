//! Calls to action: which ones a script closes with, found in its last sentences.

use serde::{Deserialize, Serialize};

use crate::lexicon::Lexicon;
use crate::text::{padded_words, words};

/// The kinds of call to action reelsmith recognises. A script with none has an empty
/// [`CtaDetection::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CtaType {
    /// "Comment GUIDE and I'll DM it to you" — a keyword sent by DM.
    DmKeyword,
    /// "Link in bio."
    LinkInBio,
    /// "Save this for tonight."
    Save,
    /// "Send this to a friend who…"
    Share,
    /// "Tell me in the comments…"
    Comment,
    /// "Follow for more."
    Follow,
}

impl CtaType {
    /// Human-readable label.
    pub fn label(self) -> &'static str {
        match self {
            CtaType::DmKeyword => "DM a keyword",
            CtaType::LinkInBio => "link in bio",
            CtaType::Save => "save",
            CtaType::Share => "share",
            CtaType::Comment => "comment",
            CtaType::Follow => "follow",
        }
    }
}

/// A platform feature a call to action can name — a button or link that exists on some platforms
/// only. A script written for one platform and reused on another often keeps the first one's
/// ("subscribe" on TikTok, "duet this" on Reels); [`Mechanic::instead_on`] says what to say instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mechanic {
    /// "Subscribe": YouTube's button.
    Subscribe,
    /// "Follow me": every other platform's button.
    Follow,
    /// "Duet this", "stitch this": TikTok's reply-with-a-video features.
    Duet,
    /// "Link in bio": the one clickable link of an Instagram or TikTok profile.
    LinkInBio,
    /// "Link below", "link in the description / caption / comments": a link in the post's text.
    LinkInText,
    /// "Swipe up": the Stories link gesture, not a feed-video one.
    SwipeUp,
}

impl Mechanic {
    /// Human-readable label.
    pub fn label(self) -> &'static str {
        match self {
            Mechanic::Subscribe => "subscribe",
            Mechanic::Follow => "follow",
            Mechanic::Duet => "duet or stitch",
            Mechanic::LinkInBio => "link in bio",
            Mechanic::LinkInText => "link in the caption or comments",
            Mechanic::SwipeUp => "swipe up",
        }
    }

    /// What to say instead on `platform`; `None` when the mechanic works there. The rules
    /// (checked 2026-12):
    /// - YouTube's button is "Subscribe", every other platform's "Follow".
    /// - Duets and Stitches are TikTok's; Instagram, YouTube and Facebook call the feature Remix,
    ///   X a quote, LinkedIn a repost with your thoughts.
    /// - Links in Shorts descriptions and comments stopped being clickable on 31 August 2023; the
    ///   channel's links, shown by the Subscribe button, are (YouTube Help, "Changes to links on
    ///   YouTube", August 2023).
    /// - Instagram and TikTok make no link in a caption or comment clickable: the profile's bio
    ///   link is the way out (Instagram Help Center; TikTok Help Center, "Adding a link to your
    ///   bio").
    /// - "Swipe up" was the link gesture of Instagram Stories, replaced by link stickers on
    ///   30 August 2021; no feed video has it.
    pub fn instead_on(self, platform: crate::platform::Platform) -> Option<&'static str> {
        use crate::platform::Platform as P;
        match (self, platform) {
            (Mechanic::Subscribe, P::Shorts) => None,
            (Mechanic::Follow, P::Shorts) | (Mechanic::Subscribe, _) => Some(follow_on(platform)),
            (Mechanic::Follow, _) => None,
            (Mechanic::Duet, P::Tiktok) => None,
            (Mechanic::Duet, P::X) => Some("“quote this”"),
            (Mechanic::Duet, P::Linkedin) => Some("“repost this with your thoughts”"),
            (Mechanic::Duet, _) => Some("“remix this”"),
            (Mechanic::LinkInBio, P::Shorts)
            | (Mechanic::LinkInText, P::Reels | P::Tiktok | P::Shorts) => Some(link_on(platform)),
            (Mechanic::LinkInBio | Mechanic::LinkInText, _) => None,
            (Mechanic::SwipeUp, _) => Some(link_on(platform)),
        }
    }
}

/// The platform's button for following an account, quoted: "subscribe" on YouTube, "follow"
/// elsewhere (see [`Mechanic::instead_on`]).
pub fn follow_on(platform: crate::platform::Platform) -> &'static str {
    match platform {
        crate::platform::Platform::Shorts => "“subscribe”",
        _ => "“follow”",
    }
}

/// Where a viewer finds a clickable link on the platform, quoted: the channel's links on Shorts,
/// the bio on Reels and TikTok, the post itself elsewhere (see [`Mechanic::instead_on`]).
pub fn link_on(platform: crate::platform::Platform) -> &'static str {
    use crate::platform::Platform as P;
    match platform {
        P::Shorts => "“the link on my channel”",
        P::Reels | P::Tiktok => "“link in bio”",
        P::Facebook | P::X | P::Linkedin => "“link in the post”",
    }
}

/// How many sentences from the end are searched for a call to action.
pub const CTA_SENTENCES: usize = 2;
/// At most this many words at the end of each searched sentence count as CTA, so an unpunctuated
/// transcript (one giant "sentence") does not count wholly as CTA.
pub const CTA_MAX_WORDS: usize = 40;

/// The call to action found at the end of one script.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CtaDetection {
    /// Types found, in the lexicon's order (most specific first); empty when the script has no CTA.
    pub types: Vec<CtaType>,
    /// The CTA text as written (the matching sentences, or their last [`CTA_MAX_WORDS`] words).
    pub text: Option<String>,
    /// Words in `text`.
    pub words: usize,
}

/// Finds the call to action in the last [`CTA_SENTENCES`] of `sentences`. Needs a lexicon: without one
/// (an unsupported language) nothing is detected.
pub fn detect_cta(sentences: &[&str], lexicon: Option<&Lexicon>) -> CtaDetection {
    let Some(lex) = lexicon else {
        return CtaDetection::default();
    };
    let start = sentences.len().saturating_sub(CTA_SENTENCES);
    let mut types = Vec::new();
    let mut parts = Vec::new();
    let mut count = 0;
    for sentence in &sentences[start..] {
        let w = words(sentence);
        let window = if w.len() > CTA_MAX_WORDS {
            w[w.len() - CTA_MAX_WORDS..].join(" ")
        } else {
            (*sentence).to_string()
        };
        let padded = padded_words(&window);
        let found: Vec<CtaType> = lex
            .ctas
            .iter()
            .filter(|(_, pats)| pats.iter().any(|p| p.matches(&padded)))
            .map(|(t, _)| *t)
            .collect();
        if !found.is_empty() {
            count += w.len().min(CTA_MAX_WORDS);
            parts.push(window);
            types.extend(found);
        }
    }
    types.sort();
    types.dedup();
    CtaDetection {
        text: (!parts.is_empty()).then(|| parts.join(" ")),
        words: count,
        types,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::lexicon;
    use crate::text::sentences;

    fn detect(text: &str, lang: &str) -> CtaDetection {
        detect_cta(&sentences(text), lexicon(lang))
    }

    #[test]
    fn finds_english_ctas_at_the_end_only() {
        let d = detect(
            "Follow the plan. It works. Save this for tonight and follow for more.",
            "en",
        );
        assert_eq!(d.types, vec![CtaType::Save, CtaType::Follow]);
        assert_eq!(
            d.text.as_deref(),
            Some("Save this for tonight and follow for more.")
        );
        assert_eq!(d.words, 8);
        let d = detect("Comment SLEEP and I'll DM you the checklist.", "en");
        assert_eq!(d.types, vec![CtaType::DmKeyword, CtaType::Comment]);
        assert!(
            detect("Follow your gut. Then rest. Then eat.", "en")
                .types
                .is_empty()
        );
    }

    #[test]
    fn finds_spanish_ctas() {
        assert_eq!(
            detect("Y ya está. Guárdalo para luego.", "es").types,
            vec![CtaType::Save]
        );
        assert_eq!(
            detect("Sígueme para más.", "es").types,
            vec![CtaType::Follow]
        );
    }

    #[test]
    fn long_unpunctuated_endings_count_at_most_the_window() {
        let text = format!(
            "{} so yeah follow me for more",
            "um like basically ".repeat(40)
        );
        let d = detect(&text, "en");
        assert_eq!(d.types, vec![CtaType::Follow]);
        assert_eq!(d.words, CTA_MAX_WORDS);
    }

    #[test]
    fn no_lexicon_means_no_detection() {
        assert_eq!(detect_cta(&["Folge mir"], None), CtaDetection::default());
    }
}
