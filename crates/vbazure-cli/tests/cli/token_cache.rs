//! The token cache: a script of several commands logs in once, the file is private and holds
//! no password, a file others can read is refused, tokens are refreshed without the
//! password, `logout` revokes and removes them, and `--no-token-cache` keeps nothing.

use std::path::{Path, PathBuf};
use std::time::Duration;

use vbazure_mock::{ApiVersion, MockAppliance, Progress, DEFAULT_PASSWORD, DEFAULT_USERNAME};

use crate::support::{vbazure_with, Run};

fn scratch(name: &str) -> PathBuf {
    crate::support::scratch("tokens", name)
}

async fn mock(dir: &Path, token_lifetime: Duration) -> MockAppliance {
    MockAppliance::builder()
        .api_versions([ApiVersion::V8_1])
        .progress(Progress::Polls(1))
        .token_lifetime(token_lifetime)
        .vm("web-01", "vm-web-01")
        .record(dir.join("requests.jsonl"))
        .start()
        .await
        .expect("the mock starts")
}

/// `vbazure ARGS` against `url` with the cache in `dir`, with the password unless
/// `password` is `None`.
async fn vbazure(url: &str, dir: &Path, password: Option<&str>, args: &[&str]) -> Run {
    let cache = dir.join("cache").display().to_string();
    let config = dir.join("config").display().to_string();
    let mut env = vec![
        ("VBAZURE_URL", url),
        ("VBAZURE_USERNAME", DEFAULT_USERNAME),
        ("VBAZURE_CACHE_DIR", cache.as_str()),
        ("VBAZURE_CONFIG_DIR", config.as_str()),
        // The cache is on: the default the tests of the flow turn off.
        ("VBAZURE_NO_TOKEN_CACHE", "false"),
    ];
    if let Some(password) = password {
        env.push(("VBAZURE_PASSWORD", password));
    }
    vbazure_with(&env, args.iter().map(|a| a.to_string()).collect(), None).await
}

/// How many requests of the record went to `method path`.
fn requests(dir: &Path, method: &str, path: &str) -> usize {
    std::fs::read_to_string(dir.join("requests.jsonl"))
        .unwrap_or_default()
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|r| r["method"] == method && r["path"] == path)
        .count()
}

fn token_file(dir: &Path) -> PathBuf {
    dir.join("cache").join("tokens").join("default.json")
}

/// Rewrites the kept token file with `change` made, and gives what it held before.
fn rewrite_kept(file: &Path, change: impl FnOnce(&mut serde_json::Value)) -> serde_json::Value {
    let text = std::fs::read_to_string(file).expect("the token file");
    let before: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let mut after = before.clone();
    change(&mut after);
    std::fs::write(file, after.to_string()).expect("rewritten");
    before
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .expect("the file exists")
        .permissions()
        .mode()
        & 0o777
}

#[tokio::test(flavor = "multi_thread")]
async fn three_commands_log_in_once_and_keep_a_private_file_without_the_password() {
    let dir = scratch("once");
    let mock = mock(&dir, Duration::from_secs(3600)).await;
    for args in [["vms", "list"], ["sessions", "list"], ["vms", "list"]] {
        let run = vbazure(mock.url(), &dir, Some(DEFAULT_PASSWORD), &args).await;
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    }
    assert_eq!(requests(&dir, "POST", "/api/oauth2/token"), 1, "one login");
    assert_eq!(
        requests(&dir, "DELETE", "/api/oauth2/token"),
        0,
        "no logout"
    );
    let file = token_file(&dir);
    let text = std::fs::read_to_string(&file).expect("the token file");
    assert!(
        !text.contains(DEFAULT_PASSWORD),
        "the file holds the password: {text}"
    );
    assert!(text.contains(mock.url()), "{text}");
    #[cfg(unix)]
    {
        assert_eq!(mode(&file), 0o600, "the token file is private");
        assert_eq!(mode(file.parent().expect("a directory")), 0o700);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_token_is_refreshed_without_the_password() {
    let dir = scratch("refresh");
    let mock = mock(&dir, Duration::from_secs(3600)).await;
    let first = vbazure(mock.url(), &dir, Some(DEFAULT_PASSWORD), &["vms", "list"]).await;
    assert_eq!(first.code, 0, "{}", first.stderr);
    // The kept access token's time is up (as an hour later), without a wall-clock wait.
    let file = token_file(&dir);
    let kept = rewrite_kept(&file, |kept| kept["expiresAt"] = serde_json::json!(1));
    assert!(
        kept["expiresAt"].as_u64().is_some(),
        "the file keeps the expiry: {kept}"
    );
    // No password now: only the refresh token can log this run in.
    let second = vbazure(mock.url(), &dir, None, &["vms", "list"]).await;
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert_eq!(
        requests(&dir, "POST", "/api/oauth2/token"),
        2,
        "a login and a refresh"
    );
    let after: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("the token file"))
            .expect("JSON");
    assert_ne!(
        after["accessToken"], kept["accessToken"],
        "the new tokens are kept"
    );
    assert_ne!(after["refreshToken"], kept["refreshToken"]);
    assert!(after["expiresAt"].as_u64() > Some(1));
    // A third run without the password uses the refreshed token as it is.
    let third = vbazure(mock.url(), &dir, None, &["sessions", "list"]).await;
    assert_eq!(third.code, 0, "{}", third.stderr);
    assert_eq!(requests(&dir, "POST", "/api/oauth2/token"), 2);
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_token_file_others_can_read_is_refused_and_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("loose");
    let mock = mock(&dir, Duration::from_secs(3600)).await;
    let first = vbazure(mock.url(), &dir, Some(DEFAULT_PASSWORD), &["vms", "list"]).await;
    assert_eq!(first.code, 0, "{}", first.stderr);
    let file = token_file(&dir);
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let kept = std::fs::read_to_string(&file).expect("the token file");

    let run = vbazure(mock.url(), &dir, Some(DEFAULT_PASSWORD), &["vms", "list"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(&file.display().to_string()),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("has mode 644: others can read it, so it is not used"),
        "{}",
        run.stderr
    );
    // It logged in again (and out, keeping nothing), and left the file as it was.
    assert_eq!(requests(&dir, "POST", "/api/oauth2/token"), 2);
    assert_eq!(requests(&dir, "DELETE", "/api/oauth2/token"), 1);
    assert_eq!(mode(&file), 0o644);
    assert_eq!(std::fs::read_to_string(&file).expect("still there"), kept);
}

#[tokio::test(flavor = "multi_thread")]
async fn logout_revokes_the_kept_token_and_removes_it() {
    let dir = scratch("logout");
    let mock = mock(&dir, Duration::from_secs(3600)).await;
    let run = vbazure(mock.url(), &dir, Some(DEFAULT_PASSWORD), &["vms", "list"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(token_file(&dir).exists());
    // `--mock logout` never touches what a real appliance's runs kept.
    let mocked = vbazure(mock.url(), &dir, None, &["--mock", "logout"]).await;
    assert_eq!(mocked.code, 0, "{}", mocked.stderr);
    assert!(
        mocked.stdout.contains("the built-in mock keeps no tokens"),
        "{}",
        mocked.stdout
    );
    assert!(token_file(&dir).exists());
    assert_eq!(requests(&dir, "DELETE", "/api/oauth2/token"), 0);

    let out = vbazure(mock.url(), &dir, None, &["logout"]).await;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains(&format!("logged out of {}", mock.url())),
        "{}",
        out.stdout
    );
    assert_eq!(requests(&dir, "DELETE", "/api/oauth2/token"), 1);
    assert!(!token_file(&dir).exists(), "the token file is removed");

    let again = vbazure(mock.url(), &dir, None, &["logout"]).await;
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stdout.contains("no tokens kept; nothing to log out"),
        "{}",
        again.stdout
    );
    // The revoked token is not used again: the next run logs in.
    let after = vbazure(mock.url(), &dir, Some(DEFAULT_PASSWORD), &["vms", "list"]).await;
    assert_eq!(after.code, 0, "{}", after.stderr);
    assert_eq!(requests(&dir, "POST", "/api/oauth2/token"), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn no_token_cache_keeps_nothing_and_logs_out() {
    let dir = scratch("off");
    let mock = mock(&dir, Duration::from_secs(3600)).await;
    let args = ["--no-token-cache", "vms", "list"];
    let run = vbazure(mock.url(), &dir, Some(DEFAULT_PASSWORD), &args).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!dir.join("cache").exists(), "nothing is written");
    assert_eq!(
        requests(&dir, "DELETE", "/api/oauth2/token"),
        1,
        "the run logs out"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn kept_tokens_that_cannot_be_renewed_ask_for_the_password_by_name() {
    let dir = scratch("stale");
    let mock = mock(&dir, Duration::from_secs(3600)).await;
    let first = vbazure(mock.url(), &dir, Some(DEFAULT_PASSWORD), &["vms", "list"]).await;
    assert_eq!(first.code, 0, "{}", first.stderr);
    let file = token_file(&dir);
    rewrite_kept(&file, |kept| {
        kept["expiresAt"] = serde_json::json!(1);
        kept["refreshToken"] = serde_json::json!("not-a-refresh-token");
    });

    let run = vbazure(mock.url(), &dir, None, &["vms", "list"]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("no password: set VBAZURE_PASSWORD"),
        "{}",
        run.stderr
    );
    // With the password it logs in again, and keeps the new tokens.
    let again = vbazure(mock.url(), &dir, Some(DEFAULT_PASSWORD), &["vms", "list"]).await;
    assert_eq!(again.code, 0, "{}", again.stderr);
    let after = std::fs::read_to_string(&file).expect("the token file");
    assert!(!after.contains("not-a-refresh-token"), "{after}");
}
