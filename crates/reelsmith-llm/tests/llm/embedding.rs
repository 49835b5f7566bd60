//! The real all-MiniLM-L6-v2 from the PyPI package (installed by scripts/install-deps.sh), checked
//! against the reference implementation.

use reelsmith_core::embed::{Embedder, cosine};
use reelsmith_llm::{BertEmbedder, MINILM_DIMENSIONS, locate_minilm};

fn model() -> BertEmbedder {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    BertEmbedder::minilm(None, dir.path())
        .unwrap_or_else(|e| unreachable!("{e} (run scripts/install-deps.sh)"))
}

// Reference values computed with sentence-transformers 6.2.0 (torch 2.15.0, CPU) on the same model
// files: SentenceTransformer(model_dir).encode([...]).
const A: &str = "Stop drinking coffee at 3am.";
const B: &str = "Caffeine late at night ruins your sleep.";
const C: &str = "Deja de pagar comisiones al banco.";
const REF_COS_AB: f32 = 0.671_084;
const REF_COS_AC: f32 = -0.010_277;
const REF_A_HEAD: [f32; 5] = [0.030_634, -0.019_474, 0.036_007, 0.047_242, 0.049_71];

#[test]
fn matches_sentence_transformers() {
    let m = model();
    assert_eq!(m.dimensions(), MINILM_DIMENSIONS);
    assert_eq!(m.model(), "all-MiniLM-L6-v2");
    let v = m.embed(&[A, B, C]).unwrap_or_else(|e| unreachable!("{e}"));
    assert_eq!(v.len(), 3);
    assert!(v.iter().all(|x| x.len() == 384));
    let norm: f32 = v[0].iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-4, "not normalised: {norm}");
    assert!(
        (cosine(&v[0], &v[1]) - REF_COS_AB).abs() < 1e-4,
        "{}",
        cosine(&v[0], &v[1])
    );
    assert!(
        (cosine(&v[0], &v[2]) - REF_COS_AC).abs() < 1e-4,
        "{}",
        cosine(&v[0], &v[2])
    );
    for (got, want) in v[0].iter().zip(REF_A_HEAD) {
        assert!((got - want).abs() < 1e-4, "{got} vs {want}");
    }
}

#[test]
fn batching_and_padding_do_not_change_vectors() {
    let m = model();
    let alone = m.embed(&[A]).unwrap_or_else(|e| unreachable!("{e}"));
    let long = "word ".repeat(400); // past the 256-token limit: truncated, not an error
    let batch = m
        .embed(&[&long, A, "x"])
        .unwrap_or_else(|e| unreachable!("{e}"));
    assert!(cosine(&alone[0], &batch[1]) > 0.9999);
    assert!(m.embed(&[]).unwrap_or_default().is_empty());
}

#[test]
fn a_wrong_model_folder_is_explained() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| unreachable!("{e}"));
    let err = locate_minilm(Some(dir.path()), dir.path())
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("model_dir") && err.contains("model.safetensors"),
        "{err}"
    );
}
