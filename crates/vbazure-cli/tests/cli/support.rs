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

/// Runs `vbazure ARGS...` with `env` as its whole environment (nothing of the machine's leaks
/// in: no `VBAZURE_*` of the person running the tests) and `stdin` as its input; killed after
/// two minutes. The wait is on a blocking thread: the mock or wiremock answer on the runtime's
/// threads meanwhile.
pub(crate) async fn vbazure_with(
    env: &[(&str, &str)],
    args: Vec<String>,
    stdin: Option<String>,
) -> Run {
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
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
