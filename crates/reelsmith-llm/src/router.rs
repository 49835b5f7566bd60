//! Routing of model calls: each step's provider chain (main provider, then fallbacks), spending caps
//! checked before each call, and one ledger row per call tried — never a silent fake result.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{Datelike, TimeZone, Utc};
use reelsmith_core::llm::{
    CallContext, CallOutcome, Llm, LlmCallRecord, LlmError, LlmErrorKind, LlmRequest, ModelRouter,
    PromptStyle, Routed, Step, TokenSink,
};
use reelsmith_core::store::LedgerStore;
use tokio::sync::OnceCell;
use tracing::Instrument;

use crate::config::LlmConfig;
use crate::local::{LocalLlm, locate_gguf};
use crate::openai::{OpenAiCompatible, Policy};
use crate::providers::{FREE_PRICE, LOCAL, Price, ProviderSpec, resolve};

/// The verdict on one provider of a step's chain, from `reelsmith llm test`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Probe {
    /// The step.
    pub step: Step,
    /// 0 for the main provider, then each fallback.
    pub position: usize,
    /// Provider name.
    pub provider: String,
    /// Model.
    pub model: String,
    /// How the model is prompted, when it could be built.
    pub style: Option<reelsmith_core::llm::PromptStyle>,
    /// Whether the endpoint lists the model (`None`: it does not list models, or is local).
    pub model_listed: Option<bool>,
    /// The price used for costs, USD per million input/output tokens, with its source.
    pub price: Option<(f64, f64, String)>,
    /// Wall time of the test completion, milliseconds.
    pub latency_ms: u64,
    /// The test completion's text, or the error.
    pub result: Result<String, LlmError>,
}

/// One link of a chain: a configured provider (built on first use) or a ready model (tests).
#[derive(Clone)]
enum Link {
    Configured(ProviderSpec),
    Ready(Arc<dyn Llm>, Option<Price>),
    Broken {
        name: String,
        model: String,
        kind: LlmErrorKind,
        detail: String,
    },
}

impl Link {
    fn name(&self) -> &str {
        match self {
            Self::Configured(s) => &s.name,
            Self::Ready(m, _) => m.provider(),
            Self::Broken { name, .. } => name,
        }
    }
    fn model(&self) -> &str {
        match self {
            Self::Configured(s) => &s.model,
            Self::Ready(m, _) => m.model(),
            Self::Broken { model, .. } => model,
        }
    }
    fn price(&self) -> Option<Price> {
        match self {
            Self::Configured(s) => s.price,
            Self::Ready(_, p) => *p,
            Self::Broken { .. } => None,
        }
    }
}

/// Routes each step's calls through its provider chain, enforcing the budget and writing the ledger.
pub struct LlmRouter {
    chains: HashMap<Step, Vec<Link>>,
    policy: Policy,
    local: LocalSettings,
    local_model: Arc<OnceCell<Result<LocalLlm, LlmError>>>,
    remote: Mutex<HashMap<(String, String), Arc<OpenAiCompatible>>>,
    ledger: Arc<dyn LedgerStore>,
    daily_usd: Option<f64>,
    monthly_usd: Option<f64>,
}

#[derive(Clone)]
struct LocalSettings {
    config: crate::config::LocalConfig,
    data_dir: PathBuf,
}

impl LlmRouter {
    /// A router for `config`; models are built (and the local model loaded) on first use.
    pub fn new(config: &LlmConfig, data_dir: PathBuf, ledger: Arc<dyn LedgerStore>) -> Self {
        let mut chains = HashMap::new();
        for step in Step::ALL {
            let sc = config.steps.get(step.as_str()).cloned().unwrap_or_default();
            let main = sc
                .provider
                .clone()
                .unwrap_or_else(|| config.provider.clone());
            let model = sc.model.clone().or_else(|| {
                (sc.provider.is_none() || sc.provider.as_deref() == Some(config.provider.as_str()))
                    .then(|| config.model.clone())
                    .flatten()
            });
            let fallback = sc
                .fallback
                .clone()
                .unwrap_or_else(|| config.fallback.clone());
            let mut names: Vec<(String, Option<String>)> = vec![(main.clone(), model)];
            for f in fallback {
                if !names.iter().any(|(n, _)| *n == f) {
                    names.push((f, None));
                }
            }
            let links = names
                .into_iter()
                .map(
                    |(name, model)| match resolve(config, &name, model.as_deref()) {
                        Ok(spec) => Link::Configured(spec),
                        Err((kind, detail)) => Link::Broken {
                            model: model.unwrap_or_default(),
                            name,
                            kind,
                            detail,
                        },
                    },
                )
                .collect();
            chains.insert(step, links);
        }
        Self {
            chains,
            policy: Policy {
                connect_timeout: Duration::from_secs_f64(config.connect_timeout_s.max(0.1)),
                timeout: Duration::from_secs_f64(config.timeout_s.max(0.1)),
                max_retries: config.max_retries,
                backoff: Duration::from_millis(config.backoff_ms),
            },
            local: LocalSettings {
                config: config.local.clone(),
                data_dir,
            },
            local_model: Arc::new(OnceCell::new()),
            remote: Mutex::new(HashMap::new()),
            ledger,
            daily_usd: config.budget.daily_usd,
            monthly_usd: config.budget.monthly_usd,
        }
    }

    /// A router whose every step uses `chain` (main model first, then fallbacks), e.g. scripted test
    /// models; `price` applies to all of them.
    pub fn with_models(
        chain: Vec<Arc<dyn Llm>>,
        price: Option<Price>,
        ledger: Arc<dyn LedgerStore>,
    ) -> Self {
        let mut router = Self::new(&LlmConfig::default(), PathBuf::new(), ledger);
        let links: Vec<Link> = chain.into_iter().map(|m| Link::Ready(m, price)).collect();
        for step in Step::ALL {
            router.chains.insert(step, links.clone());
        }
        router
    }

    /// Sets the spending caps, USD per UTC day and month.
    pub fn with_budget(mut self, daily_usd: Option<f64>, monthly_usd: Option<f64>) -> Self {
        self.daily_usd = daily_usd;
        self.monthly_usd = monthly_usd;
        self
    }

    /// The providers and models of `step`'s chain, main first.
    pub fn chain(&self, step: Step) -> Vec<(String, String)> {
        self.chains
            .get(&step)
            .map(|c| {
                c.iter()
                    .map(|l| (l.name().to_string(), l.model().to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The main model of `step`, built (or loaded) now.
    ///
    /// # Errors
    /// The provider's configuration or loading error.
    pub async fn main_model(&self, step: Step) -> Result<Arc<dyn Llm>, LlmError> {
        let link = self
            .chains
            .get(&step)
            .and_then(|c| c.first())
            .cloned()
            .ok_or_else(|| {
                LlmError::new(
                    LlmErrorKind::Config,
                    "none",
                    "none",
                    "no provider configured",
                )
            })?;
        self.instantiate(&link).await
    }

    /// Each link of `step`'s chain built (or its error), main first — for `reelsmith llm test`.
    pub async fn models(
        &self,
        step: Step,
    ) -> Vec<(String, String, Result<Arc<dyn Llm>, LlmError>)> {
        let mut out = Vec::new();
        for link in self.chains.get(&step).cloned().unwrap_or_default() {
            let built = self.instantiate(&link).await;
            out.push((link.name().to_string(), link.model().to_string(), built));
        }
        out
    }

    /// Tests the provider at `position` of `step`'s chain (0: main) once, without retries or
    /// fallback: builds it, asks the endpoint's model list, runs one tiny completion (ledgered as the
    /// `test` step). `None` when there is no such position.
    pub async fn probe(&self, step: Step, position: usize) -> Option<Probe> {
        let link = self.chains.get(&step)?.get(position)?.clone();
        let link = &link;
        {
            let mut probe = Probe {
                step,
                position,
                provider: link.name().to_string(),
                model: link.model().to_string(),
                style: None,
                model_listed: None,
                price: link
                    .price()
                    .map(|p| (p.input_per_mtok, p.output_per_mtok, p.source.to_string())),
                latency_ms: 0,
                result: Ok(String::new()),
            };
            let started = Instant::now();
            let model: Result<Arc<dyn Llm>, LlmError> = match link {
                Link::Configured(spec) if spec.name != LOCAL => {
                    if !spec.key_env.is_empty()
                        && spec.api_key.is_none()
                        && spec.price != Some(FREE_PRICE)
                    {
                        Err(LlmError::new(
                            LlmErrorKind::Unauthorized,
                            &spec.name,
                            &spec.model,
                            format!("no API key: {} is not set", spec.key_env),
                        ))
                    } else {
                        match OpenAiCompatible::new(
                            spec.clone(),
                            Policy {
                                max_retries: 0,
                                ..self.policy
                            },
                        ) {
                            Ok(client) => {
                                probe.model_listed = client
                                    .list_models()
                                    .await
                                    .map(|ids| ids.contains(&spec.model));
                                Ok(Arc::new(client) as Arc<dyn Llm>)
                            }
                            Err(e) => Err(e),
                        }
                    }
                }
                other => self.instantiate(other).await,
            };
            probe.result = match model {
                Ok(model) => {
                    probe.style = Some(model.prompt_style());
                    probe.model = model.model().to_string();
                    let request = LlmRequest::new(
                        reelsmith_core::llm::Prompt::Chat(vec![reelsmith_core::llm::Message::new(
                            reelsmith_core::llm::Role::User,
                            "Reply with the single word OK.",
                        )]),
                        0.0,
                        8,
                    );
                    let single =
                        Self::with_models(vec![model], link.price(), Arc::clone(&self.ledger));
                    single
                        .call(Step::Test, CallContext::default(), &request, None)
                        .await
                        .map(|r| {
                            r.response
                                .choices
                                .first()
                                .map(|c| c.text.trim().to_string())
                                .unwrap_or_default()
                        })
                }
                Err(e) => Err(e),
            };
            probe.latency_ms = started.elapsed().as_millis() as u64;
            Some(probe)
        }
    }

    async fn instantiate(&self, link: &Link) -> Result<Arc<dyn Llm>, LlmError> {
        match link {
            Link::Ready(m, _) => Ok(Arc::clone(m)),
            Link::Broken {
                name,
                model,
                kind,
                detail,
            } => Err(LlmError::new(*kind, name, model, detail.clone())),
            Link::Configured(spec) if spec.name == LOCAL => {
                let settings = self.local.clone();
                let loaded = self
                    .local_model
                    .get_or_init(|| async move {
                        let path =
                            locate_gguf(settings.config.model_path.as_deref(), &settings.data_dir)?;
                        let cfg = settings.config.clone();
                        tokio::task::spawn_blocking(move || {
                            LocalLlm::load(&path, cfg.style, cfg.context_tokens, cfg.threads)
                        })
                        .await
                        .map_err(|e| LlmError::new(LlmErrorKind::Local, LOCAL, "", e.to_string()))?
                    })
                    .await;
                loaded.clone().map(|m| Arc::new(m) as Arc<dyn Llm>)
            }
            Link::Configured(spec) => {
                let key = (spec.name.clone(), spec.model.clone());
                if let Some(m) = self.remote.lock().ok().and_then(|r| r.get(&key).cloned()) {
                    return Ok(m);
                }
                let built = Arc::new(OpenAiCompatible::new(spec.clone(), self.policy)?);
                if let Ok(mut r) = self.remote.lock() {
                    r.insert(key, Arc::clone(&built));
                }
                Ok(built)
            }
        }
    }

    /// Refuses a call whose estimated cost would pass a cap.
    async fn check_budget(
        &self,
        ws: reelsmith_core::store::Workspace,
        price: Option<Price>,
        request: &LlmRequest,
    ) -> Result<f64, String> {
        let Some(price) = price else { return Ok(0.0) };
        let estimate = price.cost(
            request.estimated_prompt_tokens() * u64::from(request.n.max(1)),
            u64::from(request.max_tokens) * u64::from(request.n.max(1)),
        );
        if estimate <= 0.0 {
            return Ok(0.0);
        }
        let now = Utc::now();
        let day = Utc
            .with_ymd_and_hms(now.year(), now.month(), now.day(), 0, 0, 0)
            .single()
            .unwrap_or(now);
        let month = Utc
            .with_ymd_and_hms(now.year(), now.month(), 1, 0, 0, 0)
            .single()
            .unwrap_or(now);
        for (cap, since, what) in [
            (self.daily_usd, day, "daily"),
            (self.monthly_usd, month, "monthly"),
        ] {
            if let Some(cap) = cap {
                let spent = self
                    .ledger
                    .llm_spend_since(ws, since)
                    .await
                    .map_err(|e| e.to_string())?;
                if spent + estimate > cap {
                    return Err(format!(
                        "this call (up to ${estimate:.4}) would pass the {what} budget of ${cap:.2} (${spent:.4} spent)"
                    ));
                }
            }
        }
        Ok(estimate)
    }

    /// Runs `request` for `step`: the main provider, then each fallback in turn. Every try is
    /// ledgered (refused, failed or answered), fallbacks with the provider they replaced.
    ///
    /// # Errors
    /// When every provider failed: the last error, its detail listing each provider's failure.
    pub async fn call(
        &self,
        step: Step,
        ctx: CallContext,
        request: &LlmRequest,
        sink: Option<&TokenSink>,
    ) -> Result<Routed, LlmError> {
        let chain = self.chains.get(&step).cloned().unwrap_or_default();
        let main = chain.first().map(|l| l.name().to_string());
        let mut failures: Vec<LlmError> = Vec::new();
        let mut failed_ids: Vec<i64> = Vec::new();
        for (i, link) in chain.iter().enumerate() {
            let fallback_from = (i > 0).then(|| main.clone()).flatten();
            let started_at = Utc::now();
            let started = Instant::now();
            let mut record = LlmCallRecord {
                workspace: ctx.workspace,
                generation_id: ctx.generation_id,
                persona_version_id: ctx.persona_version_id,
                step,
                provider: link.name().to_string(),
                model: link.model().to_string(),
                prompt_tokens: 0,
                completion_tokens: 0,
                cost_usd: 0.0,
                latency_ms: 0,
                retries: 0,
                outcome: CallOutcome::Error,
                error: None,
                fallback_from: fallback_from.clone(),
                created_at: started_at,
            };
            if let Err(why) = self
                .check_budget(ctx.workspace, link.price(), request)
                .await
            {
                record.outcome = CallOutcome::Refused;
                record.error = Some(why.clone());
                failed_ids.push(
                    self.ledger
                        .record_llm_call(&record)
                        .await
                        .map_err(storage)?,
                );
                failures.push(LlmError::new(
                    LlmErrorKind::Budget,
                    link.name(),
                    link.model(),
                    why,
                ));
                continue;
            }
            let span = tracing::info_span!(
                "llm.call",
                step = step.as_str(),
                provider = link.name(),
                model = link.model(),
                fallback = fallback_from.is_some()
            );
            let result = async {
                let model = self.instantiate(link).await?;
                let name = model.model().to_string();
                model.complete(request, sink).await.map(|r| (name, r))
            }
            .instrument(span)
            .await;
            record.latency_ms = started.elapsed().as_millis() as u64;
            match result {
                Ok((model, response)) => {
                    record.model = model;
                    record.prompt_tokens = response.usage.prompt_tokens;
                    record.completion_tokens = response.usage.completion_tokens;
                    record.cost_usd = link.price().map_or(0.0, |p| {
                        p.cost(
                            response.usage.prompt_tokens,
                            response.usage.completion_tokens,
                        )
                    });
                    record.retries = response.retries;
                    record.outcome = CallOutcome::Ok;
                    let call_id = self
                        .ledger
                        .record_llm_call(&record)
                        .await
                        .map_err(storage)?;
                    tracing::info!(
                        prompt_tokens = record.prompt_tokens,
                        completion_tokens = record.completion_tokens,
                        cost_usd = record.cost_usd,
                        latency_ms = record.latency_ms,
                        retries = record.retries,
                        "llm call ok"
                    );
                    return Ok(Routed {
                        response,
                        provider: record.provider,
                        model: record.model,
                        cost_usd: record.cost_usd,
                        latency_ms: record.latency_ms,
                        call_id,
                        fallback_from,
                        failed_call_ids: failed_ids,
                    });
                }
                Err(e) => {
                    record.retries = e.retries;
                    record.error = Some(e.to_string());
                    failed_ids.push(
                        self.ledger
                            .record_llm_call(&record)
                            .await
                            .map_err(storage)?,
                    );
                    tracing::warn!(error = %e, "llm call failed");
                    failures.push(e);
                }
            }
        }
        let Some(mut last) = failures.pop() else {
            return Err(LlmError::new(
                LlmErrorKind::Config,
                "none",
                "none",
                format!("no provider is configured for the {} step", step.as_str()),
            ));
        };
        if !failures.is_empty() {
            let before: Vec<String> = failures.iter().map(ToString::to_string).collect();
            last.detail = format!("{} (after: {})", last.detail, before.join("; then "));
        }
        last.call_ids = failed_ids;
        Err(last)
    }
}

#[async_trait::async_trait]
impl ModelRouter for LlmRouter {
    async fn prompt_style(&self, step: Step) -> Result<PromptStyle, LlmError> {
        Ok(self.main_model(step).await?.prompt_style())
    }

    async fn call(
        &self,
        step: Step,
        ctx: CallContext,
        request: &LlmRequest,
        sink: Option<&TokenSink>,
    ) -> Result<Routed, LlmError> {
        LlmRouter::call(self, step, ctx, request, sink).await
    }
}

fn storage(e: reelsmith_core::Error) -> LlmError {
    LlmError::new(
        LlmErrorKind::Config,
        "ledger",
        "",
        format!("cannot write the call ledger: {e}"),
    )
}
