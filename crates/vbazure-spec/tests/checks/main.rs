//! What reads two documents: `conform` (a consumer's document against a provider's) and
//! `diff` (one document against its next version), on fixture pairs under `tests/fixtures/`.

mod conform;
mod diff;
mod provider;
