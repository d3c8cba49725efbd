//! Turning a panic inside the generator into a value.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;

static HOOK: Mutex<()> = Mutex::new(());

/// Runs `f`; a panic becomes `Err` with its message, and the default hook's backtrace is not
/// printed (the caller reports the message instead).
pub(crate) fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    // The panic hook is process-wide: hold a lock so that concurrent callers (tests) do not
    // restore each other's hooks out of order.
    let _guard = HOOK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    panic::set_hook(previous);
    result.map_err(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic without a message".to_string())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn panics_become_messages() {
        assert_eq!(super::catch(|| 5), Ok(5));
        let r: Result<(), _> = super::catch(|| panic!("key {} is missing", "X"));
        assert_eq!(r, Err("key X is missing".to_string()));
    }
}
