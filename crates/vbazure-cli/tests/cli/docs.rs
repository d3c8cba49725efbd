//! `vbazure completions` and `vbazure man-pages`: what they write is read by the tools that
//! use it (bash, man's formatter), not only compared with itself.

use std::process::Command;

use crate::support::{vbazure_with, Run};

async fn vbazure(args: &[&str]) -> Run {
    vbazure_with(&[], args.iter().map(|a| a.to_string()).collect(), None).await
}

/// The words bash's completion function offers after `line` (the last word is completed).
fn bash_completes(script: &str, line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split(' ').collect();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "{script}\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_LINE='{line}'\nCOMP_POINT=${{#COMP_LINE}}\n\
         _vbazure vbazure '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        quoted.join(" "),
        words.len() - 1,
        words[words.len() - 1],
        words[words.len().saturating_sub(2)],
    );
    let output = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
        .expect("bash runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

#[tokio::test]
async fn bash_completes_commands_flags_and_values() {
    let run = vbazure(&["completions", "bash"]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let syntax = Command::new("bash")
        .args(["-n", "-c", &run.stdout])
        .output()
        .expect("bash runs");
    assert!(syntax.status.success(), "{:?}", syntax);

    let commands = bash_completes(&run.stdout, "vbazure ");
    for command in [
        "delete-backups",
        "sessions",
        "vms",
        "conformance",
        "completions",
        "man-pages",
    ] {
        assert!(
            commands.iter().any(|c| c == command),
            "{command}: {commands:?}"
        );
    }
    let subcommands = bash_completes(&run.stdout, "vbazure sessions ");
    for sub in ["list", "show", "log", "wait", "stop"] {
        assert!(
            subcommands.iter().any(|c| c == sub),
            "{sub}: {subcommands:?}"
        );
    }
    let flags = bash_completes(&run.stdout, "vbazure delete-backups --dry");
    assert_eq!(flags, ["--dry-run"]);
    let versions = bash_completes(&run.stdout, "vbazure --api-version ");
    assert_eq!(versions, ["auto", "1", "8.1"]);
}

#[tokio::test]
async fn every_shell_gets_a_script_naming_every_command() {
    for (shell, marker) in [
        ("bash", "complete -F _vbazure"),
        ("zsh", "#compdef vbazure"),
        ("fish", "complete -c vbazure"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let run = vbazure(&["completions", shell]).await;
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains(marker), "{shell}");
        // fish names long flags without their dashes (`-l backup-tier`).
        for command in ["delete-backups", "man-pages", "backup-tier", "journal"] {
            assert!(run.stdout.contains(command), "{shell}: {command}");
        }
    }
    let unknown = vbazure(&["completions", "tcsh"]).await;
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(unknown.stdout.is_empty());
}

#[tokio::test]
async fn a_man_page_for_each_command_renders_without_warnings() {
    let dir = std::env::temp_dir().join(format!("vbazure-man-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.join("man1");
    let run = vbazure(&["man-pages", out.to_str().expect("a UTF-8 path")]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut pages: Vec<String> = std::fs::read_dir(&out)
        .expect("the directory was made")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    pages.sort();
    assert_eq!(
        pages,
        [
            "vbazure-completions.1",
            "vbazure-conformance.1",
            "vbazure-delete-backups.1",
            "vbazure-delete-snapshots.1",
            "vbazure-logout.1",
            "vbazure-man-pages.1",
            "vbazure-profile-add.1",
            "vbazure-profile-list.1",
            "vbazure-profile-remove.1",
            "vbazure-profile-show.1",
            "vbazure-profile.1",
            "vbazure-restore-points-delete.1",
            "vbazure-restore-points-list.1",
            "vbazure-restore-points.1",
            "vbazure-sessions-list.1",
            "vbazure-sessions-log.1",
            "vbazure-sessions-show.1",
            "vbazure-sessions-stop.1",
            "vbazure-sessions-wait.1",
            "vbazure-sessions.1",
            "vbazure-vms-list.1",
            "vbazure-vms.1",
            "vbazure.1",
        ]
    );
    assert_eq!(
        run.stdout.trim(),
        format!("23 man page(s) written to {}", out.display())
    );
    for page in &pages {
        // groff, as man formats a page, with every warning on: a page it cannot read fails.
        let rendered = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww", "-rLL=100n", "-P-cbu"])
            .arg(out.join(page))
            .env("LC_ALL", "C.UTF-8")
            .output()
            .expect("groff runs");
        let stderr = String::from_utf8_lossy(&rendered.stderr);
        assert!(
            rendered.status.success() && stderr.is_empty(),
            "{page}: {stderr}"
        );
        let text = String::from_utf8_lossy(&rendered.stdout);
        let name = page.trim_end_matches(".1");
        assert!(
            text.contains("NAME") && text.contains(name),
            "{page}: {text}"
        );
    }
    let delete = std::fs::read_to_string(out.join("vbazure-delete-backups.1")).expect("read");
    for flag in ["dry\\-run", "journal", "yes"] {
        assert!(delete.contains(flag), "{flag}");
    }
    let top = std::fs::read_to_string(out.join("vbazure.1")).expect("read");
    assert!(
        top.contains("Exit codes"),
        "the exit codes are on the main page"
    );
    std::fs::remove_dir_all(&dir).expect("cleaned up");
}

#[tokio::test]
async fn a_directory_that_cannot_be_made_is_a_usage_error() {
    let file = std::env::temp_dir().join(format!("vbazure-man-file-{}", std::process::id()));
    std::fs::write(&file, "not a directory").expect("written");
    let inside = file.join("man1");
    let run = vbazure(&["man-pages", inside.to_str().expect("a UTF-8 path")]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error: cannot make the directory")
            && run.stderr.contains(&inside.display().to_string()),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&file).expect("kept"),
        "not a directory"
    );
    std::fs::remove_file(&file).expect("cleaned up");
}
