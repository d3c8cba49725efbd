//! The CLI's interactive prompts, which only show on a terminal: the real `vbazure` binary runs
//! on a pseudo-terminal against a mock appliance in this process (loopback only), and the test
//! types at it as a person would.
//!
//! - The confirmation before `delete-backups` deletes: it names the VM count and the first
//!   few VMs; `yes` deletes exactly the VMs asked for; `no`, an empty line, `y`, `YES` and the
//!   end of input (Ctrl-D) send no deletion and exit 2 with a message saying so.
//! - The password prompt (no password in the environment): the typed password is not echoed,
//!   the right one logs in, a wrong one is a clear login error (no panic).
//! - The multi-factor code prompt (a v8.1 account with MFA): asked for on the terminal, not
//!   echoed, and the right code logs in.
//!
//! How the pty is had: the `ptyprocess` crate (the pseudo-terminal layer under `expectrl`). It
//! opens the pty, makes it the child's controlling terminal (rpassword reads and writes
//! `/dev/tty`, so stdin being a tty is not enough) and can read the terminal's ECHO flag. That
//! flag is what these tests need: rpassword writes its prompt *before* it turns echo off, so a
//! test that types as soon as the prompt shows races it (in a trial, 19 of 60 such runs saw
//! the kernel echo the password); waiting for the flag to drop first (it is looked at every
//! millisecond: a terminal setting gives no event) makes the tests deterministic, and it is the
//! very thing the "no echo" check is about. `rexpect` has no way to read that flag,
//! `portable-pty` only through `nix`'s types and with a larger build, and `expectrl`'s expect
//! loop spins on the CPU while it waits (two cores here); `ptyprocess` alone is one small crate
//! over `nix` (nothing else new in the build), and the expect-style waiting below (a reader
//! thread, a condition variable and a deadline per wait) is a few lines. A wrapper around
//! `script` was not taken for the same reason: it gives no access to the echo flag, so the
//! password tests could only race rpassword.
//!
//! ptyprocess starts its child with echo off (an expect convention); a person's terminal
//! echoes, so the child runs `stty echo` before it becomes `vbazure` (turning it on from this
//! side after the start would race the CLI's first prompt): typed text that shows up is then
//! the terminal's echo, and a secret that does not show up was really hidden.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use ptyprocess::{PtyProcess, WaitStatus};
use serde_json::Value;
use vbazure_mock::{ApiVersion, MockAppliance, MockBuilder, MockConfig, DEFAULT_USERNAME};

/// The longest any wait on the CLI may take (a clean run on a loaded 2-core machine takes well
/// under a second per step).
const WAIT: Duration = Duration::from_secs(60);

/// How long the tests give rpassword to turn echo off after its prompt shows; past it they
/// type anyway, so that a prompt that never hides its input fails on what it shows.
const ECHO_OFF_WAIT: Duration = Duration::from_secs(10);

/// The end-of-input key.
const CTRL_D: u8 = 0x04;

/// The question's last words, after which `vbazure` reads the answer.
const CONFIRM_PROMPT: &str = "Type yes to go on: ";

/// What the terminal has shown so far, and whether the CLI has closed it.
#[derive(Default)]
struct Screen {
    bytes: Vec<u8>,
    closed: bool,
}

/// `vbazure` running on a pseudo-terminal: what it writes is read as it comes, and what is
/// typed goes to it as keystrokes.
struct Terminal {
    process: PtyProcess,
    keyboard: File,
    screen: Arc<(Mutex<Screen>, Condvar)>,
    /// How much of the screen the waits so far have consumed.
    seen: usize,
}

impl Terminal {
    /// Starts `vbazure args` against `url`, with only `env` (and `PATH`) in its environment.
    fn start(url: &str, env: &[(&str, &str)], args: &[&str]) -> Self {
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(r#"stty echo && exec "$0" "$@""#)
            .arg(env!("CARGO_BIN_EXE_vbazure"))
            .args(args)
            .env_clear()
            .envs(crate::support::isolated())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("VBAZURE_URL", url)
            .envs(env.iter().copied());
        let process = PtyProcess::spawn(command).expect("vbazure starts on a pseudo-terminal");
        let keyboard = process
            .get_raw_handle()
            .expect("the terminal's master side");
        let mut display = keyboard
            .try_clone()
            .expect("a second handle on the master side");
        let screen = Arc::new((Mutex::new(Screen::default()), Condvar::new()));
        let shown = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            loop {
                let read = display.read(&mut buf);
                let (lock, changed) = &*shown;
                let mut screen = lock.lock().unwrap();
                match read {
                    Ok(n) if n > 0 => screen.bytes.extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    // 0 or EIO (Linux): every handle on the terminal's slave side is closed,
                    // that is, the CLI has ended.
                    _ => {
                        screen.closed = true;
                        changed.notify_all();
                        return;
                    }
                }
                changed.notify_all();
            }
        });
        Self {
            process,
            keyboard,
            screen,
            seen: 0,
        }
    }

    /// Everything the terminal has shown, with its `\r\n` line ends as `\n`.
    fn transcript(&self) -> String {
        let screen = self.screen.0.lock().unwrap();
        String::from_utf8_lossy(&screen.bytes).replace("\r\n", "\n")
    }

    /// Waits (at most [`WAIT`]) until `needle` shows after what earlier waits consumed, and
    /// returns what showed before it; the needle is consumed too.
    fn expect(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        let (lock, changed) = &*self.screen;
        let mut screen = lock.lock().unwrap();
        loop {
            let unseen = &screen.bytes[self.seen..];
            if let Some(at) = unseen
                .windows(needle.len())
                .position(|window| window == needle.as_bytes())
            {
                let before = String::from_utf8_lossy(&unseen[..at]).into_owned();
                self.seen += at + needle.len();
                return before.replace("\r\n", "\n");
            }
            let now = Instant::now();
            if screen.closed || now >= deadline {
                let why = if screen.closed {
                    "vbazure ended"
                } else {
                    "timed out"
                };
                let shown = String::from_utf8_lossy(&screen.bytes).replace("\r\n", "\n");
                panic!("{why} before {needle:?} showed; the terminal shows:\n{shown}");
            }
            screen = changed.wait_timeout(screen, deadline - now).unwrap().0;
        }
    }

    /// Waits for `prompt` as a prompt: at the start of a line, the last thing shown (so far);
    /// returns what showed before it.
    fn expect_prompt(&mut self, prompt: &str) -> String {
        let before = self.expect(prompt);
        assert!(
            before.is_empty() || before.ends_with('\n'),
            "{prompt:?} showed, but not at the start of a line (not as a prompt); the terminal \
             shows:\n{}",
            self.transcript()
        );
        before
    }

    /// Types `line` and Enter.
    fn type_line(&mut self, line: &str) {
        self.keyboard
            .write_all(format!("{line}\r").as_bytes())
            .and_then(|()| self.keyboard.flush())
            .expect("typing on the terminal");
    }

    /// Ends the input, as Ctrl-D at the start of a line does (the terminal's settings are the
    /// kernel's defaults but for echo: VEOF is Ctrl-D).
    fn type_end_of_input(&mut self) {
        self.keyboard
            .write_all(&[CTRL_D])
            .and_then(|()| self.keyboard.flush())
            .expect("typing on the terminal");
    }

    /// Whether the terminal echoes what is typed now.
    fn echoes(&self) -> bool {
        self.process.get_echo().expect("the terminal's settings")
    }

    /// Waits (at most [`ECHO_OFF_WAIT`]) until the terminal stops echoing, as a hidden prompt
    /// makes it; whether it did.
    fn until_echo_off(&self) -> bool {
        let deadline = Instant::now() + ECHO_OFF_WAIT;
        while self.echoes() {
            if Instant::now() >= deadline {
                return false;
            }
            // A terminal setting changes without a sound: it is looked at again shortly.
            std::thread::sleep(Duration::from_millis(1));
        }
        true
    }

    /// Waits (at most [`WAIT`]) for the CLI to end; its exit code and everything it showed.
    fn finish(self) -> (i32, String) {
        let deadline = Instant::now() + WAIT;
        {
            let (lock, changed) = &*self.screen;
            let mut screen = lock.lock().unwrap();
            while !screen.closed {
                let now = Instant::now();
                assert!(
                    now < deadline,
                    "vbazure did not end; the terminal shows:\n{}",
                    String::from_utf8_lossy(&screen.bytes).replace("\r\n", "\n")
                );
                screen = changed.wait_timeout(screen, deadline - now).unwrap().0;
            }
        }
        // The terminal is closed: the process is ending, if it has not ended yet.
        let status = loop {
            match self.process.status().expect("the CLI's status") {
                WaitStatus::StillAlive if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(1))
                }
                status => break status,
            }
        };
        let transcript = self.transcript();
        let code = match status {
            WaitStatus::Exited(_, code) => code,
            other => panic!("vbazure did not exit normally ({other:?}):\n{transcript}"),
        };
        // What a hidden prompt changed, it put back: the terminal echoes again.
        assert!(
            self.echoes(),
            "vbazure left the terminal without echo:\n{transcript}"
        );
        (code, transcript)
    }
}

/// A mock appliance on loopback, served by a runtime of its own while the test types, and its
/// request record.
struct Appliance {
    mock: MockAppliance,
    record: PathBuf,
    _runtime: tokio::runtime::Runtime,
}

impl Appliance {
    fn start(name: &str, builder: MockBuilder) -> Self {
        let record = std::env::temp_dir().join(format!(
            "vbazure-prompts-{}-{name}.jsonl",
            std::process::id()
        ));
        std::fs::remove_file(&record).ok();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for the mock");
        let mock = runtime
            .block_on(builder.record(&record).start())
            .expect("the mock starts");
        Self {
            mock,
            record,
            _runtime: runtime,
        }
    }

    fn url(&self) -> &str {
        self.mock.url()
    }

    /// The requests received so far, as `METHOD path status`.
    fn requests(&self) -> Vec<String> {
        std::fs::read_to_string(&self.record)
            .unwrap_or_default()
            .lines()
            .map(|line| {
                let request: Value = serde_json::from_str(line).expect("a record line");
                format!(
                    "{} {} {}",
                    request["method"].as_str().unwrap_or_default(),
                    request["path"].as_str().unwrap_or_default(),
                    request["status"]
                )
            })
            .collect()
    }

    /// The deletion requests received so far (v1 or v8.1, one VM or a batch), per VM id; a
    /// batch counts under `batch`.
    fn deletions(&self) -> BTreeMap<String, usize> {
        let mut per_vm = BTreeMap::new();
        for request in self.requests() {
            let mut words = request.split(' ');
            let (method, path) = (words.next().unwrap(), words.next().unwrap());
            if method == "POST" && path.ends_with("/deleteBackups") {
                let segments: Vec<&str> = path.split('/').collect();
                let id = match segments[segments.len() - 2] {
                    "virtualMachines" => "batch",
                    id => id,
                };
                *per_vm.entry(id.to_string()).or_insert(0) += 1;
            }
        }
        per_vm
    }
}

impl Drop for Appliance {
    fn drop(&mut self) {
        std::fs::remove_file(&self.record).ok();
    }
}

/// Eight protected VMs, `vm-01` to `vm-08` (named `web-01` ...).
fn eight_vms(name: &str) -> Appliance {
    let mut builder = MockAppliance::builder();
    for i in 1..=8 {
        builder = builder.vm(format!("web-{i:02}"), format!("vm-{i:02}"));
    }
    Appliance::start(name, builder)
}

/// The mock's credentials, given in the environment: no password prompt.
fn credentials(appliance: &Appliance) -> [(&'static str, String); 2] {
    let config = appliance.mock.config();
    [
        ("VBAZURE_USERNAME", config.username),
        ("VBAZURE_PASSWORD", config.password),
    ]
}

fn pairs<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// `delete-backups` for seven of the eight VMs, up to the question (checked); the terminal
/// waits for the answer.
fn asked(appliance: &Appliance) -> Terminal {
    let env = credentials(appliance);
    let args = [
        "delete-backups",
        "vm-01",
        "vm-02",
        "vm-03",
        "vm-04",
        "vm-05",
        "vm-06",
        "vm-07",
    ];
    let mut terminal = Terminal::start(appliance.url(), &pairs(&env), &args);
    let before = terminal.expect_prompt(CONFIRM_PROMPT);
    let question = before
        .lines()
        .find(|line| line.contains("about to delete"))
        .unwrap_or_else(|| panic!("no question before the prompt:\n{before}"));
    assert_eq!(
        question,
        "vbazure: about to delete every backup of 7 VM(s): vm-01, vm-02, vm-03, vm-04, vm-05 \
         and 2 more. This cannot be undone.",
        "the question names the count and the first five VMs"
    );
    assert!(
        !before.contains("vm-06") && !before.contains("vm-07"),
        "only the first five are named:\n{before}"
    );
    assert!(
        appliance.deletions().is_empty(),
        "a deletion was sent before the answer: {:?}",
        appliance.requests()
    );
    terminal
}

#[test]
fn yes_at_the_question_deletes_exactly_the_vms_asked_for() {
    let appliance = eight_vms("yes");
    let mut terminal = asked(&appliance);
    terminal.type_line("yes");
    let (code, transcript) = terminal.finish();
    assert_eq!(code, 0, "{transcript}");
    assert!(
        transcript.contains(&format!("{CONFIRM_PROMPT}yes\n")),
        "the terminal echoes the answer:\n{transcript}"
    );
    let asked: BTreeMap<String, usize> = (1..=7).map(|i| (format!("vm-{i:02}"), 1)).collect();
    assert_eq!(
        appliance.deletions(),
        asked,
        "one deletion for each VM named, none for vm-08: {:?}",
        appliance.requests()
    );
    assert!(!transcript.contains("internal error"), "{transcript}");
}

#[test]
fn any_other_answer_or_the_end_of_input_deletes_nothing() {
    let appliance = eight_vms("refusals");
    // What a person may type that is not `yes` (the empty line is Enter alone), then Ctrl-D.
    let answers = [Some("no"), Some(""), Some("y"), Some("YES"), None];
    for answer in answers {
        let mut terminal = asked(&appliance);
        match answer {
            Some(line) => terminal.type_line(line),
            None => terminal.type_end_of_input(),
        }
        let (code, transcript) = terminal.finish();
        assert_eq!(
            code, 2,
            "{answer:?} is refused as a usage error (exit 2):\n{transcript}"
        );
        assert!(
            transcript
                .contains("error: not confirmed (the answer was not `yes`): nothing was deleted\n"),
            "{answer:?}: a message says nothing was deleted:\n{transcript}"
        );
        assert!(
            transcript
                .lines()
                .any(|l| l.starts_with("error: not confirmed")),
            "{answer:?}: the error is on a line of its own:\n{transcript}"
        );
        if let Some(line) = answer {
            assert!(
                transcript.contains(&format!("{CONFIRM_PROMPT}{line}\n")),
                "the terminal echoes the answer:\n{transcript}"
            );
        }
        assert!(!transcript.contains("internal error"), "{transcript}");
        assert_eq!(
            appliance.deletions(),
            BTreeMap::new(),
            "{answer:?}: a deletion was sent: {:?}",
            appliance.requests()
        );
    }
    assert!(
        appliance
            .requests()
            .iter()
            .all(|request| !request.starts_with("POST /api/v8.1/protectedItem")),
        "{:?}",
        appliance.requests()
    );
}

/// A mock whose account has this password (and no MFA unless `mfa` is given), serving v8.1.
fn with_password(name: &str, password: &str, mfa: Option<&str>) -> Appliance {
    let mut builder = MockAppliance::builder()
        .config(MockConfig {
            password: password.to_string(),
            ..MockConfig::default()
        })
        .api_versions([ApiVersion::V8_1]);
    if let Some(code) = mfa {
        builder = builder.mfa_code(code);
    }
    Appliance::start(name, builder)
}

/// Waits for `prompt`, then for the terminal to stop echoing, and types `secret`; whether the
/// terminal had stopped echoing (past [`ECHO_OFF_WAIT`] it is typed all the same, so that an
/// echoing prompt shows it).
fn type_at_hidden_prompt(terminal: &mut Terminal, prompt: &str, secret: &str) -> bool {
    terminal.expect_prompt(prompt);
    let hidden = terminal.until_echo_off();
    terminal.type_line(secret);
    hidden
}

/// `sessions list` with the user name only (no password in the environment), `password`
/// typed at its prompt; whether that prompt hid it.
fn log_in_typing(appliance: &Appliance, password: &str) -> (Terminal, bool) {
    let mut terminal = Terminal::start(
        appliance.url(),
        &[("VBAZURE_USERNAME", DEFAULT_USERNAME)],
        &["sessions", "list"],
    );
    let prompt = format!("password for {DEFAULT_USERNAME}: ");
    let hidden = type_at_hidden_prompt(&mut terminal, &prompt, password);
    (terminal, hidden)
}

#[test]
fn the_password_is_asked_for_on_the_terminal_without_echo() {
    const PASSWORD: &str = "Typed-Secret-4711";
    let appliance = with_password("password", PASSWORD, None);

    let (terminal, hidden) = log_in_typing(&appliance, PASSWORD);
    let (code, transcript) = terminal.finish();
    assert!(
        !transcript.contains(PASSWORD),
        "the password was echoed:\n{transcript}"
    );
    assert!(hidden, "the prompt did not turn echo off:\n{transcript}");
    assert_eq!(code, 0, "the right password logs in:\n{transcript}");
    assert_eq!(
        appliance.requests(),
        [
            "GET /api/v8.1/system/about 401",
            "POST /api/oauth2/token 200",
            "GET /api/v8.1/system/about 200",
            "GET /api/v8.1/jobSessions 200",
            "DELETE /api/oauth2/token 204",
        ],
        "{transcript}"
    );

    const WRONG: &str = "Not-The-Secret-0815";
    let (terminal, hidden) = log_in_typing(&appliance, WRONG);
    let (code, transcript) = terminal.finish();
    assert!(
        !transcript.contains(WRONG),
        "the password was echoed or printed:\n{transcript}"
    );
    assert!(hidden, "the prompt did not turn echo off:\n{transcript}");
    assert_eq!(code, 1, "a wrong password is a login error:\n{transcript}");
    let error = transcript
        .lines()
        .find(|line| line.starts_with("error: "))
        .unwrap_or_else(|| panic!("no error line:\n{transcript}"));
    assert!(
        error.starts_with("error: login: ")
            && error.contains("the appliance refused the login: check the user name and password"),
        "a clear login error:\n{transcript}"
    );
    assert!(
        !transcript.contains("panicked") && !transcript.contains("internal error"),
        "{transcript}"
    );
    // After the five requests of the first run.
    assert_eq!(
        appliance.requests()[5..],
        [
            "GET /api/v8.1/system/about 401",
            "POST /api/oauth2/token 401"
        ],
        "refused at the token, nothing more sent"
    );
}

/// The code prompt (v8.1 accounts with MFA).
const MFA_PROMPT: &str = "multi-factor code: ";

#[test]
fn the_multi_factor_code_is_asked_for_on_the_terminal_and_logs_in() {
    const PASSWORD: &str = "Typed-Secret-4711";
    const CODE: &str = "123456";
    let appliance = with_password("mfa", PASSWORD, Some(CODE));

    // Both prompts in one run: the password, then the code the account asks for.
    let (mut terminal, password_hidden) = log_in_typing(&appliance, PASSWORD);
    let code_hidden = type_at_hidden_prompt(&mut terminal, MFA_PROMPT, CODE);
    let (code, transcript) = terminal.finish();
    assert!(
        !transcript.contains(CODE) && !transcript.contains(PASSWORD),
        "the code or the password was echoed:\n{transcript}"
    );
    assert!(
        password_hidden && code_hidden,
        "a prompt did not turn echo off (password: {password_hidden}, code: {code_hidden}):\n\
         {transcript}"
    );
    assert_eq!(code, 0, "the right code logs in:\n{transcript}");
    assert_eq!(
        appliance.requests(),
        [
            "GET /api/v8.1/system/about 401",
            "POST /api/oauth2/token 200",
            "POST /api/oauth2/token 200",
            "GET /api/v8.1/system/about 200",
            "GET /api/v8.1/jobSessions 200",
            "DELETE /api/oauth2/token 204",
        ],
        "the password step, the code step, the confirming read, the list, the logout:\n{transcript}"
    );

    // The code prompt shows with the password from the environment too, and a wrong code is
    // the appliance's refusal, said clearly.
    let mut terminal = Terminal::start(
        appliance.url(),
        &[
            ("VBAZURE_USERNAME", DEFAULT_USERNAME),
            ("VBAZURE_PASSWORD", PASSWORD),
        ],
        &["sessions", "list"],
    );
    const WRONG: &str = "654321";
    let hidden = type_at_hidden_prompt(&mut terminal, MFA_PROMPT, WRONG);
    let (code, transcript) = terminal.finish();
    assert!(
        !transcript.contains(WRONG),
        "the code was echoed or printed:\n{transcript}"
    );
    assert!(hidden, "the prompt did not turn echo off:\n{transcript}");
    assert_eq!(code, 1, "a wrong code is a login error:\n{transcript}");
    let error = transcript
        .lines()
        .find(|line| line.starts_with("error: "))
        .unwrap_or_else(|| panic!("no error line:\n{transcript}"));
    assert!(
        error.starts_with("error: login: ") && error.contains("The one-time code is not valid."),
        "a clear login error:\n{transcript}"
    );
    assert!(
        !transcript.contains("panicked") && !transcript.contains("internal error"),
        "{transcript}"
    );
    assert_eq!(
        appliance.requests()[6..],
        [
            "GET /api/v8.1/system/about 401",
            "POST /api/oauth2/token 200",
            "POST /api/oauth2/token 401",
        ],
        "the password step, the refused code, nothing more sent:\n{transcript}"
    );
}
