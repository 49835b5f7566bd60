//! Deleting a persona: every version, example and generation goes with it, so a persona whose
//! scripts were approved is only deleted when the user says so explicitly.

use reelsmith_core::generation::{Approval, FieldError, HistoryFilter};
use reelsmith_core::persona::{DeletedPersona, PersonaVersion};
use reelsmith_core::store::{GenerationStore, PersonaStore, Workspace};

use crate::ServiceError;

/// Approved scripts of the persona `name` in `ws`.
///
/// # Errors
/// Storage failures.
async fn approved_scripts<S: GenerationStore + ?Sized>(
    store: &S,
    ws: Workspace,
    name: &str,
) -> Result<u64, reelsmith_core::Error> {
    let filter = HistoryFilter {
        persona: Some(name.to_string()),
        approval: Some(Approval::Approved),
        limit: 1,
        ..HistoryFilter::default()
    };
    Ok(store.generations(ws, &filter).await?.1)
}

/// The persona's latest version, when it may be deleted: refused while approved scripts would
/// go with it, unless `force` is set. Front ends that ask for confirmation check this first.
///
/// # Errors
/// [`ServiceError::Invalid`] on `force` when approved scripts would go with it (saying how many);
/// [`ServiceError::Store`] for an unknown persona or a storage failure.
pub async fn deletable<S: PersonaStore + GenerationStore + ?Sized>(
    store: &S,
    ws: Workspace,
    name: &str,
    force: bool,
) -> Result<PersonaVersion, ServiceError> {
    let p = store.persona(ws, name, None).await?;
    let approved = approved_scripts(store, ws, &p.name).await?;
    if approved > 0 && !force {
        return Err(FieldError::new(
            "force",
            format!(
                "'{}' has {approved} approved script{} that would be deleted with it — export them first, or confirm with force (--force, or force=true in the API)",
                p.name,
                if approved == 1 { "" } else { "s" }
            ),
        )
        .into());
    }
    Ok(p)
}

/// Deletes the persona with every version and example — and its generations, which is why a
/// persona with approved scripts is refused unless `force` is set (see [`deletable`]).
///
/// # Errors
/// As [`deletable`]; [`ServiceError::Store`] when the delete fails.
pub async fn delete_persona<S: PersonaStore + GenerationStore + ?Sized>(
    store: &S,
    ws: Workspace,
    name: &str,
    force: bool,
) -> Result<DeletedPersona, ServiceError> {
    let p = deletable(store, ws, name, force).await?;
    Ok(store.delete_persona(ws, &p.name).await?)
}
