//! Profiles: a round trip through `profile add|list|show|remove`, a run that takes its
//! appliance and defaults from one (a flag still wins), the tokens a removed profile kept,
//! and a profiles file that holds a password.

use std::path::{Path, PathBuf};

use vbazure_mock::{ApiVersion, MockAppliance, DEFAULT_PASSWORD, DEFAULT_USERNAME};

use crate::support::{json_lines, stable, vbazure_with, Run};

fn scratch(name: &str) -> PathBuf {
    crate::support::scratch("profiles", name)
}

/// `vbazure ARGS` with config and cache in `dir`, the password in the environment, and
/// nothing else: the URL and user come from the profile.
async fn vbazure(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let config = dir.join("config").display().to_string();
    let cache = dir.join("cache").display().to_string();
    let mut all = vec![
        ("VBAZURE_CONFIG_DIR", config.as_str()),
        ("VBAZURE_CACHE_DIR", cache.as_str()),
        ("VBAZURE_PASSWORD", DEFAULT_PASSWORD),
        ("VBAZURE_NO_TOKEN_CACHE", "false"),
    ];
    all.extend_from_slice(env);
    vbazure_with(&all, args.iter().map(|a| a.to_string()).collect(), None).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_profile_round_trip_and_a_run_that_uses_it() {
    let dir = scratch("round-trip");
    let mock = MockAppliance::builder()
        .api_versions([ApiVersion::V8_1])
        .vm("web-01", "vm-web-01")
        .start()
        .await
        .expect("the mock starts");
    let url = mock.url().to_string();
    let mut transcript = String::new();
    let mut step = |title: &str, run: &Run, code: i32| {
        assert_eq!(run.code, code, "{title}: {}", run.stderr);
        transcript.push_str(&format!(
            "$ vbazure {title}\n[exit {}]\n{}",
            run.code, run.stdout
        ));
        for line in run.stderr.lines() {
            transcript.push_str(&format!("stderr: {line}\n"));
        }
    };
    let add = [
        "profile",
        "add",
        "mock",
        "--url",
        &url,
        "--username",
        DEFAULT_USERNAME,
        "--api-version",
        "8.1",
        "--output",
        "json",
        "--request-timeout",
        "45s",
    ];
    step(
        "profile add mock --url URL ...",
        &vbazure(&dir, &add, &[]).await,
        0,
    );
    let lab = ["profile", "add", "lab", "--url", "https://lab.example.com"];
    // The environment's URL is not what `profile add` saves: the command line's is.
    let env_url = [("VBAZURE_URL", "https://elsewhere.example.com")];
    step(
        "profile add lab --url https://lab.example.com",
        &vbazure(&dir, &lab, &env_url).await,
        0,
    );
    step(
        "profile add lab --url https://lab.example.com",
        &vbazure(&dir, &lab, &[]).await,
        2,
    );
    step(
        "profile list",
        &vbazure(&dir, &["profile", "list"], &[]).await,
        0,
    );
    step(
        "profile show mock",
        &vbazure(&dir, &["profile", "show", "mock"], &[]).await,
        0,
    );
    let listed = vbazure(&dir, &["-o", "json", "profile", "list"], &[]).await;
    step("-o json profile list", &listed, 0);
    let profiles = json_lines(&listed.stdout);
    assert_eq!(profiles[0]["url"], "https://lab.example.com");
    assert_eq!(profiles[1]["request-timeout"], "45s");

    // The run takes the URL, user and output from the profile.
    let vms = vbazure(&dir, &["--profile", "mock", "vms", "list"], &[]).await;
    assert_eq!(vms.code, 0, "{}", vms.stderr);
    assert_eq!(
        json_lines(&vms.stdout)[0]["name"],
        "web-01",
        "JSON, as the profile says"
    );
    // A flag wins over the profile; so does VBAZURE_PROFILE's choice over none.
    let table = vbazure(
        &dir,
        &["vms", "list", "--output", "table"],
        &[("VBAZURE_PROFILE", "mock")],
    )
    .await;
    step("vms list --output table  (VBAZURE_PROFILE=mock)", &table, 0);

    let tokens = dir.join("cache").join("tokens").join("mock.json");
    assert!(tokens.exists(), "the profile's runs keep their tokens");
    step(
        "profile remove mock",
        &vbazure(&dir, &["profile", "remove", "mock"], &[]).await,
        0,
    );
    assert!(!tokens.exists(), "removing a profile removes its tokens");
    step(
        "profile show mock",
        &vbazure(&dir, &["profile", "show", "mock"], &[]).await,
        2,
    );
    step(
        "--profile mock vms list",
        &vbazure(&dir, &["--profile", "mock", "vms", "list"], &[]).await,
        2,
    );

    let file = std::fs::read_to_string(dir.join("config").join("profiles.toml")).expect("saved");
    assert!(!file.contains(DEFAULT_PASSWORD), "{file}");
    let mut settings = stable();
    settings.add_filter(&regex_escape(&dir.display().to_string()), "[DIR]");
    settings.bind(|| insta::assert_snapshot!("profile_round_trip", transcript));
}

/// `text` as a regular expression that matches only itself.
fn regex_escape(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '/' || c == '_' || c == '-' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn what_a_profile_cannot_hold_is_refused() {
    let dir = scratch("refused");
    let cases: [(&[&str], &str); 4] = [
        (
            &[
                "profile",
                "add",
                "p",
                "--url",
                "https://p",
                "--token",
                "t0ken",
            ],
            "a profile never holds a token",
        ),
        (
            &["profile", "add", "p", "--url", "https://p", "--insecure"],
            "--insecure and --mock are for one run",
        ),
        (
            &["profile", "add", "p", "--username", "u"],
            "give the appliance's --url",
        ),
        (
            &["profile", "add", "../p", "--url", "https://p"],
            "it names a file",
        ),
    ];
    for (args, message) in cases {
        let run = vbazure(&dir, args, &[]).await;
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
        assert!(!run.stderr.contains("t0ken"), "{}", run.stderr);
    }
    assert!(!dir.join("config").exists(), "nothing was written");

    // A password someone wrote into the file: refused where it is, never shown.
    std::fs::create_dir_all(dir.join("config")).expect("config dir");
    std::fs::write(
        dir.join("config").join("profiles.toml"),
        "[profiles.p]\nurl = \"https://p\"\npassword = \"hunter2\"\n",
    )
    .expect("written");
    let run = vbazure(&dir, &["--profile", "p", "sessions", "list"], &[]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("profiles.toml: line 3, column 1: unknown field `password`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("never holds a password"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("hunter2"), "{}", run.stderr);
}
