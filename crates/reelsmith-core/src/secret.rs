//! A value kept out of `Debug` output, logs and error messages (API keys, database passwords).

use std::fmt;

use serde::{Deserialize, Serialize};

/// A secret string: `Debug` prints `Secret(***)`; the value is reached only through `.0`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(pub String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}
