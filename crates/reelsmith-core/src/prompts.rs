//! Generation prompts: the persona's nearest examples as few-shot evidence of the voice, the style
//! profile and persona fields, the topic and the target length in words (target seconds × the
//! persona's WPM ÷ 60). Base models get a completion-style few-shot text ending in `HOOK:`; instruct
//! models get chat messages asking for the same `HOOK:` / `BODY:` / `CTA:` lines.

use crate::llm::{LlmRequest, Message, Prompt, PromptStyle, Role};
use crate::persona::PersonaVersion;
use crate::platform::{ContentType, Named, Style};
use crate::script::Draft;
use crate::text::{sentences, truncate_chars};

/// Characters of each example shown to the model.
const EXAMPLE_CHARS: usize = 700;
/// Sampling temperature for drafts (varied attempts, still on topic).
pub const DRAFT_TEMPERATURE: f32 = 0.8;
/// Output tokens allowed per word asked for (English averages 1.3 tokens a word; Spanish more, and
/// the labels and some slack need room).
const TOKENS_PER_WORD: f64 = 2.2;

/// What to write.
#[derive(Debug, Clone, PartialEq)]
pub struct Brief<'a> {
    /// The topic.
    pub topic: &'a str,
    /// Target length, seconds.
    pub duration_s: f64,
    /// Content type.
    pub content_type: ContentType,
    /// Tone.
    pub tone: Style,
    /// Things the script must do, e.g. "mention the free guide".
    pub requirements: &'a [String],
    /// Background the script must draw on.
    pub context: Option<&'a str>,
    /// Trending phrases to lean on (a `trending` request); empty otherwise.
    pub trending: &'a [String],
    /// Language to write in (English name, e.g. `Spanish`).
    pub language: &'a str,
    /// How few-shot examples did when posted: (example index, views or interactions relative to
    /// the creator's median). The instruct prompt tells the model which ones worked.
    pub proven: &'a [(usize, f64)],
    /// Patterns that won the creator's A/B tests, each with its experiments, in words
    /// ([`crate::experiment::Preference::evidence`]). The instruct prompt asks for them.
    pub won: &'a [String],
    /// Where it will be posted: a video platform gets a spoken script, X a thread, LinkedIn a post.
    pub platform: crate::platform::Platform,
}

impl<'a> Brief<'a> {
    /// A brief with nothing but a topic, a length and a language (English name): educational,
    /// casual, no requirements, background or trends. Callers set the rest with struct update.
    pub fn plain(topic: &'a str, duration_s: f64, language: &'a str) -> Self {
        Self {
            topic,
            duration_s,
            content_type: ContentType::Educational,
            tone: Style::Casual,
            requirements: &[],
            context: None,
            trending: &[],
            proven: &[],
            won: &[],
            platform: crate::platform::Platform::Reels,
            language,
        }
    }
}

/// The platform's words for a call to follow and for a link, the ones the card's platform check
/// accepts ([`crate::cta::follow_on`], [`crate::cta::link_on`]), so a script reused from another
/// platform's examples is asked not to keep their "subscribe" or "link below".
pub fn platform_hint(platform: crate::platform::Platform) -> String {
    format!(
        "It is for {}: a call to follow says {}, and a link is {}.",
        platform.display_name(),
        crate::cta::follow_on(platform),
        crate::cta::link_on(platform)
    )
}

/// Tone guidance for the four styles (tone, pacing, vocabulary).
pub fn tone_guidance(tone: Style) -> &'static str {
    match tone {
        Style::Professional => {
            "measured and credible; complete sentences; precise vocabulary; no slang"
        }
        Style::Technical => "precise; name the mechanism and the numbers; define one term at most",
        Style::Sales => "benefit-first and urgent; one clear offer; end on a direct call to action",
        Style::Casual => {
            "conversational, like talking to a friend; short punchy lines; contractions"
        }
    }
}

/// `text` on one line: line breaks become spaces, so a base model's line format is kept.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Words of the hook and of the CTA taken from an unpunctuated example.
const UNPUNCTUATED_PART_WORDS: usize = 12;

/// Splits an example script into a draft: first sentence the hook, last the CTA, the rest the body.
/// Unpunctuated text (speech-to-text transcripts: one "sentence" of 40+ words) is split by words
/// instead: the first 12 the hook, the last 12 the CTA.
pub fn example_as_draft(text: &str) -> Draft {
    let s: Vec<&str> = sentences(text).into_iter().map(str::trim).collect();
    let w = crate::text::words(text);
    if s.len() <= 2 && w.len() as f64 > crate::style::UNPUNCTUATED_SENTENCE_WORDS {
        let k = UNPUNCTUATED_PART_WORDS;
        return Draft {
            hook: w[..k].join(" "),
            body: vec![w[k..w.len() - k].join(" ")],
            cta: w[w.len() - k..].join(" "),
        };
    }
    match s.len() {
        0 => Draft::default(),
        1 => Draft {
            hook: s[0].to_string(),
            body: Vec::new(),
            cta: String::new(),
        },
        2 => Draft {
            hook: s[0].to_string(),
            body: vec![s[1].to_string()],
            cta: String::new(),
        },
        n => Draft {
            hook: s[0].to_string(),
            body: vec![s[1..n - 1].join(" ")],
            cta: s[n - 1].to_string(),
        },
    }
}

/// A draft in the labelled lines the prompts show and ask for: `HOOK:`, `BODY:`, `CTA:`.
pub fn draft_lines(d: &Draft) -> String {
    format!(
        "HOOK: {}\nBODY: {}\nCTA: {}",
        d.hook,
        d.body.join(" "),
        d.cta
    )
}

fn format_draft(topic: &str, d: &Draft) -> String {
    format!("TOPIC: {topic}\n{}\n", draft_lines(d))
}

/// Words to aim for: target seconds at the persona's WPM.
pub fn target_words(persona: &PersonaVersion, duration_s: f64) -> usize {
    (duration_s * persona.style.pace.wpm / 60.0)
        .round()
        .max(10.0) as usize
}

/// The draft request: `n` attempts, few-shot on `examples` (indices into the persona's examples,
/// nearest first).
pub fn draft_request(
    style: PromptStyle,
    persona: &PersonaVersion,
    examples: &[usize],
    brief: &Brief<'_>,
    n: u32,
) -> LlmRequest {
    // A text format's length is words, not spoken seconds.
    let words = crate::formats::target_words(brief.platform)
        .unwrap_or_else(|| target_words(persona, brief.duration_s));
    let shots: Vec<String> = examples
        .iter()
        .filter_map(|&i| persona.examples.get(i))
        .map(|e| {
            let topic = e
                .example
                .title
                .clone()
                .unwrap_or_else(|| "(untitled)".into());
            format_draft(
                &topic,
                &example_as_draft(&truncate_chars(&e.example.text, EXAMPLE_CHARS)),
            )
        })
        .collect();
    let who = persona
        .profile
        .display_name
        .clone()
        .unwrap_or_else(|| persona.name.clone());
    let max_tokens = ((words as f64) * TOKENS_PER_WORD).ceil() as u32 + 40;
    let mut req = match style {
        PromptStyle::Base => {
            let prompt = format!(
                "Short video scripts by {who}{}, about {words} words each, every one with a HOOK, \
                 a BODY and a CTA.\n\n{}\nTOPIC: {}\nHOOK:",
                persona
                    .profile
                    .niche
                    .as_ref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default(),
                shots.join("\n"),
                brief.topic
            );
            // A base model reads requirements and background as the note before the topic it
            // continues. A hook type or a call to action asked for is left out: a small base model
            // parrots it ("open with a question" became "Do you have an idea for a question to
            // ask?"); the examples that open or close that way lead the few-shot evidence instead.
            let notes: Vec<String> = brief
                .requirements
                .iter()
                .filter(|r| crate::experiment::Pattern::of_requirement(r).is_none())
                .map(|r| one_line(r).trim_end_matches('.').to_string())
                .chain(brief.context.map(one_line))
                .filter(|n| !n.is_empty())
                .collect();
            let prompt = if notes.is_empty() {
                prompt
            } else {
                prompt.replacen(
                    &format!("\nTOPIC: {}\nHOOK:", brief.topic),
                    &format!(
                        "\nNOTES: {}\nTOPIC: {}\nHOOK:",
                        notes.join(". "),
                        brief.topic
                    ),
                    1,
                )
            };
            let mut r = LlmRequest::new(Prompt::Completion(prompt), DRAFT_TEMPERATURE, max_tokens);
            r.stop = vec!["\nTOPIC:".into(), "\n\n\n".into()];
            r
        }
        PromptStyle::Instruct => {
            let p = &persona.profile;
            let mut facts = Vec::new();
            for (label, value) in [
                ("Niche", p.niche.clone()),
                ("Audience", p.target_audience.clone()),
                ("Voice", p.unique_voice.clone()),
                ("Storytelling", p.storytelling_style.clone()),
            ] {
                if let Some(v) = value {
                    facts.push(format!("{label}: {v}"));
                }
            }
            if !p.pain_points.is_empty() {
                facts.push(format!("Pain points: {}", p.pain_points.join("; ")));
            }
            let system = format!(
                "You write short-form video scripts in the voice of {who}. {}\nTone: {}.\n\
                 Write like the examples: their hooks, rhythm, phrases and calls to action.",
                facts.join("\n"),
                tone_guidance(brief.tone)
            );
            let what = match brief.platform.format() {
                crate::platform::Format::Video => format!(
                    "Write a {} script in {} about: {}\nLength: about {words} spoken words ({:.0} \
                     seconds at {:.0} words per minute).\n{}",
                    brief.content_type.as_str(),
                    brief.language,
                    brief.topic,
                    brief.duration_s,
                    persona.style.pace.wpm,
                    platform_hint(brief.platform)
                ),
                crate::platform::Format::Thread => format!(
                    "Write a {} X (Twitter) thread in {} about: {}\nLength: about {words} words. \
                     The hook is the first post and must make people open the thread; every body \
                     sentence is one point that stands on its own.",
                    brief.content_type.as_str(),
                    brief.language,
                    brief.topic
                ),
                crate::platform::Format::Post => format!(
                    "Write a {} LinkedIn post in {} about: {}\nLength: about {words} words. The hook \
                     is the line shown before \"…see more\": under 200 characters; then short \
                     paragraphs.",
                    brief.content_type.as_str(),
                    brief.language,
                    brief.topic
                ),
            };
            let mut asks =
                format!("{what}\nAnswer with exactly three labelled lines: HOOK:, BODY:, CTA:.");
            asks.push_str(match crate::score::purpose::topic_asks(brief.topic) {
                Some(crate::score::purpose::Asks::Why) => {
                    "\nThe topic asks why: say the reason in so many words (\"because…\")."
                }
                Some(crate::score::purpose::Asks::How) => {
                    "\nThe topic asks how: give at least one step the viewer can take."
                }
                None => "",
            });
            for r in brief.requirements {
                asks.push_str(&format!("\nThe script must: {r}"));
            }
            if let Some(c) = brief.context {
                asks.push_str(&format!(
                    "\nDraw on this background (do not invent other facts):\n{c}"
                ));
            }
            if !brief.trending.is_empty() {
                asks.push_str(&format!(
                    "\nIt is trending: work in one of these phrases where it fits: {}",
                    brief.trending.join("; ")
                ));
            }
            let worked: Vec<String> = brief
                .proven
                .iter()
                .filter(|(_, lift)| *lift >= 1.0)
                .filter_map(|(i, lift)| {
                    let e = persona.examples.get(*i)?;
                    let name = e.example.name();
                    Some(format!("\"{name}\" ({lift:.1}× my usual views)"))
                })
                .collect();
            let proven = if worked.is_empty() {
                String::new()
            } else {
                format!(
                    "These did best when I posted them: {}. Lean on what they do.\n",
                    worked.join(", ")
                )
            };
            let won = if brief.won.is_empty() {
                String::new()
            } else {
                format!(
                    "My A/B tests found what works for my audience: {}. Use that pattern unless the brief asks otherwise.\n",
                    brief.won.join("; ")
                )
            };
            let user = format!(
                "Examples of my scripts:\n\n{}\n{proven}{won}{asks}",
                shots.join("\n")
            );
            LlmRequest::new(
                Prompt::Chat(vec![
                    Message::new(Role::System, system),
                    Message::new(Role::User, user),
                ]),
                DRAFT_TEMPERATURE,
                max_tokens,
            )
        }
    };
    req.n = n.max(1);
    req
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_split_into_hook_body_cta() {
        let d = example_as_draft("Stop it. First this. Then that. Follow me.");
        assert_eq!(d.hook, "Stop it.");
        assert_eq!(d.body, vec!["First this. Then that."]);
        assert_eq!(d.cta, "Follow me.");
    }

    #[test]
    fn unpunctuated_transcripts_split_by_words() {
        let text = (0..60)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let d = example_as_draft(&text);
        assert_eq!(d.hook.split(' ').count(), 12);
        assert_eq!(d.cta.split(' ').count(), 12);
        assert!(d.cta.ends_with("w59"));
    }

    #[test]
    fn each_video_platform_is_told_its_own_words_for_follow_and_link() {
        use crate::platform::Platform;
        assert_eq!(
            platform_hint(Platform::Shorts),
            "It is for YouTube Shorts: a call to follow says “subscribe”, and a link is “the link on my channel”."
        );
        assert_eq!(
            platform_hint(Platform::Tiktok),
            "It is for TikTok: a call to follow says “follow”, and a link is “link in bio”."
        );
        // The hint is what the card accepts: neither word it gives is flagged on its platform.
        for p in Platform::ALL {
            let hint = platform_hint(p);
            let says_subscribe = hint.contains("“subscribe”");
            assert_eq!(
                crate::cta::Mechanic::Subscribe.instead_on(p).is_none(),
                says_subscribe,
                "{hint}"
            );
        }
    }

    #[test]
    fn an_instruct_model_is_told_what_a_question_topic_owes() {
        use crate::llm::{Prompt, PromptStyle};
        use crate::persona::{ExampleScript, PersonaVersion};
        let persona = PersonaVersion::unsaved(
            "maya",
            vec![ExampleScript {
                title: None,
                text: "Stop drinking coffee at 3am. Caffeine lingers for six hours.".into(),
                source: "a.md".into(),
                duration_s: None,
            }],
            Some("en"),
        );
        let asked = |topic: &str| match draft_request(
            PromptStyle::Instruct,
            &persona,
            &[0],
            &Brief::plain(topic, 30.0, "English"),
            1,
        )
        .prompt
        {
            Prompt::Chat(m) => m.iter().map(|m| m.content.clone()).collect::<String>(),
            Prompt::Completion(t) => t,
        };
        assert!(asked("why you crash at 4am").contains("The topic asks why: say the reason"));
        assert!(
            asked("how to nap before nights")
                .contains("The topic asks how: give at least one step")
        );
        let plain = asked("coffee on nights");
        assert!(!plain.contains("The topic asks"), "{plain}");
    }

    #[test]
    fn tones_differ() {
        assert_ne!(tone_guidance(Style::Sales), tone_guidance(Style::Casual));
    }
}
