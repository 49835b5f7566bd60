//! Persona analysis through the router: the prompt and validation from
//! [`reelsmith_core::persona_analysis`], one call on the `analysis` step, and one repair re-prompt
//! when the answer cannot be used.

use reelsmith_core::llm::{
    CallContext, LlmError, LlmErrorKind, Message, ModelRouter, Prompt, PromptStyle, Role, Step,
};
use reelsmith_core::persona::{CreatorProfile, ExampleScript};
use reelsmith_core::persona_analysis::{self, Analysis};

/// A finished analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisRun {
    /// What the model filled and left.
    pub analysis: Analysis,
    /// The provider that answered.
    pub provider: String,
    /// Its model.
    pub model: String,
    /// Ledger ids of the calls made (to link them to the stored version).
    pub call_ids: Vec<i64>,
    /// Wall time of the calls, milliseconds.
    pub latency_ms: u64,
}

/// Asks the `analysis` step's model for the persona fields.
///
/// # Errors
/// The router's error when no model answered, or [`LlmErrorKind::Unparseable`] when the answer and
/// its repair were both unusable.
pub async fn analyze_persona(
    router: &dyn ModelRouter,
    ctx: CallContext,
    profile: &CreatorProfile,
    examples: &[ExampleScript],
) -> Result<AnalysisRun, LlmError> {
    let style = router.prompt_style(Step::Analysis).await?;
    let mut request = persona_analysis::request(style, profile, examples);
    let first = router.call(Step::Analysis, ctx, &request, None).await?;
    let mut run = AnalysisRun {
        analysis: Analysis::default(),
        provider: first.provider.clone(),
        model: first.model.clone(),
        call_ids: first.call_ids(),
        latency_ms: first.latency_ms,
    };
    let answer = first.first_text();
    let why = match persona_analysis::parse(style, &answer, profile, examples) {
        Ok(a) => {
            run.analysis = a;
            return Ok(run);
        }
        Err(why) => why,
    };
    // One repair: instruct models are told what was wrong; base models get another sample.
    match (&mut request.prompt, style) {
        (Prompt::Chat(messages), PromptStyle::Instruct) => {
            messages.push(Message::new(Role::Assistant, answer));
            messages.push(Message::new(
                Role::User,
                format!(
                    "That answer could not be used: {why}. Answer again with only the JSON object."
                ),
            ));
        }
        _ => request.seed = request.seed.map(|s| s.wrapping_add(1)),
    }
    let second = router.call(Step::Analysis, ctx, &request, None).await?;
    run.call_ids.extend(second.call_ids());
    run.latency_ms += second.latency_ms;
    let answer = second.first_text();
    run.analysis = persona_analysis::parse(style, &answer, profile, examples).map_err(|why2| {
        LlmError::new(
            LlmErrorKind::Unparseable,
            &second.provider,
            &second.model,
            format!("the persona analysis could not be used, twice: {why}; then {why2}"),
        )
    })?;
    Ok(run)
}
