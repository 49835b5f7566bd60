//! Reading the history beyond one page: every generation a filter matches, newest first, up to a
//! limit (analytics, linking posts to scripts, the fine-tuning dataset).

use reelsmith_core::generation::{GenerationSummary, HistoryFilter};
use reelsmith_core::store::{GenerationStore, Workspace};

/// Rows asked for per page (the history's largest page).
const PAGE: u32 = 100;

/// The generations `filter` matches (its `limit` and `offset` are ignored), newest first, at most
/// `max`.
///
/// # Errors
/// Storage failures.
pub async fn generations_up_to<S: GenerationStore + ?Sized>(
    store: &S,
    ws: Workspace,
    filter: &HistoryFilter,
    max: u32,
) -> reelsmith_core::Result<Vec<GenerationSummary>> {
    let mut rows = Vec::new();
    let mut offset = 0;
    loop {
        let page = HistoryFilter {
            limit: PAGE.min(max.max(1)),
            offset,
            ..filter.clone()
        };
        let (found, total) = store.generations(ws, &page).await?;
        let n = found.len() as u32;
        rows.extend(found);
        offset += n;
        if n == 0 || u64::from(offset) >= total || offset >= max {
            break;
        }
    }
    rows.truncate(max as usize);
    Ok(rows)
}
