//! What the modules of this test binary share: running `vbazure` with an environment of the
//! test's own, and reading what it printed.

use std::time::Duration;

use assert_cmd::Command;

/// What a run of the binary left behind.
pub(crate) struct Run {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// What every run gets unless the test sets it: no tokens kept between runs (so that a
/// password run logs out at its end, as the tests of the flow expect), and config and cache
/// directories that are not the home of the person running the tests.
pub(crate) fn isolated() -> Vec<(String, String)> {
    let nowhere = std::env::temp_dir().join("vbazure-tests-no-home");
    vec![
        ("VBAZURE_NO_TOKEN_CACHE".to_string(), "1".to_string()),
        (
            "VBAZURE_CONFIG_DIR".to_string(),
            nowhere.join("config").display().to_string(),
        ),
        (
            "VBAZURE_CACHE_DIR".to_string(),
            nowhere.join("cache").display().to_string(),
        ),
    ]
}

/// Runs `vbazure ARGS...` with `env` (over [`isolated`]) as its whole environment (nothing of
/// the machine's leaks in: no `VBAZURE_*` of the person running the tests) and `stdin` as its
/// input; killed after two minutes. The wait is on a blocking thread: the mock or wiremock
/// answer on the runtime's threads meanwhile.
pub(crate) async fn vbazure_with(
    env: &[(&str, &str)],
    args: Vec<String>,
    stdin: Option<String>,
) -> Run {
    let mut all = isolated();
    all.extend(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let env = all;
    tokio::task::spawn_blocking(move || {
        let mut command = Command::cargo_bin("vbazure").expect("the binary is built");
        command
            .env_clear()
            .envs(env)
            .args(&args)
            .timeout(Duration::from_secs(120));
        if let Some(input) = stdin {
            command.write_stdin(input);
        }
        let output = command.output().expect("runs");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    })
    .await
    .expect("the run completes")
}

/// Runs `vbazure` with `args` (confirmed) against `url`, logging in with the mock's
/// credentials, with `env` added.
#[cfg(feature = "mock")]
pub(crate) async fn against_mock(url: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut all = vec![
        ("VBAZURE_URL", url),
        ("VBAZURE_USERNAME", vbazure_mock::DEFAULT_USERNAME),
        ("VBAZURE_PASSWORD", vbazure_mock::DEFAULT_PASSWORD),
    ];
    all.extend_from_slice(env);
    vbazure_with(&all, confirmed(args), None).await
}

// Only the modules against the built-in mock keep files.
#[cfg(feature = "mock")]
/// A fresh, empty directory of the test's own (`vbazure-{kind}-{pid}-{name}` in the temp dir).
pub(crate) fn scratch(kind: &str, name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("vbazure-{kind}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

/// The arguments as given, with `--yes` after `delete-backups`: these runs have no terminal
/// to confirm on, and without `--yes` the deletion would be refused (exit 2, nothing sent).
pub(crate) fn confirmed(args: &[&str]) -> Vec<String> {
    let mut all = Vec::new();
    for arg in args {
        all.push(arg.to_string());
        if *arg == "delete-backups" {
            all.push("--yes".to_string());
        }
    }
    all
}

/// Each line of `stdout` as JSON (`--output json` writes one document per line).
// Only the modules against the built-in mock read JSON lines.
#[cfg(feature = "mock")]
pub(crate) fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("stdout holds a line that is not JSON ({e}): {line}"))
        })
        .collect()
}

/// Snapshot settings that hide what changes from run to run: times, durations, the mock's
/// port, and the sessions' ids (random UUIDs).
#[cfg(feature = "mock")]
pub(crate) fn stable() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    // Timestamps vary in width (trailing zeros are dropped), and so does the padding after
    // them in tables: both go.
    settings.add_filter(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z +", "[TIME] ");
    settings.add_filter(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", "[TIME]");
    settings.add_filter(r"(STARTED|TIME|BACKUP|CREATED) +", "$1 ");
    settings.add_filter(r"\d\d:\d\d:\d\d(\.\d{7})?", "[SPAN]");
    settings.add_filter(r"\b(\d+h )?(\d+m )?\d+\.\d\ds\b", "[DURATION]");
    settings.add_filter(r"127\.0\.0\.1:\d+", "[MOCK]");
    settings.add_filter(
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "[UUID]",
    );
    // Tables pad their columns to the widest cell, a UUID's before the filter.
    settings.add_filter(r"\[UUID\] +", "[UUID] ");
    settings.add_filter(r"(?m)^ID +TYPE", "ID TYPE");
    settings.set_omit_expression(true);
    settings
}

/// A JSON answer as the appliance writes it (`application/json; charset=utf-8`).
pub(crate) fn json_answer(status: u16, body: &serde_json::Value) -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(status)
        .set_body_raw(body.to_string(), "application/json; charset=utf-8")
}

/// A `vbazure` client for `mock`, with the credentials the mock accepts, logged in.
#[cfg(feature = "mock")]
pub(crate) async fn logged_in(mock: &vbazure_mock::MockAppliance) -> vbazure::Appliance {
    let config = mock.config();
    let appliance = vbazure::Appliance::builder(mock.url())
        .credentials(config.username, config.password)
        .build()
        .expect("the mock's URL and credentials make a valid client");
    appliance.login().await.expect("logs in to the mock");
    appliance
}
