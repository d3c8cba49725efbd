//! The README's example outputs, for the tests that check that the README shows what the
//! commands really print. A standalone file, included by path from each crate's tests.

use std::path::Path;

/// The lines of the README's fenced block that holds a line starting with `marker`, with the
/// block's indentation (inside a list item) taken off.
pub(crate) fn readme_block(root: &Path, marker: &str) -> Vec<String> {
    let path = root.join("README.md");
    let readme = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut block: Option<(usize, Vec<String>)> = None;
    for line in readme.lines() {
        let indent = line.len() - line.trim_start().len();
        let fence = line.trim_start().starts_with("```");
        match &mut block {
            None if fence => block = Some((indent, Vec::new())),
            None => {}
            Some((_, lines)) if fence => {
                if lines.iter().any(|l| l.starts_with(marker)) {
                    return std::mem::take(lines);
                }
                block = None;
            }
            Some((indent, lines)) => {
                lines.push(line.get(*indent..).unwrap_or_default().to_string());
            }
        }
    }
    panic!("README.md has no fenced block with a line starting {marker:?}");
}

/// Asserts that every line of `shown` (the README's block, `$ ` command lines left out) is a
/// line of `printed`, in the same order: a block may leave lines out, never change one. A
/// line the README cuts short with a final ` …` stands for the printed lines it begins.
pub(crate) fn assert_shows(shown: &[String], printed: &str) {
    let mut printed_lines = printed.lines().map(str::trim_end);
    for line in shown.iter().filter(|l| !l.starts_with("$ ")) {
        let line = line.trim_end();
        let matches = |p: &str| match line.strip_suffix(" …") {
            Some(start) => p.starts_with(start),
            None => p == line,
        };
        assert!(
            printed_lines.any(matches),
            "the README shows a line the command does not print (in this order):\n  {line}\n\
             the command printed:\n{printed}"
        );
    }
}
