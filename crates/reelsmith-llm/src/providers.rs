//! The built-in provider table: OpenAI-compatible endpoints by name, with their key variable, default
//! model, capabilities and list prices; and the resolution of a provider name plus the config's
//! overrides into a [`ProviderSpec`].

use reelsmith_core::llm::{Capabilities, LlmErrorKind, PromptStyle};
use reelsmith_core::secret::Secret;

use crate::config::{LlmConfig, ProviderConfig};

/// The name of the in-process GGUF provider.
pub const LOCAL: &str = "local";

/// A list price, USD per million tokens, with where and when it was read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Price {
    /// USD per million input (prompt) tokens.
    pub input_per_mtok: f64,
    /// USD per million output (completion) tokens.
    pub output_per_mtok: f64,
    /// The page the price was read from, and its date.
    pub source: &'static str,
}

impl Price {
    /// Cost in USD of `prompt` input and `completion` output tokens.
    pub fn cost(&self, prompt: u64, completion: u64) -> f64 {
        (prompt as f64 * self.input_per_mtok + completion as f64 * self.output_per_mtok) / 1e6
    }
}

/// The price of models that run on the user's own machine or server.
pub const FREE_PRICE: Price = Price {
    input_per_mtok: 0.0,
    output_per_mtok: 0.0,
    source: "runs on your own machine",
};

/// One row of the built-in table.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    /// Provider name.
    pub name: &'static str,
    /// Base URL of the OpenAI-compatible API (empty for `local`).
    pub base_url: &'static str,
    /// Environment variable with the API key (empty: no key needed).
    pub key_env: &'static str,
    /// Default model.
    pub model: &'static str,
    /// List price of the default model.
    pub price: Price,
    /// Honours `response_format: json_schema`.
    pub json_schema: bool,
    /// Returns `n` choices per request.
    pub n: bool,
    /// Sends `max_completion_tokens` (OpenAI's current name) instead of `max_tokens`, which many
    /// compatible servers still require.
    pub max_completion_tokens: bool,
}

/// The built-in providers. Prices are list prices of the default model as published on the cited
/// page on the cited date; override them with `[llm.providers.NAME] price_*_per_mtok`.
pub const BUILTIN: &[Builtin] = &[
    Builtin {
        name: "openai",
        base_url: "https://api.openai.com/v1",
        key_env: "OPENAI_API_KEY",
        model: "gpt-4o-mini",
        price: Price {
            input_per_mtok: 0.15,
            output_per_mtok: 0.60,
            source: "openai.com/api/pricing, 2024-07-18",
        },
        json_schema: true,
        n: true,
        max_completion_tokens: true,
    },
    Builtin {
        name: "openrouter",
        base_url: "https://openrouter.ai/api/v1",
        key_env: "OPENROUTER_API_KEY",
        model: "openai/gpt-4o-mini",
        price: Price {
            input_per_mtok: 0.15,
            output_per_mtok: 0.60,
            source: "openrouter.ai/openai/gpt-4o-mini, 2024-07-18",
        },
        json_schema: true,
        n: false,
        max_completion_tokens: false,
    },
    Builtin {
        name: "groq",
        base_url: "https://api.groq.com/openai/v1",
        key_env: "GROQ_API_KEY",
        model: "llama-3.1-8b-instant",
        price: Price {
            input_per_mtok: 0.05,
            output_per_mtok: 0.08,
            source: "groq.com/pricing, 2024-11",
        },
        json_schema: false,
        n: false,
        max_completion_tokens: false,
    },
    Builtin {
        name: "together",
        base_url: "https://api.together.xyz/v1",
        key_env: "TOGETHER_API_KEY",
        model: "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo",
        price: Price {
            input_per_mtok: 0.18,
            output_per_mtok: 0.18,
            source: "together.ai/pricing, 2024-10",
        },
        json_schema: false,
        n: true,
        max_completion_tokens: false,
    },
    Builtin {
        name: "mistral",
        base_url: "https://api.mistral.ai/v1",
        key_env: "MISTRAL_API_KEY",
        model: "mistral-small-latest",
        price: Price {
            input_per_mtok: 0.20,
            output_per_mtok: 0.60,
            source: "mistral.ai/pricing, 2024-09-17",
        },
        json_schema: false,
        n: true,
        max_completion_tokens: false,
    },
    Builtin {
        name: "deepseek",
        base_url: "https://api.deepseek.com/v1",
        key_env: "DEEPSEEK_API_KEY",
        model: "deepseek-chat",
        price: Price {
            input_per_mtok: 0.27,
            output_per_mtok: 1.10,
            source: "api-docs.deepseek.com/quick_start/pricing, 2025-02-08",
        },
        json_schema: false,
        n: false,
        max_completion_tokens: false,
    },
    Builtin {
        name: "ollama",
        base_url: "http://localhost:11434/v1",
        key_env: "",
        model: "llama3.2",
        price: FREE_PRICE,
        json_schema: true,
        n: false,
        max_completion_tokens: false,
    },
    Builtin {
        name: "vllm",
        base_url: "http://localhost:8000/v1",
        key_env: "VLLM_API_KEY",
        model: "",
        price: FREE_PRICE,
        json_schema: true,
        n: true,
        max_completion_tokens: false,
    },
    Builtin {
        name: "llamacpp",
        base_url: "http://localhost:8080/v1",
        key_env: "",
        model: "default",
        price: FREE_PRICE,
        json_schema: true,
        n: false,
        max_completion_tokens: false,
    },
    Builtin {
        name: "lmstudio",
        base_url: "http://localhost:1234/v1",
        key_env: "",
        model: "",
        price: FREE_PRICE,
        json_schema: true,
        n: false,
        max_completion_tokens: false,
    },
    Builtin {
        name: LOCAL,
        base_url: "",
        key_env: "",
        model: crate::local::DEFAULT_MODEL_FILE,
        price: FREE_PRICE,
        json_schema: false,
        n: true,
        max_completion_tokens: false,
    },
];

/// A provider resolved from the table and the config: everything needed to call it.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderSpec {
    /// Provider name.
    pub name: String,
    /// Base URL (empty for `local`).
    pub base_url: String,
    /// The API key, if any.
    pub api_key: Option<Secret>,
    /// Where the key was looked for, for messages.
    pub key_env: String,
    /// The model.
    pub model: String,
    /// Its price, when known (unknown prices are ledgered as 0 and `llm test` warns).
    pub price: Option<Price>,
    /// Capabilities.
    pub capabilities: Capabilities,
    /// How to prompt it.
    pub style: PromptStyle,
    /// Send `max_completion_tokens` rather than `max_tokens`.
    pub max_completion_tokens: bool,
}

/// Resolves `name` (with `model` if given) against the table and `[llm.providers.NAME]`.
///
/// # Errors
/// `(LlmErrorKind::Config, message)` for an unknown provider, or a remote provider without a model.
pub fn resolve(
    config: &LlmConfig,
    name: &str,
    model: Option<&str>,
) -> Result<ProviderSpec, (LlmErrorKind, String)> {
    let builtin = BUILTIN.iter().find(|b| b.name == name);
    let over = config.providers.get(name).cloned().unwrap_or_default();
    if builtin.is_none() && over.base_url.is_none() {
        let known: Vec<&str> = BUILTIN.iter().map(|b| b.name).collect();
        return Err((
            LlmErrorKind::Config,
            format!(
                "unknown LLM provider '{name}' — use one of {} or define [llm.providers.{name}] with a base_url",
                known.join(", ")
            ),
        ));
    }
    let ProviderConfig {
        base_url,
        api_key_env,
        api_key,
        model: over_model,
        price_input_per_mtok,
        price_output_per_mtok,
        json_schema,
        n,
        style,
    } = over;
    let key_env = api_key_env.unwrap_or_else(|| builtin.map_or("", |b| b.key_env).to_string());
    let api_key = api_key.or_else(|| {
        (!key_env.is_empty())
            .then(|| std::env::var(&key_env).ok())
            .flatten()
            .filter(|k| !k.trim().is_empty())
            .map(Secret)
    });
    let default_model = builtin.map_or("", |b| b.model);
    let model = model
        .map(str::to_string)
        .or(over_model)
        .unwrap_or_else(|| default_model.to_string());
    if model.is_empty() {
        return Err((
            LlmErrorKind::Config,
            format!(
                "provider '{name}' has no default model — set llm.model or [llm.providers.{name}] model"
            ),
        ));
    }
    let builtin_price = builtin
        .filter(|b| b.model == model || b.price == FREE_PRICE)
        .map(|b| b.price);
    let price = match (price_input_per_mtok, price_output_per_mtok) {
        (Some(i), Some(o)) => Some(Price {
            input_per_mtok: i,
            output_per_mtok: o,
            source: "your configuration",
        }),
        _ => builtin_price,
    };
    let is_local = name == LOCAL;
    Ok(ProviderSpec {
        name: name.to_string(),
        base_url: base_url
            .unwrap_or_else(|| builtin.map_or("", |b| b.base_url).to_string())
            .trim_end_matches('/')
            .to_string(),
        api_key,
        key_env,
        model,
        price,
        capabilities: Capabilities {
            json_schema: json_schema.unwrap_or(builtin.is_some_and(|b| b.json_schema)),
            n: n.unwrap_or(builtin.is_some_and(|b| b.n)),
            grammar: is_local,
        },
        style: style.unwrap_or(PromptStyle::Instruct),
        max_completion_tokens: builtin.is_some_and(|b| b.max_completion_tokens),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_names_are_unique_and_remote_ones_have_urls() {
        let mut names: Vec<&str> = BUILTIN.iter().map(|b| b.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), BUILTIN.len());
        for b in BUILTIN.iter().filter(|b| b.name != LOCAL) {
            assert!(b.base_url.starts_with("http"), "{}", b.name);
        }
    }

    #[test]
    fn resolution_applies_overrides_and_prices() {
        let mut config = LlmConfig::default();
        let spec = resolve(&config, "openai", None).unwrap_or_else(|e| unreachable!("{e:?}"));
        assert_eq!(spec.model, "gpt-4o-mini");
        let cost = spec.price.map(|p| p.cost(1_000_000, 1_000_000));
        assert_eq!(cost, Some(0.75));
        // Another model: the table's price does not apply.
        let other =
            resolve(&config, "openai", Some("gpt-4.1")).unwrap_or_else(|e| unreachable!("{e:?}"));
        assert_eq!(other.price, None);
        config.providers.insert(
            "mine".into(),
            ProviderConfig {
                base_url: Some("http://127.0.0.1:9/v1/".into()),
                model: Some("m".into()),
                price_input_per_mtok: Some(1.0),
                price_output_per_mtok: Some(2.0),
                ..ProviderConfig::default()
            },
        );
        let mine = resolve(&config, "mine", None).unwrap_or_else(|e| unreachable!("{e:?}"));
        assert_eq!(mine.base_url, "http://127.0.0.1:9/v1");
        assert_eq!(mine.price.map(|p| p.cost(1000, 1000)), Some(0.003));
        let err = resolve(&config, "nope", None)
            .err()
            .map(|e| e.1)
            .unwrap_or_default();
        assert!(err.contains("unknown LLM provider 'nope'"), "{err}");
    }
}
