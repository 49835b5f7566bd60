//! The rest of the brief: does the script do what its content type asks, and does it speak its
//! platform's language? Both are read off the script's words with the language's lexicon
//! ([`crate::lexicon`], English and Spanish), each answer with its evidence:
//! - **content type**: an educational script teaches something concrete (a number, a name, a unit
//!   or a step to take: the same signals as "says something"); a promotional one names its offer
//!   (buy, book, sign up, a code, a price, a link or a keyword to DM for it); a storytelling one
//!   tells something that happened (a story-opener hook, or two sentences with a past-tense event
//!   or a time marker). Inspirational and entertaining have no reliable surface signal: they are
//!   not checked, and the card says so.
//! - **platform**: a call to action that names another platform's feature — "subscribe" off
//!   YouTube, "duet this" off TikTok, "link below" where captions do not link, "swipe up" anywhere
//!   ([`Mechanic::instead_on`] holds the rules and their sources). A sentence that names a
//!   platform ("follow me on Instagram") is cross-promotion and is left alone.
//!
//! - **the topic's question**: a topic that asks why ("why your morning routine fails") asks the
//!   script for a reason — a sentence with a causal connective or verb ("because", "that's why",
//!   "due to", "triggers"; "porque", "por eso", "se debe a"); one that asks how ("how to fall
//!   asleep after nights") asks for a step to take (a sentence that tells the viewer what to do).
//!   A reader who clicked on "why" and never hears a reason has been baited; the bundled persona's
//!   "Why days off feel worse" answers "Because your body doesn't know it's your day off."
//!
//! These are lexicon rules, not fitted models: a miss costs the brief's score points and names the
//! fix, but does not make a script unfit to post.

use serde::{Deserialize, Serialize};

use super::Prepared;
use crate::cta::Mechanic;
use crate::hooks::HookType;
use crate::lexicon::has_phrase;
use crate::platform::{ContentType, Named, Platform};

/// Brief points a script loses when it does not do what its content type asks.
pub const CONTENT_TYPE_MISS: f64 = 30.0;
/// Brief points a script loses for each feature of another platform it names.
pub const PLATFORM_MISS: f64 = 15.0;
/// Platform names (folded) that make a sentence about that platform ("follow me on Instagram").
const PLATFORM_NAMES: [&str; 9] = [
    "instagram",
    "insta",
    "tiktok",
    "youtube",
    "facebook",
    "linkedin",
    "twitter",
    "threads",
    "snapchat",
];

/// Brief points a script loses when it does not answer the question its topic asks.
pub const ANSWER_MISS: f64 = 20.0;

/// Sentences with a told event that make a script a story without a story-opener hook.
pub const STORY_SENTENCES: usize = 2;

/// Whether the script does what its content type asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContentTypeCheck {
    /// The content type asked for.
    pub requested: ContentType,
    /// `Some(true)` done, `Some(false)` not done, `None` not checked (inspirational and
    /// entertaining, or a language without a lexicon).
    pub met: Option<bool>,
    /// The sentence that shows it (empty when none does or it was not checked).
    pub evidence: String,
    /// The verdict in words.
    pub reason: String,
}

/// The question a topic asks of its script.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Asks {
    /// "Why…": the script owes a reason.
    Why,
    /// "How to…": the script owes a step to take.
    How,
}

/// Whether the script answers the question its topic asks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerCheck {
    /// What the topic asks.
    pub asks: Asks,
    /// Whether a sentence answers it.
    pub met: bool,
    /// The first sentence that answers it (empty when none does).
    pub evidence: String,
    /// The verdict in words.
    pub reason: String,
}

/// A feature of another platform that the script names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlatformMiss {
    /// The feature.
    pub mechanic: Mechanic,
    /// The phrase as the lexicon matched it (folded).
    pub phrase: String,
    /// What to say instead on the platform.
    pub instead: String,
}

/// The first sentence of `p` that a lexicon phrase of `phrases` matches.
fn first_with(p: &Prepared<'_>, phrases: &[&str]) -> Option<usize> {
    p.padded_sentences
        .iter()
        .position(|s| phrases.iter().any(|ph| has_phrase(s, ph)))
}

/// Checks `p` against the content type `kind`.
pub fn content_type(p: &Prepared<'_>, kind: ContentType) -> ContentTypeCheck {
    let name = kind.as_str();
    let not_checked = |why: &str| ContentTypeCheck {
        requested: kind,
        met: None,
        evidence: String::new(),
        reason: format!("{name}: not checked ({why})"),
    };
    let Some(lex) = p.lex else {
        return not_checked("no lexicon for this language");
    };
    let sentence = |i: usize| p.sentences.get(i).map_or("", |s| s).to_string();
    let (met, evidence, missing) = match kind {
        ContentType::Educational => {
            let digit = p
                .sentences
                .iter()
                .position(|s| s.chars().any(|c| c.is_ascii_digit()));
            let step = p
                .padded_sentences
                .iter()
                .position(|s| super::viral::tells_what_to_do(lex, s));
            let concrete = super::viral::says_nothing(p) == Some(false);
            (
                concrete,
                digit.or(step).map(sentence).unwrap_or_default(),
                "nothing concrete to learn: no number, name, unit or step to take",
            )
        }
        ContentType::Promotional => {
            let phrase = first_with(p, lex.offers);
            let price = p.sentences.iter().position(|s| s.contains(['$', '€', '£']));
            let cta = p.analysis.cta.types.iter().any(|t| {
                matches!(
                    t,
                    crate::cta::CtaType::LinkInBio | crate::cta::CtaType::DmKeyword
                )
            });
            let at = [phrase, price].into_iter().flatten().min();
            (
                at.is_some() || cta,
                at.map(sentence)
                    .or_else(|| p.analysis.cta.text.clone())
                    .unwrap_or_default(),
                "names no offer: nothing to buy, book or sign up for, no price, code, link or keyword",
            )
        }
        ContentType::Storytelling => {
            let told: Vec<usize> = p
                .padded_sentences
                .iter()
                .enumerate()
                .filter(|(_, s)| lex.narrative.iter().any(|ph| has_phrase(s, ph)))
                .map(|(i, _)| i)
                .collect();
            let opener = p.analysis.hook_type.primary == HookType::StoryOpener;
            (
                opener || told.len() >= STORY_SENTENCES,
                if opener {
                    p.analysis.hook.clone()
                } else {
                    told.first().copied().map(sentence).unwrap_or_default()
                },
                "tells no story: no story-opening hook and fewer than two sentences about something that happened",
            )
        }
        ContentType::Inspirational | ContentType::Entertaining => {
            return not_checked("no reliable sign in a script's words");
        }
    };
    let quoted = crate::text::truncate_chars(&evidence, 60);
    ContentTypeCheck {
        requested: kind,
        met: Some(met),
        reason: if met {
            if quoted.is_empty() {
                format!("{name}: does what it asks")
            } else {
                format!("{name}: “{quoted}”")
            }
        } else {
            format!("asked for {name}, but it {missing}")
        },
        evidence: if met { evidence } else { String::new() },
    }
}

/// The question `topic` asks, read with every lexicon (a topic may be in another language than
/// its script): why before how ("why and how…" is held to why); `None` when it asks neither.
pub fn topic_asks(topic: &str) -> Option<Asks> {
    let asked = crate::text::padded_words(topic);
    let lexicons = || {
        crate::lexicon::SUPPORTED
            .iter()
            .filter_map(|c| crate::lexicon::lexicon(c))
    };
    if lexicons().any(|l| l.asks_why.iter().any(|pat| pat.matches(&asked))) {
        Some(Asks::Why)
    } else if lexicons().any(|l| l.asks_how.iter().any(|pat| pat.matches(&asked))) {
        Some(Asks::How)
    } else {
        None
    }
}

/// Checks whether `p` answers the question `topic` asks ([`topic_asks`]); `None` when it asks
/// none, or the script's language has no lexicon to find the answer with.
pub fn answer(p: &Prepared<'_>, topic: &str) -> Option<AnswerCheck> {
    let lex = p.lex?;
    let asks = topic_asks(topic)?;
    let at = match asks {
        Asks::Why => first_with(p, lex.reasons),
        Asks::How => p
            .padded_sentences
            .iter()
            .position(|s| super::viral::tells_what_to_do(lex, s)),
    };
    let evidence = at
        .and_then(|i| p.sentences.get(i))
        .map_or_else(String::new, |s| (*s).to_string());
    let quoted = crate::text::truncate_chars(&evidence, 60);
    let reason = match (asks, at.is_some()) {
        (Asks::Why, true) => format!("answers why: “{quoted}”"),
        (Asks::How, true) => format!("answers how: “{quoted}”"),
        (Asks::Why, false) => "the topic asks why, but no sentence gives a reason (say it: “because…”, “that's why…”, “it's caused by…”)".to_string(),
        (Asks::How, false) => "the topic asks how, but no sentence tells the viewer what to do (give a step: “Set…”, “Try…”, “You can…”)".to_string(),
    };
    Some(AnswerCheck {
        asks,
        met: at.is_some(),
        evidence,
        reason,
    })
}

/// The features of other platforms that `p` names, for `platform`, in the lexicon's order; empty
/// for a language without a lexicon.
pub fn platform_misses(p: &Prepared<'_>, platform: Platform) -> Vec<PlatformMiss> {
    let Some(lex) = p.lex else {
        return Vec::new();
    };
    lex.mechanics
        .iter()
        .filter_map(|(m, phrases)| {
            let instead = m.instead_on(platform)?;
            // "Follow me on Instagram" in a Shorts script is cross-promotion, a choice: a sentence
            // that names a platform is about that platform's features.
            let phrase = phrases.iter().find(|ph| {
                p.padded_sentences
                    .iter()
                    .any(|s| has_phrase(s, ph) && !PLATFORM_NAMES.iter().any(|n| has_phrase(s, n)))
            })?;
            Some(PlatformMiss {
                mechanic: *m,
                phrase: (*phrase).to_string(),
                instead: instead.to_string(),
            })
        })
        .collect()
}

/// A platform miss in words.
pub fn platform_reason(m: &PlatformMiss, platform: Platform) -> String {
    format!(
        "“{}” is not a {} feature ({}): say {} instead",
        m.phrase,
        platform.display_name(),
        m.mechanic.label(),
        m.instead
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::score::{ScoreRequest, score};

    fn brief(
        text: &str,
        lang: &str,
        kind: ContentType,
        platform: Platform,
    ) -> super::super::brief::BriefCheck {
        score(&ScoreRequest {
            text,
            language: Some(lang),
            content_type: Some(kind),
            platform: Some(platform),
            ..Default::default()
        })
        .brief
        .unwrap_or_else(|| unreachable!("computed"))
    }

    const TIP: &str = "Stop drinking coffee at 3am. Caffeine lingers for six hours. Have your last cup before the halfway point. Save this for your next run of nights.";
    const STORY: &str = "Last winter I was three weeks into nights. One morning I fell asleep at a red light on the drive home. A trucker honked and I woke up shaking. That was the day I stopped driving after a double. Save this if you drive home tired.";
    const PROMO: &str = "Night shifts wreck your sleep. I made a 7-day reset plan for nurses. It costs $19 this week only. Grab it at the link in my bio.";

    /// The answer check of a script scored against `topic` in `lang`.
    fn answered(text: &str, lang: &str, topic: &str) -> Option<AnswerCheck> {
        score(&ScoreRequest {
            text,
            language: Some(lang),
            topic: Some(topic),
            ..Default::default()
        })
        .brief
        .and_then(|b| b.answer)
    }

    #[test]
    fn a_question_topic_is_answered_or_the_brief_says_it_is_not() {
        // The demo's generated script never says why; Maya's own "why" script does.
        let demo = "Hey, sleep. Here's how to make it work for you. Your morning routine is a set of rules your body and mind will enforce with regularity. These are not just ways to keep your day going smoothly. You need them. If you don't have any sleep, this is the place where you can get your day off-kilter. Put this in your desk. Let me know if I can help you with it.";
        let why = "why your morning routine fails after a night shift";
        let a = answered(demo, "en", why).unwrap_or_else(|| unreachable!("asks why"));
        assert_eq!((a.asks, a.met), (Asks::Why, false), "{a:?}");
        assert!(a.reason.contains("no sentence gives a reason"), "{a:?}");
        let card = score(&ScoreRequest {
            text: demo,
            language: Some("en"),
            topic: Some(why),
            ..Default::default()
        });
        let b = card.brief.unwrap_or_else(|| unreachable!("computed"));
        assert!(b.dimension.score <= 100.0 - ANSWER_MISS, "{b:?}");
        let day_off = "Why are you more tired on your day off than on a work day? Because your body doesn't know it's your day off. You flip straight back to days. Tell me your rotation.";
        let a = answered(day_off, "en", "Why days off feel worse")
            .unwrap_or_else(|| unreachable!("asks why"));
        assert!(a.met, "{a:?}");
        assert_eq!(
            a.evidence,
            "Because your body doesn't know it's your day off."
        );
        // "How to" asks for a step; a vague script gives none.
        let a = answered(TIP, "en", "How to quit 3am coffee")
            .unwrap_or_else(|| unreachable!("asks how"));
        assert_eq!((a.asks, a.met), (Asks::How, true), "{a:?}");
        assert_eq!(a.evidence, "Stop drinking coffee at 3am.");
        let vague =
            "Hey, this is for you. You deserve better nights. It is all about balance and energy.";
        let a = answered(vague, "en", "how to sleep after nights")
            .unwrap_or_else(|| unreachable!("asks how"));
        assert!(!a.met && a.reason.contains("asks how"), "{a:?}");
        // A topic that asks nothing is not checked.
        assert_eq!(answered(TIP, "en", "3am coffee on night shifts"), None);
        // A listicle of reasons gives them as items, seldom with "because": not held to why.
        assert_eq!(answered(TIP, "en", "5 reasons to quit 3am coffee"), None);
        // Spanish: "¿Por qué…?" owes a "porque".
        let topic = "¿Por qué nunca llegas a fin de mes?";
        let yes = "No llegas a fin de mes. Y no es tu culpa del todo. Pasa porque el banco te cobra comisiones que no ves. Revisa tu extracto hoy.";
        let a = answered(yes, "es", topic).unwrap_or_else(|| unreachable!("asks why"));
        assert!(a.met && a.asks == Asks::Why, "{a:?}");
        let no =
            "No llegas a fin de mes. Abre tu app del banco. Mira tus gastos. Sígueme para más.";
        let a = answered(no, "es", topic).unwrap_or_else(|| unreachable!("asks why"));
        assert!(!a.met, "{a:?}");
        let a = answered(no, "es", "Cómo ahorrar cien euros")
            .unwrap_or_else(|| unreachable!("asks how"));
        assert_eq!((a.asks, a.met), (Asks::How, true), "{a:?}");
    }

    #[test]
    fn each_content_type_looks_for_its_own_sign() {
        let check = |t, k| {
            brief(t, "en", k, Platform::Reels)
                .content_type
                .unwrap_or_else(|| unreachable!())
        };
        let edu = check(TIP, ContentType::Educational);
        assert_eq!(edu.met, Some(true), "{edu:?}");
        assert_eq!(edu.evidence, "Stop drinking coffee at 3am.");
        let story = check(STORY, ContentType::Storytelling);
        assert_eq!(story.met, Some(true), "{story:?}");
        assert!(story.evidence.starts_with("Last winter I was"), "{story:?}");
        let promo = check(PROMO, ContentType::Promotional);
        assert_eq!(promo.met, Some(true), "{promo:?}");
        assert!(promo.evidence.contains("$19"), "{promo:?}");
        // The tip is no story and sells nothing; the brief loses the points and says why.
        let b = brief(TIP, "en", ContentType::Storytelling, Platform::Reels);
        assert_eq!(b.content_type.as_ref().and_then(|c| c.met), Some(false));
        assert_eq!(b.dimension.score, 100.0 - CONTENT_TYPE_MISS);
        assert!(
            b.dimension
                .reasons
                .iter()
                .any(|r| r.starts_with("asked for storytelling, but it tells no story"))
        );
        let b = brief(TIP, "en", ContentType::Promotional, Platform::Reels);
        assert!(
            b.dimension
                .reasons
                .iter()
                .any(|r| r.contains("names no offer")),
            "{b:?}"
        );
        let vague =
            "Hey, this is for you. You deserve better nights. It is all about balance and energy.";
        assert_eq!(check(vague, ContentType::Educational).met, Some(false));
        // No surface signal: not checked, said so, no points lost.
        let b = brief(TIP, "en", ContentType::Inspirational, Platform::Reels);
        assert_eq!(b.content_type.as_ref().and_then(|c| c.met), None);
        assert_eq!(b.dimension.score, 100.0);
        assert!(
            b.dimension
                .reasons
                .iter()
                .any(|r| r.contains("inspirational: not checked"))
        );
    }

    #[test]
    fn spanish_scripts_are_checked_with_the_spanish_lexicon() {
        let story = "El año pasado estaba pagando 12 euros al mes de comisiones. Un día me di cuenta de que eran 144 euros al año. Cambié de banco esa misma semana. Guarda este vídeo.";
        let b = brief(story, "es", ContentType::Storytelling, Platform::Tiktok);
        assert_eq!(b.content_type.and_then(|c| c.met), Some(true));
        let promo = "Tu dinero merece un plan. Mi curso de finanzas abre plazas el lunes. Apúntate con el link en la bio.";
        let b = brief(promo, "es", ContentType::Promotional, Platform::Shorts);
        assert_eq!(b.content_type.and_then(|c| c.met), Some(true));
        // On Shorts the bio link is the channel's link.
        assert_eq!(b.platform.len(), 1, "{:?}", b.platform);
        assert_eq!(b.platform[0].mechanic, Mechanic::LinkInBio);
        assert_eq!(b.platform[0].instead, "“the link on my channel”");
        let b = brief(
            "Suscríbete para más. Ahorra 50 euros al mes con este truco.",
            "es",
            ContentType::Educational,
            Platform::Tiktok,
        );
        assert_eq!(
            b.platform.iter().map(|m| m.mechanic).collect::<Vec<_>>(),
            [Mechanic::Subscribe]
        );
    }

    #[test]
    fn another_platforms_features_are_named_with_the_fix() {
        let misses = |text: &str, platform| {
            brief(text, "en", ContentType::Educational, platform)
                .platform
                .iter()
                .map(|m| m.mechanic)
                .collect::<Vec<_>>()
        };
        let youtube = "Caffeine lingers for six hours. Subscribe for more night-shift tips.";
        assert_eq!(misses(youtube, Platform::Tiktok), [Mechanic::Subscribe]);
        // Cross-promotion names its platform: a choice, not a slip.
        assert!(
            misses(
                "Caffeine lingers for six hours. Follow me on Instagram for the full plan.",
                Platform::Shorts
            )
            .is_empty()
        );
        // A newsletter is no channel button.
        assert!(
            misses(
                "Subscribe to my newsletter for the plan. Link in bio.",
                Platform::Tiktok
            )
            .is_empty()
        );
        assert!(misses(youtube, Platform::Shorts).is_empty());
        let tiktok = "Caffeine lingers for six hours. Duet this with your worst night shift. Follow me for more.";
        assert_eq!(misses(tiktok, Platform::Reels), [Mechanic::Duet]);
        assert!(misses(tiktok, Platform::Tiktok).is_empty());
        assert_eq!(
            misses(tiktok, Platform::Shorts),
            [Mechanic::Follow, Mechanic::Duet]
        );
        let link = "Caffeine lingers for six hours. The full plan is linked below, link in the description.";
        assert_eq!(misses(link, Platform::Reels), [Mechanic::LinkInText]);
        assert!(misses(link, Platform::Linkedin).is_empty());
        assert_eq!(
            misses("Swipe up for the plan. It has 7 steps.", Platform::Facebook),
            [Mechanic::SwipeUp]
        );
        // "Follow" as a plain verb is no call to follow.
        assert!(
            misses(
                "Follow the three steps below. Step 1: no coffee after 3am.",
                Platform::Shorts
            )
            .is_empty()
        );
        let b = brief(tiktok, "en", ContentType::Educational, Platform::Shorts);
        assert_eq!(b.dimension.score, 100.0 - 2.0 * PLATFORM_MISS);
        assert!(
            b.dimension.reasons.iter().any(|r| r == "“duet this” is not a YouTube Shorts feature (duet or stitch): say “remix this” instead"),
            "{:?}",
            b.dimension.reasons
        );
    }
}
