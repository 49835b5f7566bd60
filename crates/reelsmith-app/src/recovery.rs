//! Nothing lost on a crash: which process runs a generation, its heartbeat, and the sweep that marks
//! generations left `running` by a dead process as `interrupted` so they can be retried.
//!
//! A generation is stored as `running` before its first model call with `runner` = `HOST/PID`; its
//! heartbeat is touched when its attempts are recorded and every [`HEARTBEAT`] while it runs. A
//! `running` generation is dead when its runner is a process of this host that no longer exists
//! (`/proc/PID`), or when its heartbeat is older than [`LEASE`] (a process on another host sharing
//! the PostgreSQL database, or one whose host cannot be checked).

use std::future::Future;
use std::time::Duration;

use chrono::Utc;
use reelsmith_core::generation::RunningGeneration;
use reelsmith_core::store::{GenerationStore, Workspace};

/// How often a running generation's heartbeat is touched.
pub const HEARTBEAT: Duration = Duration::from_secs(30);

/// How long a generation may go without a heartbeat before any process may mark it interrupted:
/// four missed heartbeats.
pub const LEASE: Duration = Duration::from_secs(120);

/// The reason stored on a generation whose process died while it ran.
pub const DIED: &str = "interrupted: the process running it stopped before it finished — `reelsmith retry ID` runs it again";

/// This process as a generation's runner: `HOST/PID`.
pub fn runner() -> String {
    format!("{}/{}", host(), std::process::id())
}

fn host() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".into())
}

/// Whether `g` was left running by a process that is gone.
fn is_dead(g: &RunningGeneration, now: chrono::DateTime<Utc>) -> bool {
    let stale = (now - g.heartbeat_at).to_std().unwrap_or_default() > LEASE;
    let Some((host_name, pid)) = g.runner.as_deref().and_then(|r| r.rsplit_once('/')) else {
        return stale;
    };
    let here = host_name == host();
    let proc_fs = std::path::Path::new("/proc/self").exists();
    match pid.parse::<u32>() {
        Ok(pid) if here && proc_fs && pid != std::process::id() => {
            stale || !std::path::Path::new(&format!("/proc/{pid}")).exists()
        }
        _ => stale,
    }
}

/// Marks every generation left `running` by a dead process `interrupted` (see the module docs);
/// returns their workspaces and ids. Run at start-up by every command that opens the store.
///
/// # Errors
/// Storage failures.
pub async fn sweep(store: &dyn GenerationStore) -> reelsmith_core::Result<Vec<(Workspace, i64)>> {
    let now = Utc::now();
    let mut marked = Vec::new();
    for g in store.running_generations().await? {
        if is_dead(&g, now) && store.interrupt_generation(g.workspace, g.id, DIED).await? {
            marked.push((g.workspace, g.id));
        }
    }
    Ok(marked)
}

/// Runs `work`, touching generation `id`'s heartbeat every [`HEARTBEAT`] until it ends (a failed
/// touch is not fatal: the work's own outcome is what is stored).
pub async fn with_heartbeat<T>(
    store: &dyn GenerationStore,
    ws: Workspace,
    id: i64,
    work: impl Future<Output = T>,
) -> T {
    let touch = || async {
        let _ = store.touch_generation(ws, id).await;
    };
    beside(HEARTBEAT, touch, work).await
}

/// Runs `work` with `touch` every `period` (from one period after it starts) beside it, polled
/// together, so a touch that waits for something `work` holds never stops `work` from finishing
/// with it. When `work` ends, a touch under way is let finish, not dropped halfway through a write.
///
/// (The heartbeat used to suspend `work` while it touched. When `work` was halfway through a write,
/// the touch waited for the SQLite write lock — with one write connection, for the connection — that
/// `work` held: every writer of the server stalled up to the 30 s busy timeout, and with one write
/// connection for good.)
async fn beside<T, F: Future<Output = ()>>(
    period: Duration,
    touch: impl Fn() -> F,
    work: impl Future<Output = T>,
) -> T {
    let done = tokio::sync::Notify::new();
    let work = async {
        let out = work.await;
        done.notify_one();
        out
    };
    let heartbeat = async {
        let mut beat = tokio::time::interval(period);
        beat.tick().await;
        loop {
            tokio::select! {
                _ = beat.tick() => touch().await,
                () = done.notified() => return,
            }
        }
    };
    tokio::join!(work, heartbeat).0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn running(runner: Option<String>, age_s: i64) -> RunningGeneration {
        RunningGeneration {
            workspace: Workspace::LOCAL,
            id: 1,
            runner,
            heartbeat_at: Utc::now() - chrono::Duration::seconds(age_s),
        }
    }

    #[tokio::test]
    async fn a_touch_waiting_for_what_the_work_holds_does_not_stop_the_work() {
        // The semaphore stands for SQLite's one write connection: the work holds it across several
        // heartbeats, and each touch needs it.
        let connection = std::sync::Arc::new(tokio::sync::Semaphore::new(1));
        let touches = std::sync::atomic::AtomicUsize::new(0);
        let touch = || async {
            let _held = connection.acquire().await;
            touches.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        };
        let work = async {
            let _held = connection.acquire().await;
            tokio::time::sleep(Duration::from_millis(200)).await;
            7
        };
        let out = tokio::time::timeout(
            Duration::from_secs(10),
            beside(Duration::from_millis(20), touch, work),
        )
        .await;
        assert_eq!(out, Ok(7), "the work deadlocked behind its own heartbeat");
        let later = async {
            tokio::time::sleep(Duration::from_millis(90)).await;
            touches.load(std::sync::atomic::Ordering::SeqCst)
        };
        let touched = beside(Duration::from_millis(20), touch, later).await;
        assert!(touched >= 2, "a free heartbeat touches: {touched}");
    }

    #[test]
    fn a_dead_local_process_is_dead_at_once_and_a_live_one_is_not() {
        let now = Utc::now();
        // PID 4194304 is above Linux's pid_max limit, so no process has it.
        let gone = running(Some(format!("{}/4194304", host())), 1);
        assert!(is_dead(&gone, now));
        let me = running(Some(runner()), 1);
        assert!(!is_dead(&me, now));
        let parent = running(Some(format!("{}/1", host())), 1);
        assert!(!is_dead(&parent, now), "PID 1 is alive");
    }

    #[test]
    fn another_host_or_an_unknown_runner_is_dead_only_after_the_lease() {
        let now = Utc::now();
        let fresh = running(Some("elsewhere/4194304".into()), 10);
        assert!(!is_dead(&fresh, now));
        let stale = running(Some("elsewhere/4194304".into()), LEASE.as_secs() as i64 + 5);
        assert!(is_dead(&stale, now));
        assert!(!is_dead(&running(None, 10), now));
        assert!(is_dead(&running(None, 1000), now));
    }
}
