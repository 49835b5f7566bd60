//! Persona analysis by a language model: the semantic persona fields (expertise, unique voice,
//! personality traits, storytelling style, audience, pain points, desires, successful topics) read
//! from the creator's story and example scripts.
//!
//! Instruct models get a chat prompt and a JSON schema. Base models (like the default gemma-3-270m)
//! get a completion-style few-shot prompt in a `KEY: value` line format and are asked only for the
//! fields a small model fills reliably (audience, expertise, topics); every item must be grounded in
//! the source text (at least half its content words occur there) or it is dropped. The user's own
//! statements always win: the analysis only fills fields the user left empty.

use std::collections::HashSet;

use serde_json::json;

use crate::llm::{JsonSchema, LlmRequest, Message, Prompt, PromptStyle, Role};
use crate::persona::{CreatorProfile, ExampleScript};
use crate::structured::{extract_json, parse_lines};
use crate::text::{fold, truncate_chars, words};

/// Sampling temperature for analysis: low, for faithful extraction.
pub const TEMPERATURE: f32 = 0.3;
/// Story characters put in the prompt.
const STORY_CHARS: usize = 1_500;
/// Example characters put in the prompt, per example.
const EXAMPLE_CHARS: usize = 400;
/// Examples put in the prompt.
const EXAMPLES: usize = 3;
/// Most items kept per list field.
const MAX_ITEMS: usize = 6;
/// Longest item or sentence kept, characters.
const MAX_ITEM_CHARS: usize = 160;

/// Every semantic field, by its profile name.
pub const ALL_FIELDS: [&str; 8] = [
    "expertise",
    "unique_voice",
    "personality_traits",
    "storytelling_style",
    "target_audience",
    "pain_points",
    "desires",
    "successful_topics",
];

/// The few-shot examples of the base-model prompt: two creators far from any real persona, so a
/// copied answer is easy to detect (see [`Grounding::holds`]).
const FEW_SHOT: &str = "Creator profiles, each written from the creator's story and scripts.\n\n\
### Story\nI'm Sam, a high-school chemistry teacher. I make videos for home cooks who follow recipes \
without knowing why they work.\n### Scripts\nWhy does bread rise? Yeast eats sugar and breathes out \
gas. Salt your pasta water, here is the chemistry.\n### Profile\nAUDIENCE: home cooks who follow \
recipes without knowing why they work\nEXPERTISE: chemistry; baking science; teaching\nTOPICS: why \
bread rises; salting pasta water\nEND\n\n\
### Story\nTwenty years fixing bicycles in Utrecht taught me that most repairs take five minutes.\n\
### Scripts\nYour chain squeaks because it is dry, not old. Flat tyre? Check the valve first.\n\
### Profile\nAUDIENCE: commuters who ride every day and want to fix their own bike\nEXPERTISE: bicycle \
repair; maintenance\nTOPICS: squeaky chains; flat tyres\nEND\n\n";

/// The fields asked of base models, with their line-format keys.
const BASE_FIELDS: [(&str, &str); 3] = [
    ("target_audience", "AUDIENCE"),
    ("expertise", "EXPERTISE"),
    ("successful_topics", "TOPICS"),
];

/// What an analysis produced.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    /// The fields the model filled (others empty).
    pub profile: CreatorProfile,
    /// Fields filled, by profile name.
    pub filled: Vec<&'static str>,
    /// Fields left to the user (not asked, or the answer was unusable), by profile name.
    pub left: Vec<&'static str>,
}

/// Builds the analysis request for a model prompted as `style`.
pub fn request(
    style: PromptStyle,
    profile: &CreatorProfile,
    examples: &[ExampleScript],
) -> LlmRequest {
    let (story, samples) = shown(profile, examples);
    match style {
        PromptStyle::Instruct => {
            let mut req = LlmRequest::new(
                Prompt::Chat(vec![
                    Message::new(
                        Role::System,
                        "You analyse a short-form video creator from their story and scripts. \
                         Answer with one JSON object and nothing else. Use only what the texts \
                         support; leave a field empty (\"\" or []) when they do not say.",
                    ),
                    Message::new(
                        Role::User,
                        format!(
                            "Story:\n{story}\n\nExample scripts:\n{}\n\nReturn JSON with keys: \
                             expertise (list), unique_voice (one sentence), personality_traits \
                             (list of adjectives), storytelling_style (one sentence), \
                             target_audience (one sentence), pain_points (list), desires (list), \
                             successful_topics (list).",
                            samples.join("\n---\n")
                        ),
                    ),
                ]),
                TEMPERATURE,
                700,
            );
            req.json_schema = Some(schema());
            req
        }
        PromptStyle::Base => {
            let prompt = format!(
                "{FEW_SHOT}### Story\n{story}\n### Scripts\n{}\n### Profile\nAUDIENCE:",
                samples.join("\n")
            );
            let mut req = LlmRequest::new(Prompt::Completion(prompt), TEMPERATURE, 120);
            req.stop = vec!["END".into(), "###".into(), "\n\n".into()];
            req.seed = Some(7);
            req
        }
    }
}

/// What the prompt shows the model: the story's first [`STORY_CHARS`] characters and the first
/// [`EXAMPLE_CHARS`] of each of the first [`EXAMPLES`] examples.
fn shown(profile: &CreatorProfile, examples: &[ExampleScript]) -> (String, Vec<String>) {
    let story = truncate_chars(profile.story.as_deref().unwrap_or(""), STORY_CHARS);
    let samples = examples
        .iter()
        .take(EXAMPLES)
        .map(|e| truncate_chars(e.text.trim(), EXAMPLE_CHARS))
        .collect();
    (story.to_string(), samples)
}

/// The JSON schema of the instruct answer.
pub fn schema() -> JsonSchema {
    let list = json!({"type": "array", "items": {"type": "string"}});
    let text = json!({"type": "string"});
    JsonSchema {
        name: "persona_fields".into(),
        schema: json!({
            "type": "object",
            "additionalProperties": false,
            "required": ALL_FIELDS,
            "properties": {
                "expertise": list, "unique_voice": text, "personality_traits": list,
                "storytelling_style": text, "target_audience": text, "pain_points": list,
                "desires": list, "successful_topics": list,
            }
        }),
    }
}

/// Parses and validates the model's answer.
///
/// # Errors
/// A message saying why the answer is unusable (no JSON / no line found), for the repair re-prompt.
pub fn parse(
    style: PromptStyle,
    answer: &str,
    profile: &CreatorProfile,
    examples: &[ExampleScript],
) -> Result<Analysis, String> {
    let mut source = profile.story.clone().unwrap_or_default();
    for e in examples {
        source.push('\n');
        source.push_str(&e.text);
    }
    let language = crate::language::detect_language(&source, profile.language.as_deref()).code;
    // A base model's item must be grounded in what it was shown, not anywhere in the examples: in
    // 45 podcast transcripts almost any word occurs somewhere, and "repair; maintenance", copied
    // from the few-shot bicycle mechanic, passed for a Go programmer's expertise.
    let (story, samples) = shown(profile, examples);
    let grounding = Grounding::new(&format!("{story}\n{}", samples.join("\n")), &language);
    let mut out = Analysis::default();
    match style {
        PromptStyle::Instruct => {
            let v = extract_json(answer)?;
            if !v.is_object() {
                return Err("the answer is JSON but not an object".into());
            }
            for field in ALL_FIELDS {
                let value = &v[field];
                let ok = match value {
                    serde_json::Value::Array(items) => {
                        let items: Vec<String> = items
                            .iter()
                            .filter_map(|i| i.as_str())
                            .filter_map(clean)
                            .take(MAX_ITEMS)
                            .collect();
                        set_list(&mut out.profile, field, items)
                    }
                    serde_json::Value::String(s) => {
                        clean(s).is_some_and(|s| set_text(&mut out.profile, field, s))
                    }
                    _ => false,
                };
                push(&mut out, field, ok);
            }
        }
        PromptStyle::Base => {
            let keys: Vec<&str> = BASE_FIELDS.iter().map(|(_, k)| *k).collect();
            let lines = parse_lines(&format!("AUDIENCE:{answer}"), &keys);
            if lines.is_empty() {
                return Err("the answer holds no AUDIENCE/EXPERTISE/TOPICS line".into());
            }
            for (field, key) in BASE_FIELDS {
                let raw = lines.get(key).map(String::as_str).unwrap_or("");
                let first_line = raw.lines().next().unwrap_or("");
                let ok = if field == "target_audience" {
                    clean(first_line)
                        .filter(|s| grounding.holds(s))
                        .is_some_and(|s| set_text(&mut out.profile, field, s))
                } else {
                    let items: Vec<String> = first_line
                        .split([';', ','])
                        .filter_map(clean)
                        .filter(|s| grounding.holds(s))
                        .take(MAX_ITEMS)
                        .collect();
                    set_list(&mut out.profile, field, items)
                };
                push(&mut out, field, ok);
            }
            for field in ALL_FIELDS {
                if !out.filled.contains(&field) && !out.left.contains(&field) {
                    out.left.push(field);
                }
            }
        }
    }
    Ok(out)
}

fn push(out: &mut Analysis, field: &'static str, ok: bool) {
    if ok {
        out.filled.push(field);
    } else {
        out.left.push(field);
    }
}

/// Trims an item and rejects empty, placeholder or overlong ones.
fn clean(s: &str) -> Option<String> {
    let t = s.trim().trim_matches(['"', '.', ' ', '-', '*']).trim();
    let lower = t.to_lowercase();
    let placeholder = ["n/a", "none", "unknown", "not stated", "null"].contains(&lower.as_str());
    (!t.is_empty() && !placeholder && t.chars().count() <= MAX_ITEM_CHARS).then(|| t.to_string())
}

fn set_list(p: &mut CreatorProfile, field: &str, items: Vec<String>) -> bool {
    let mut seen = HashSet::new();
    let items: Vec<String> = items
        .into_iter()
        .filter(|i| seen.insert(i.to_lowercase()))
        .collect();
    if items.is_empty() {
        return false;
    }
    match field {
        "expertise" => p.expertise = items,
        "personality_traits" => p.personality_traits = items,
        "pain_points" => p.pain_points = items,
        "desires" => p.desires = items,
        "successful_topics" => p.successful_topics = items,
        _ => return false,
    }
    true
}

fn set_text(p: &mut CreatorProfile, field: &str, value: String) -> bool {
    match field {
        "unique_voice" => p.unique_voice = Some(value),
        "storytelling_style" => p.storytelling_style = Some(value),
        "target_audience" => p.target_audience = Some(value),
        _ => return false,
    }
    true
}

/// Checks that a model's phrase is supported by the source text and not copied from the prompt's
/// few-shot examples.
struct Grounding {
    words: HashSet<String>,
    few_shot: HashSet<String>,
    stops: HashSet<String>,
}

impl Grounding {
    fn new(source: &str, language: &str) -> Self {
        let stems =
            |t: &str| -> HashSet<String> { words(&fold(t)).into_iter().map(stem).collect() };
        Self {
            words: stems(source),
            few_shot: stems(FEW_SHOT),
            stops: crate::phrases::stop_words_for(language),
        }
    }

    /// At least two thirds of the phrase's content words (4+ letters, not stop words) occur in the
    /// source, compared on a crude 4-letter stem so "rotating"/"rotation" match; and not all of
    /// them occur in the few-shot examples while some are missing from the source (a copy).
    fn holds(&self, phrase: &str) -> bool {
        let folded = fold(phrase);
        let content: Vec<String> = words(&folded)
            .into_iter()
            .filter(|w| w.chars().count() >= 4 && !self.stops.contains(*w))
            .map(stem)
            .collect();
        if content.is_empty() {
            return false;
        }
        let grounded = content.iter().filter(|w| self.words.contains(*w)).count();
        let copied = content.iter().all(|w| self.few_shot.contains(w));
        grounded * 3 >= content.len() * 2 && !(copied && grounded < content.len())
    }
}

fn stem(w: &str) -> String {
    w.chars().take(4).collect()
}

/// Whether `field` (one of [`ALL_FIELDS`]) is empty in `p`, i.e. left for the analysis to fill.
pub fn field_is_empty(p: &CreatorProfile, field: &str) -> bool {
    match field {
        "expertise" => p.expertise.is_empty(),
        "unique_voice" => p.unique_voice.is_none(),
        "personality_traits" => p.personality_traits.is_empty(),
        "storytelling_style" => p.storytelling_style.is_none(),
        "target_audience" => p.target_audience.is_none(),
        "pain_points" => p.pain_points.is_empty(),
        "desires" => p.desires.is_empty(),
        "successful_topics" => p.successful_topics.is_empty(),
        _ => false,
    }
}

/// Fills the fields of `user` the user left empty from `analysis`; the user's statements win.
pub fn fill_gaps(user: &CreatorProfile, analysis: &CreatorProfile) -> CreatorProfile {
    analysis.clone().overlay(user.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> CreatorProfile {
        CreatorProfile {
            story: Some(
                "I was an ER nurse on night shifts for nine years. Now I coach shift workers \
                 on sleep, energy and caffeine timing."
                    .into(),
            ),
            ..CreatorProfile::default()
        }
    }

    #[test]
    fn instruct_json_fills_every_field_it_can() {
        let answer = r#"```json
{"expertise": ["sleep", "shift work", "sleep"], "unique_voice": "Blunt nurse humour.",
 "personality_traits": ["blunt", "warm"], "storytelling_style": "",
 "target_audience": "Night-shift workers", "pain_points": ["N/A"], "desires": [],
 "successful_topics": ["caffeine timing"],}
```"#;
        let a = parse(PromptStyle::Instruct, answer, &profile(), &[]).unwrap_or_default();
        assert_eq!(a.profile.expertise, vec!["sleep", "shift work"]);
        assert_eq!(
            a.profile.unique_voice.as_deref(),
            Some("Blunt nurse humour")
        );
        assert!(a.left.contains(&"storytelling_style"));
        assert!(a.left.contains(&"pain_points"));
        assert_eq!(a.filled.len() + a.left.len(), ALL_FIELDS.len());
    }

    #[test]
    fn base_answers_are_grounded_or_dropped() {
        let answer = " night shift workers who want more energy\nEXPERTISE: nursing; sleep; quantum physics\nTOPICS: caffeine timing";
        let a = parse(PromptStyle::Base, answer, &profile(), &[]).unwrap_or_default();
        assert_eq!(
            a.profile.target_audience.as_deref(),
            Some("night shift workers who want more energy")
        );
        assert_eq!(a.profile.expertise, vec!["nursing", "sleep"]);
        assert_eq!(a.profile.successful_topics, vec!["caffeine timing"]);
        assert!(a.left.contains(&"unique_voice"));
        assert_eq!(a.filled.len(), 3);
    }

    #[test]
    fn copies_of_the_few_shot_examples_are_dropped() {
        let answer = " home cooks who follow recipes without knowing why they work\nEXPERTISE: baking science; sleep\nTOPICS: flat tyres";
        let a = parse(PromptStyle::Base, answer, &profile(), &[]).unwrap_or_default();
        assert_eq!(a.profile.target_audience, None);
        assert_eq!(a.profile.expertise, vec!["sleep"]);
        assert!(a.profile.successful_topics.is_empty());
    }

    #[test]
    fn items_must_be_grounded_in_what_the_model_was_shown() {
        // The few-shot mechanic's answer, for a creator whose examples mention repairs and bikes
        // only beyond what the prompt shows (past the first 400 characters, or a fourth example).
        let talk = |tail: &str| ExampleScript {
            text: format!(
                "{} {tail}",
                "Thanks for having me, it is good to be back. ".repeat(12)
            ),
            title: None,
            source: "episode.txt".into(),
            duration_s: None,
        };
        let examples = [
            talk("I repair things and do maintenance."),
            talk("Squeaky chains."),
            talk("People fix their own bikes."),
            talk("Bike repair and maintenance for people who fix their own bikes; squeaky chains."),
        ];
        let copied = " people who like to fix their own bikes\nEXPERTISE: repair; maintenance\nTOPICS: squeaky chains";
        let a = parse(PromptStyle::Base, copied, &profile(), &examples).unwrap_or_default();
        assert_eq!(a.filled, Vec::<&str>::new(), "{a:?}");
        // The same items, shown to the model in the story, are kept.
        let told = CreatorProfile {
            story: Some("I do bike repair and maintenance for people who like to fix their own bikes: squeaky chains.".into()),
            ..CreatorProfile::default()
        };
        let a = parse(PromptStyle::Base, copied, &told, &examples).unwrap_or_default();
        assert_eq!(a.profile.expertise, vec!["repair", "maintenance"], "{a:?}");
        assert_eq!(a.profile.successful_topics, vec!["squeaky chains"], "{a:?}");
    }

    #[test]
    fn unusable_answers_are_errors() {
        assert!(parse(PromptStyle::Instruct, "I cannot help", &profile(), &[]).is_err());
    }

    #[test]
    fn user_statements_win() {
        let user = CreatorProfile {
            target_audience: Some("nurses".into()),
            ..CreatorProfile::default()
        };
        let model = CreatorProfile {
            target_audience: Some("everyone".into()),
            expertise: vec!["sleep".into()],
            ..CreatorProfile::default()
        };
        let out = fill_gaps(&user, &model);
        assert_eq!(out.target_audience.as_deref(), Some("nurses"));
        assert_eq!(out.expertise, vec!["sleep"]);
    }
}
