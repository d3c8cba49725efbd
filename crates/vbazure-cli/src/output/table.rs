//! Aligned tables for people, narrowed to fit the terminal.

use console::{measure_text_width, truncate_str};

/// Two spaces between columns.
const GAP: usize = 2;

/// The narrowest a column is made to fit the width: its header, and at least this.
const NARROWEST: usize = 4;

/// The width tables must fit: `COLUMNS` when set (as a shell sets it for its scripts, or a
/// test), else the terminal's on stdout; `None` when stdout is not a terminal (a file or a
/// pipe gets whole cells).
pub(crate) fn terminal_width() -> Option<usize> {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|c| *c > 0)
    {
        return Some(columns);
    }
    console::Term::stdout()
        .size_checked()
        .map(|(_, columns)| usize::from(columns))
}

/// The lines of a table: the header, then a line per row. Columns are as wide as their
/// widest cell; when that is wider than `width`, the widest columns give way first (down to
/// their header), and a cut cell ends in `…`. The last column is not padded.
pub(crate) fn render(headers: &[&str], rows: &[Vec<String>], width: Option<usize>) -> Vec<String> {
    let mut widths: Vec<usize> = headers.iter().map(|h| measure_text_width(h)).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(measure_text_width(&printable(cell)));
        }
    }
    if let Some(limit) = width {
        narrow(&mut widths, headers, limit);
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut out = String::new();
        for (i, (cell, &width)) in cells.zip(&widths).enumerate() {
            if i > 0 {
                out.push_str(&" ".repeat(GAP));
            }
            let cell = printable(cell);
            let cut = truncate_str(&cell, width, "…");
            out.push_str(&cut);
            out.push_str(&" ".repeat(width.saturating_sub(measure_text_width(&cut))));
        }
        out.trim_end().to_string()
    };
    std::iter::once(line(&mut headers.iter().copied()))
        .chain(
            rows.iter()
                .map(|row| line(&mut row.iter().map(String::as_str))),
        )
        .collect()
}

/// The cell (or a message the appliance sent) with its control characters (an escape
/// sequence, a tab, a newline) as spaces: it cannot move the cursor or recolour the terminal.
pub(crate) fn printable(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.chars().any(char::is_control) {
        cell.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect::<String>()
            .into()
    } else {
        cell.into()
    }
}

/// Takes a character at a time from the widest column that can still give one, until the
/// table fits `limit` or no column can give more.
fn narrow(widths: &mut [usize], headers: &[&str], limit: usize) {
    let floors: Vec<usize> = headers
        .iter()
        .map(|h| measure_text_width(h).max(NARROWEST))
        .collect();
    let total =
        |widths: &[usize]| widths.iter().sum::<usize>() + GAP * widths.len().saturating_sub(1);
    while total(widths) > limit {
        let widest = widths
            .iter()
            .zip(&floors)
            .enumerate()
            .filter(|(_, (width, floor))| width > floor)
            .max_by_key(|(i, (width, _))| (**width, *i))
            .map(|(i, _)| i);
        match widest {
            Some(i) => widths[i] -= 1,
            None => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(cells: &[&[&str]]) -> Vec<Vec<String>> {
        cells
            .iter()
            .map(|row| row.iter().map(|c| c.to_string()).collect())
            .collect()
    }

    #[test]
    fn columns_are_as_wide_as_their_widest_cell() {
        let lines = render(
            &["ID", "NAME"],
            &rows(&[&["1", "web-01"], &["22", "db"]]),
            None,
        );
        assert_eq!(lines, ["ID  NAME", "1   web-01", "22  db"]);
    }

    #[test]
    fn a_table_wider_than_the_terminal_cuts_its_widest_column_first() {
        let message = "the backups of the VM were removed from the repository";
        let table = rows(&[&["2020-02-03T13:53:00Z", "Success", message]]);
        let lines = render(&["TIME", "STATUS", "MESSAGE"], &table, Some(50));
        assert!(
            lines.iter().all(|l| measure_text_width(l) <= 50),
            "{lines:#?}"
        );
        // The time and status are whole; the message gives way and says it was cut.
        assert!(lines[1].starts_with("2020-02-03T13:53:00Z  Success  the backups"));
        assert!(lines[1].ends_with('…'), "{lines:#?}");
    }

    #[test]
    fn columns_are_never_cut_below_their_header() {
        let table = rows(&[&["abcdefghij", "klmnopqrst"]]);
        let lines = render(&["FIRST", "SECOND"], &table, Some(3));
        assert_eq!(lines, ["FIRST  SECOND", "abcd…  klmno…"]);
    }

    #[test]
    fn a_cell_cannot_send_escape_sequences_to_the_terminal() {
        let lines = render(
            &["MESSAGE"],
            &rows(&[&["red \u{1b}[31malert\u{1b}[0m"]]),
            None,
        );
        assert_eq!(lines[1], "red  [31malert [0m");
    }

    #[test]
    fn wide_characters_are_measured_by_their_width_on_screen() {
        let lines = render(&["NAME", "X"], &rows(&[&["日本", "1"]]), None);
        assert_eq!(lines, ["NAME  X", "日本  1"]);
    }
}
