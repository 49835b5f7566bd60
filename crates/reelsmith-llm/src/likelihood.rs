//! How likely the local model finds a text, piece by piece: the language-model evidence behind the
//! coherence check's order signal (`reelsmith_core::score::coherence`).
//!
//! Each text is a list of pieces (sentences); the answer is, per piece, the natural-log probability of
//! its tokens given the pieces before it in the same text (nats). Pieces are tokenised one by one, so a
//! piece's tokens are the same wherever it stands and two orders of the same pieces are compared on
//! the same tokens.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;

use llama_cpp_2::context::params::LlamaContextParams;
use llama_cpp_2::llama_batch::LlamaBatch;
use llama_cpp_2::token::LlamaToken;
use reelsmith_core::llm::{LlmError, LlmErrorKind};
use reelsmith_core::score::likelihood::{LikelihoodModel, Likelihoods};

use crate::local::{LocalLlm, backend};
use crate::providers::LOCAL;

/// Tokens per decode call, all with logits: the logits buffer is this × the vocabulary × 4 bytes
/// (134 MB for gemma-3's 262,144 tokens).
const CHUNK: usize = 128;
/// Most texts decoded together in one call (one sequence each).
const SEQS: usize = 16;
/// Longest text scored, tokens: longer ones are refused rather than allowed to exhaust memory.
pub const MAX_TEXT_TOKENS: usize = 4096;

/// One text's tokens: the beginning-of-text token, then each piece's tokens, with the piece each
/// token belongs to.
struct Tokens {
    ids: Vec<LlamaToken>,
    piece: Vec<usize>,
}

impl LocalLlm {
    /// Per piece of each text, the log-probability (nats, ≤ 0) of its tokens given everything before
    /// it in the same text: `out[t][i]` for piece `i` of `texts[t]`. A piece with no tokens gets 0.
    ///
    /// Cost: one forward pass over every token (about 1,000 tokens a second for gemma-3-270m on two
    /// cores).
    ///
    /// # Errors
    /// [`LlmErrorKind::Local`] when a text is longer than [`MAX_TEXT_TOKENS`] or llama.cpp fails.
    pub fn piece_log_likelihoods(&self, texts: &[Vec<&str>]) -> Result<Vec<Vec<f64>>, LlmError> {
        let inner = &self.inner;
        let err = |d: String| LlmError::new(LlmErrorKind::Local, LOCAL, &inner.name, d);
        let backend = backend().map_err(|e| err(format!("llama.cpp failed to start: {e}")))?;
        let vocab = inner.model.vocab();
        let bos = vocab.bos();
        let tokenised: Vec<Tokens> = texts
            .iter()
            .map(|pieces| {
                let mut t = Tokens {
                    ids: vec![bos],
                    piece: vec![usize::MAX],
                };
                for (i, p) in pieces.iter().enumerate() {
                    let ids = vocab.tokenize(p.as_bytes(), false, false);
                    t.piece.extend(std::iter::repeat_n(i, ids.len()));
                    t.ids.extend(ids);
                }
                t
            })
            .collect();
        let longest = tokenised.iter().map(|t| t.ids.len()).max().unwrap_or(1);
        if longest > MAX_TEXT_TOKENS {
            return Err(err(format!(
                "a text of {longest} tokens is longer than the {MAX_TEXT_TOKENS} the likelihood \
                 check reads — score a shorter text"
            )));
        }
        let n_ctx = (longest.max(CHUNK) * 2).div_ceil(256) * 256;
        let params = LlamaContextParams::default()
            .with_n_ctx(NonZeroU32::new(n_ctx as u32))
            .with_n_batch(CHUNK as u32)
            .with_n_ubatch(CHUNK as u32)
            .with_n_seq_max(SEQS as u32)
            .with_kv_unified(true)
            .with_n_threads(inner.threads)
            .with_n_threads_batch(inner.threads);
        let mut ctx = inner
            .model
            .new_context(backend, params)
            .map_err(|e| err(format!("cannot create a context of {n_ctx} tokens: {e}")))?;
        let mut out: Vec<Vec<f64>> = texts.iter().map(|p| vec![0.0; p.len()]).collect();
        let mut batch = LlamaBatch::new(CHUNK, SEQS as i32);
        // Groups of texts that fit one call together; a long text is read alone, chunk by chunk.
        let mut t = 0;
        while t < tokenised.len() {
            let mut group = vec![t];
            let mut total = tokenised[t].ids.len();
            while let Some(next) = tokenised.get(t + group.len()) {
                if group.len() == SEQS || total + next.ids.len() > CHUNK {
                    break;
                }
                total += next.ids.len();
                group.push(t + group.len());
            }
            ctx.clear_kv_cache();
            // (text, position) of each batch row.
            let mut rows: Vec<(usize, usize)> = Vec::with_capacity(CHUNK);
            let mut cursor: Vec<usize> = vec![0; group.len()];
            loop {
                batch.clear();
                rows.clear();
                for (s, &text) in group.iter().enumerate() {
                    let ids = &tokenised[text].ids;
                    while cursor[s] < ids.len() && rows.len() < CHUNK {
                        let pos = cursor[s];
                        batch
                            .add(ids[pos], pos as i32, &[s as i32], true)
                            .map_err(|e| err(format!("batch: {e}")))?;
                        rows.push((text, pos));
                        cursor[s] += 1;
                    }
                }
                if rows.is_empty() {
                    break;
                }
                ctx.decode(&mut batch)
                    .map_err(|e| err(format!("the likelihood pass failed: {e}")))?;
                for (row, &(text, pos)) in rows.iter().enumerate() {
                    let tokens = &tokenised[text];
                    let Some(&next) = tokens.ids.get(pos + 1) else {
                        continue;
                    };
                    let logits = ctx.get_logits_ith(row as i32);
                    out[text][tokens.piece[pos + 1]] += log_softmax_at(logits, next.0 as usize);
                }
            }
            t += group.len();
        }
        Ok(out)
    }
}

/// `ln softmax(logits)[target]`, computed stably.
fn log_softmax_at(logits: &[f32], target: usize) -> f64 {
    let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let sum: f64 = logits.iter().map(|l| f64::from((l - max).exp())).sum();
    f64::from(logits.get(target).copied().unwrap_or(f32::NEG_INFINITY) - max) - sum.ln()
}

/// Sentences-alone log-probabilities kept between calls (a script's attempts and their repairs share
/// most sentences): at most this many, then the cache starts again.
const CACHE_SENTENCES: usize = 4096;

/// The local model as the coherence check's [`LikelihoodModel`]: per script, one pass over the
/// script and one over each sentence not read before.
pub struct LocalLikelihood {
    llm: LocalLlm,
    alone: Mutex<HashMap<String, f64>>,
}

impl LocalLikelihood {
    /// Wraps a loaded model.
    pub fn new(llm: LocalLlm) -> Self {
        Self {
            llm,
            alone: Mutex::new(HashMap::new()),
        }
    }
}

impl LikelihoodModel for LocalLikelihood {
    fn model(&self) -> &str {
        &self.llm.inner.name
    }

    fn likelihoods(&self, sentences: &[&str]) -> Result<Likelihoods, String> {
        let n = sentences.len();
        let spaced: Vec<String> = sentences
            .iter()
            .enumerate()
            .map(|(i, s)| {
                if i == 0 {
                    (*s).to_string()
                } else {
                    format!(" {s}")
                }
            })
            .collect();
        let joint: Vec<&str> = spaced.iter().map(String::as_str).collect();
        let cached: Vec<Option<f64>> = {
            let cache = self.alone.lock().map_err(|e| e.to_string())?;
            sentences.iter().map(|s| cache.get(*s).copied()).collect()
        };
        let mut texts = vec![joint];
        let missing: Vec<usize> = (0..n).filter(|i| cached[*i].is_none()).collect();
        texts.extend(missing.iter().map(|i| vec![sentences[*i]]));
        let out = self
            .llm
            .piece_log_likelihoods(&texts)
            .map_err(|e| e.detail)?;
        let mut alone: Vec<f64> = cached.iter().map(|c| c.unwrap_or(0.0)).collect();
        let mut cache = self.alone.lock().map_err(|e| e.to_string())?;
        if cache.len() + missing.len() > CACHE_SENTENCES {
            cache.clear();
        }
        for (slot, i) in missing.iter().enumerate() {
            let value = out[1 + slot].first().copied().unwrap_or(0.0);
            alone[*i] = value;
            cache.insert(sentences[*i].to_string(), value);
        }
        Ok(Likelihoods {
            in_context: out[0].clone(),
            alone,
            model: self.llm.inner.name.clone(),
        })
    }
}
