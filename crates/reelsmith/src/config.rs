//! Configuration: built-in defaults, then a TOML file, then `REELSMITH_*` environment variables, then
//! flags — resolved once into an immutable [`Config`] that is passed explicitly.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::exit::UserError;

/// The commented example configuration, printed by `reelsmith config default`.
pub const EXAMPLE: &str = include_str!("../config.example.toml");

/// Environment variables starting with `REELSMITH_` that are not settings.
const NOT_SETTINGS: &[&str] = &["test_database_url"];

pub use reelsmith_core::secret::Secret;

/// The settings in force.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Folder for the SQLite database and everything else reelsmith keeps.
    pub data_dir: Option<PathBuf>,
    /// PostgreSQL URL; unset means the SQLite file in the data folder.
    pub database_url: Option<Secret>,
    /// The sentence-embedding model.
    pub embedding: EmbeddingConfig,
    /// Language models: providers, per-step choices, fallbacks, budget, the local model.
    pub llm: reelsmith_llm::LlmConfig,
    /// `reelsmith serve`.
    pub server: ServerConfig,
}

/// `[server]` settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address to listen on, `IP:PORT`.
    pub bind: String,
    /// API token every request must carry (required to bind beyond localhost).
    pub token: Option<Secret>,
    /// Seconds a shutdown waits for running generations before recording them as interrupted.
    pub grace_s: f64,
    /// Host names the server answers to besides localhost and the bound address (e.g. the name
    /// a reverse proxy forwards); any other `Host` is refused (DNS rebinding).
    pub allowed_hosts: Vec<String>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8505".into(),
            token: None,
            grace_s: 120.0,
            allowed_hosts: Vec::new(),
        }
    }
}

/// `[embedding]` settings.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EmbeddingConfig {
    /// Model folder; unset: found automatically (see `reelsmith_llm::locate_minilm`).
    pub model_dir: Option<PathBuf>,
}

/// Where a configuration came from, for `config show`.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The settings.
    pub config: Config,
    /// The config file read, if any.
    pub file: Option<PathBuf>,
    /// The resolved data folder.
    pub data_dir: PathBuf,
    /// What the user should know about how the settings were read (e.g. a `REELSMITH_*`
    /// variable that is not a setting), printed once as warnings.
    pub warnings: Vec<String>,
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "reelsmith")
}

/// The default config file: `$XDG_CONFIG_HOME/reelsmith/config.toml`.
pub fn default_file() -> Option<PathBuf> {
    project_dirs().map(|d| d.config_dir().join("config.toml"))
}

/// Loads the configuration.
///
/// `file`: the `--config` flag (must exist); without it the default file is read when present.
/// `data_dir`: the `--data-dir` flag, which wins over everything.
///
/// # Errors
/// A `--config` file that does not exist, invalid TOML, an unknown key, or no home folder to put
/// the data folder in.
pub fn load(file: Option<&Path>, data_dir: Option<&Path>) -> Result<Loaded> {
    let file = match file {
        Some(f) if !f.is_file() => {
            return Err(UserError(format!(
                "config file {} does not exist — check the --config path",
                f.display()
            ))
            .into());
        }
        Some(f) => Some(f.to_path_buf()),
        None => default_file().filter(|f| f.is_file()),
    };
    let mut fig = Figment::from(Serialized::defaults(Config::default()));
    if let Some(f) = &file {
        fig = fig.merge(Toml::file_exact(f));
    }
    // Only variables naming a setting section are settings; any other REELSMITH_* variable (a custom
    // provider's key, REELSMITH_FAKE_API_KEY) is left alone instead of failing as an unknown field.
    let sections = setting_sections();
    let is_setting = {
        let sections = sections.clone();
        move |key: &str| {
            let key = key.to_ascii_lowercase();
            let first = key.split("__").next().unwrap_or_default().to_string();
            sections.contains(&first) && !NOT_SETTINGS.contains(&key.as_str())
        }
    };
    let filter = is_setting.clone();
    fig = fig.merge(
        Env::prefixed("REELSMITH_")
            .filter(move |k| filter(k.as_str()))
            .split("__"),
    );
    if let Some(d) = data_dir {
        fig = fig.merge(Serialized::default("data_dir", d));
    }
    let config: Config = fig.extract().map_err(|e| {
        let place = file.as_ref().map_or("the environment".to_string(), |f| {
            format!("{} or the environment", f.display())
        });
        UserError(format!(
            "invalid configuration in {place}: {e} — `reelsmith config default` shows every setting"
        ))
    })?;
    let data_dir = match &config.data_dir {
        Some(d) => d.clone(),
        None => project_dirs()
            .map(|d| d.data_dir().to_path_buf())
            .context("cannot find a home folder for the data folder — set REELSMITH_DATA_DIR or pass --data-dir")?,
    };
    let key_vars: Vec<String> = config
        .llm
        .providers
        .values()
        .filter_map(|p| p.api_key_env.clone())
        .collect();
    let mut warnings = Vec::new();
    for (name, _) in std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v)))
        .filter(|(k, _)| k.starts_with("REELSMITH_"))
    {
        let key = &name["REELSMITH_".len()..];
        if is_setting(key)
            || NOT_SETTINGS.contains(&key.to_ascii_lowercase().as_str())
            || key_vars.contains(&name)
        {
            continue;
        }
        warnings.push(format!(
            "{name} is not a reelsmith setting and is ignored — settings are REELSMITH_ followed by {} (sections nest with __, e.g. REELSMITH_LLM__MODEL); `reelsmith config default` lists them",
            sections
                .iter()
                .map(|s| s.to_ascii_uppercase())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    Ok(Loaded {
        config,
        file,
        data_dir,
        warnings,
    })
}

/// The top-level setting names (`data_dir`, `llm`...), from the settings' own shape.
fn setting_sections() -> Vec<String> {
    match serde_json::to_value(Config::default()) {
        Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

impl Loaded {
    /// The SQLite database file used when no `database_url` is set.
    pub fn sqlite_path(&self) -> PathBuf {
        self.data_dir.join("reelsmith.db")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An `[llm]` section with every key set, so the key check below sees them all.
    fn every_llm_key() -> reelsmith_llm::LlmConfig {
        use reelsmith_llm::config::{ProviderConfig, StepConfig};
        let mut c = reelsmith_llm::LlmConfig {
            model: Some("m".into()),
            fallback: vec!["local".into()],
            otlp_endpoint: Some("http://x".into()),
            ..reelsmith_llm::LlmConfig::default()
        };
        c.budget.daily_usd = Some(1.0);
        c.budget.monthly_usd = Some(1.0);
        c.local.model_path = Some("x".into());
        c.local.style = Some(reelsmith_core::llm::PromptStyle::Base);
        c.local.threads = Some(1);
        c.providers.insert(
            "p".into(),
            ProviderConfig {
                base_url: Some("u".into()),
                api_key_env: Some("K".into()),
                api_key: Some(Secret("k".into())),
                model: Some("m".into()),
                price_input_per_mtok: Some(1.0),
                price_output_per_mtok: Some(1.0),
                json_schema: Some(true),
                n: Some(true),
                style: Some(reelsmith_core::llm::PromptStyle::Instruct),
            },
        );
        c.steps.insert(
            "generation".into(),
            StepConfig {
                provider: Some("p".into()),
                model: Some("m".into()),
                fallback: Some(vec![]),
            },
        );
        c
    }

    #[test]
    fn example_config_is_valid_and_all_defaults() {
        let parsed: Config = toml::from_str(EXAMPLE).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(parsed, Config::default());
        // Every setting is documented in the example.
        let keys = toml::to_string(&Config {
            data_dir: Some("x".into()),
            database_url: Some(Secret("y".into())),
            embedding: EmbeddingConfig {
                model_dir: Some("z".into()),
            },
            llm: every_llm_key(),
            server: ServerConfig {
                token: Some(Secret("t".into())),
                ..ServerConfig::default()
            },
        })
        .unwrap_or_default();
        for line in keys.lines().filter(|l| l.contains('=')) {
            let key = line.split('=').next().unwrap_or_default().trim();
            assert!(
                EXAMPLE.contains(&format!("# {key} = ")),
                "{key} is not in config.example.toml"
            );
        }
    }

    #[test]
    fn secrets_are_hidden_in_debug() {
        let c = Config {
            database_url: Some(Secret("postgres://u:pw@h/db".into())),
            ..Config::default()
        };
        assert!(!format!("{c:?}").contains("pw"));
    }

    #[test]
    fn file_then_flag_precedence() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
        let f = dir.path().join("c.toml");
        std::fs::write(&f, "data_dir = \"/from/file\"\n").unwrap_or_else(|e| unreachable!("{e}"));
        let l = load(Some(&f), None).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(l.data_dir, PathBuf::from("/from/file"));
        let l =
            load(Some(&f), Some(Path::new("/from/flag"))).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(l.data_dir, PathBuf::from("/from/flag"));
        assert_eq!(l.sqlite_path(), PathBuf::from("/from/flag/reelsmith.db"));
    }

    #[test]
    fn bad_files_are_explained() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
        let missing = load(Some(&dir.path().join("nope.toml")), None)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(missing.contains("does not exist"), "{missing}");
        let f = dir.path().join("c.toml");
        std::fs::write(&f, "data_dri = \"/x\"\n").unwrap_or_else(|e| unreachable!("{e}"));
        let err = load(Some(&f), None)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("data_dri") && err.contains("config default"),
            "{err}"
        );
    }
}
