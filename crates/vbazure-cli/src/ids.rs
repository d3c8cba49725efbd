//! The VMs of a bulk deletion (ids, or names): from the arguments and a file (or stdin), each
//! once.

use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

use crate::exit::Exit;
use crate::Failure;

/// The values in order of first appearance, and how many duplicates were dropped; `what` names
/// them in errors (`VM ids`, `VM names`).
pub(crate) fn collect(
    args: &[String],
    file: Option<&Path>,
    what: &str,
) -> Result<(Vec<String>, usize), Failure> {
    let mut all: Vec<String> = args.iter().map(|s| s.trim().to_string()).collect();
    if let Some(path) = file {
        let text = read(path, what)?;
        all.extend(
            text.lines()
                .map(str::trim)
                .filter(|line| !line.is_empty() && !line.starts_with('#'))
                .map(str::to_string),
        );
    }
    let mut seen = HashSet::new();
    let before = all.len();
    all.retain(|id| !id.is_empty() && seen.insert(id.clone()));
    let dropped = before - all.len();
    if all.is_empty() {
        return Err(Failure::new(
            Exit::Usage,
            format!("no {what}: give them as arguments or with --from-file"),
        ));
    }
    Ok((all, dropped))
}

fn read(path: &Path, what: &str) -> Result<String, Failure> {
    let shown = if path == Path::new("-") {
        "stdin".to_string()
    } else {
        path.display().to_string()
    };
    let fail = |e: std::io::Error| {
        Failure::new(Exit::Usage, format!("cannot read {what} from {shown}: {e}"))
    };
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        std::io::stdin().read_to_end(&mut bytes).map_err(fail)?;
    } else {
        bytes = std::fs::read(path).map_err(fail)?;
    }
    String::from_utf8(bytes).map_err(|e| {
        Failure::new(
            Exit::Usage,
            format!(
                "{shown} is not UTF-8 text (byte {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blanks_and_duplicates_are_dropped() {
        let dir = std::env::temp_dir().join(format!("vbazure-ids-{}", std::process::id()));
        std::fs::write(
            &dir,
            "# decommissioned\nvm-2\n\n  vm-3  \nvm-1\n#vm-9\nvm-2\n",
        )
        .unwrap();
        let (ids, dropped) = collect(&["vm-1".to_string()], Some(&dir), "VM ids").unwrap();
        std::fs::remove_file(&dir).ok();
        assert_eq!(ids, ["vm-1", "vm-2", "vm-3"]);
        assert_eq!(dropped, 2);
        assert!(collect(&[], None, "VM ids").is_err());
        let missing = collect(&[], Some(Path::new("/nonexistent/ids.txt")), "VM ids")
            .err()
            .unwrap();
        assert!(missing
            .message
            .starts_with("cannot read VM ids from /nonexistent/ids.txt"));
    }
}
