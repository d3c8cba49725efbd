//! YAML text to a JSON value, remembering where in the text each value stands.
//!
//! yaml-rust2 is used because it is maintained, pure Rust, and reports the line and column of
//! every event; `serde_yaml` is deprecated and its successors drop positions, which the spec's
//! error messages need.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};
use yaml_rust2::Yaml;

use crate::error::Location;
use crate::pointer;

/// The JSON value of a YAML document and the source location of every value in it, by pointer.
pub(crate) struct Parsed {
    pub value: Value,
    pub locations: BTreeMap<String, Location>,
}

/// A problem found while reading: where and what.
pub(crate) struct ParseProblem {
    pub location: Location,
    pub message: String,
}

pub(crate) fn parse(text: &str) -> Result<Parsed, ParseProblem> {
    // A byte order mark (Windows tools write one) is not part of the document; the parser
    // would read it as the start of a scalar.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (text, shifts) = json_surrogates(text);
    let result = parse_yaml(&text);
    if shifts.is_empty() {
        return result;
    }
    let fix = |location: &mut Location| {
        location.column += shifts
            .iter()
            .filter(|(line, column)| *line == location.line && *column < location.column)
            .count()
            * SHORTENED;
    };
    match result {
        Ok(mut parsed) => {
            parsed.locations.values_mut().for_each(fix);
            Ok(parsed)
        }
        Err(mut problem) => {
            fix(&mut problem.location);
            Err(problem)
        }
    }
}

/// How much shorter `\U0001F600` is than the `\ud83d\ude00` it replaces.
const SHORTENED: usize = 2;

/// JSON writes a character beyond the Basic Multilingual Plane as a pair of UTF-16 escapes
/// (`\ud83d\ude00`, as .NET's serializer does); YAML refuses those and writes `\U0001F600`
/// instead. In a JSON document (where every backslash is inside a double-quoted string) each
/// pair is rewritten so. Returns the text and, for each rewrite, the line and 1-based column
/// after it, where later columns of that line have shifted by [`SHORTENED`].
fn json_surrogates(text: &str) -> (Cow<'_, str>, Vec<(usize, usize)>) {
    let is_json = text.trim_start().starts_with(['{', '[']);
    if !is_json || !text.contains("\\u") {
        return (Cow::Borrowed(text), Vec::new());
    }
    let unit = |s: &str| -> Option<u32> {
        let hex = s.strip_prefix("\\u")?.get(..4)?;
        u32::from_str_radix(hex, 16).ok()
    };
    let mut out = String::with_capacity(text.len());
    let mut shifts = Vec::new();
    let (mut line, mut column) = (1, 1);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\\' {
            let pair = unit(rest)
                .filter(|high| (0xD800..0xDC00).contains(high))
                .zip(rest.get(6..).and_then(unit))
                .filter(|(_, low)| (0xDC00..0xE000).contains(low));
            if let Some((high, low)) = pair {
                let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                out.push_str(&format!("\\U{code:08X}"));
                column += 10;
                shifts.push((line, column));
                rest = &rest[12..];
                continue;
            }
            // An escaped character (`\\`, `\"`, a single `\u....`) is copied whole, so that
            // the backslash of `\\` never starts an escape.
            let escaped: String = rest.chars().take(2).collect();
            column += escaped.chars().count();
            out.push_str(&escaped);
            rest = &rest[escaped.len()..];
            continue;
        }
        out.push(c);
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
        rest = &rest[c.len_utf8()..];
    }
    (Cow::Owned(out), shifts)
}

fn parse_yaml(text: &str) -> Result<Parsed, ParseProblem> {
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut builder, true) {
        return Err(ParseProblem {
            location: location_of(e.marker()),
            message: e.info().to_string(),
        });
    }
    if let Some(problem) = builder.problem {
        return Err(problem);
    }
    match builder.root {
        Some(value) => Ok(Parsed {
            value,
            locations: builder.locations,
        }),
        None => Err(ParseProblem {
            location: Location { line: 1, column: 1 },
            message: "the file holds no YAML document".to_string(),
        }),
    }
}

// yaml-rust2's columns count from 0 (its docs say 1); lines count from 1.
fn location_of(mark: &Marker) -> Location {
    Location {
        line: mark.line().max(1),
        column: mark.col() + 1,
    }
}

enum Frame {
    Sequence {
        pointer: String,
        anchor: usize,
        items: Vec<Value>,
    },
    Mapping {
        pointer: String,
        anchor: usize,
        entries: Map<String, Value>,
        /// The key read whose value has not come yet.
        key: Option<String>,
    },
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    root: Option<Value>,
    documents: usize,
    anchors: HashMap<usize, Value>,
    locations: BTreeMap<String, Location>,
    problem: Option<ParseProblem>,
}

impl Builder {
    fn fail(&mut self, mark: Marker, message: impl Into<String>) {
        if self.problem.is_none() {
            self.problem = Some(ParseProblem {
                location: location_of(&mark),
                message: message.into(),
            });
        }
    }

    /// The pointer the next value will have, or a problem when the next event must be a key
    /// and is a collection or alias instead.
    fn next_pointer(&self) -> Result<String, &'static str> {
        match self.stack.last() {
            None => Ok(String::new()),
            Some(Frame::Sequence { pointer, items, .. }) => {
                Ok(pointer::push(pointer, &items.len().to_string()))
            }
            Some(Frame::Mapping {
                pointer,
                key: Some(key),
                ..
            }) => Ok(pointer::push(pointer, key)),
            Some(Frame::Mapping { key: None, .. }) => {
                Err("a mapping key must be a plain value, not a collection or an alias")
            }
        }
    }

    fn place(&mut self, value: Value, mark: Marker) {
        match self.stack.last_mut() {
            None => self.root = Some(value),
            Some(Frame::Sequence { items, .. }) => items.push(value),
            Some(Frame::Mapping { entries, key, .. }) => {
                if let Some(key) = key.take() {
                    entries.insert(key, value);
                } else {
                    self.fail(mark, "a mapping key must be a plain value");
                }
            }
        }
    }

    fn remember(&mut self, anchor: usize, value: &Value) {
        if anchor > 0 {
            self.anchors.insert(anchor, value.clone());
        }
    }

    fn scalar(
        &mut self,
        text: String,
        style: TScalarStyle,
        anchor: usize,
        tag: Option<Tag>,
        mark: Marker,
    ) {
        // A scalar where a key is due is the key.
        if let Some(Frame::Mapping {
            pointer,
            entries,
            key: key @ None,
            ..
        }) = self.stack.last_mut()
        {
            let entry_pointer = pointer::push(pointer, &text);
            // A block mapping's start event is marked past its first key, so a mapping takes
            // the place of its first key instead.
            let here = location_of(&mark);
            self.locations.entry(pointer.clone()).or_insert(here);
            if entries.contains_key(&text) {
                let message = format!("duplicate key `{text}` (the YAML specification forbids it)");
                self.fail(mark, message);
                return;
            }
            *key = Some(text);
            self.locations.insert(entry_pointer, here);
            return;
        }
        let value = match resolve(&text, style, tag.as_ref()) {
            Ok(value) => value,
            Err(message) => {
                self.fail(mark, message);
                return;
            }
        };
        if self.locate_next(mark) {
            self.remember(anchor, &value);
            self.place(value, mark);
        }
    }

    /// Records where the next value stands; false (after recording the problem) when a value
    /// cannot stand there.
    fn locate_next(&mut self, mark: Marker) -> bool {
        match self.next_pointer() {
            Ok(p) => {
                self.locations
                    .entry(p)
                    .or_insert_with(|| location_of(&mark));
                true
            }
            Err(message) => {
                self.fail(mark, message);
                false
            }
        }
    }

    fn open(&mut self, mapping: bool, anchor: usize, mark: Marker) {
        let pointer = match self.next_pointer() {
            Ok(p) => p,
            Err(message) => {
                self.fail(mark, message);
                return;
            }
        };
        if !mapping {
            self.locations
                .entry(pointer.clone())
                .or_insert_with(|| location_of(&mark));
        }
        self.stack.push(if mapping {
            Frame::Mapping {
                pointer,
                anchor,
                entries: Map::new(),
                key: None,
            }
        } else {
            Frame::Sequence {
                pointer,
                anchor,
                items: Vec::new(),
            }
        });
    }

    fn close(&mut self, mark: Marker) {
        let (value, anchor) = match self.stack.pop() {
            Some(Frame::Sequence { items, anchor, .. }) => (Value::Array(items), anchor),
            Some(Frame::Mapping {
                entries, anchor, ..
            }) => (Value::Object(entries), anchor),
            None => return,
        };
        self.remember(anchor, &value);
        self.place(value, mark);
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.problem.is_some() {
            return;
        }
        match event {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    self.fail(mark, "the file holds more than one YAML document");
                }
            }
            Event::Scalar(text, style, anchor, tag) => self.scalar(text, style, anchor, tag, mark),
            Event::SequenceStart(anchor, _) => self.open(false, anchor, mark),
            Event::MappingStart(anchor, _) => self.open(true, anchor, mark),
            Event::SequenceEnd | Event::MappingEnd => self.close(mark),
            Event::Alias(id) => {
                let Some(value) = self.anchors.get(&id).cloned() else {
                    self.fail(mark, "an alias to an anchor that is not defined before it");
                    return;
                };
                if self.locate_next(mark) {
                    self.place(value, mark);
                }
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
    }
}

/// The JSON value of one scalar, resolved as the YAML 1.2 core schema says: quoted and block
/// scalars are strings; plain ones may be null, booleans or numbers.
fn resolve(text: &str, style: TScalarStyle, tag: Option<&Tag>) -> Result<Value, String> {
    if tag.is_some_and(|t| t.suffix == "str") || style != TScalarStyle::Plain {
        return Ok(Value::String(text.to_string()));
    }
    Ok(match Yaml::from_str(text) {
        Yaml::Null => Value::Null,
        Yaml::Boolean(b) => Value::Bool(b),
        Yaml::Integer(i) => Value::Number(i.into()),
        Yaml::Real(r) => {
            let parsed: Option<f64> = r.parse().ok();
            match parsed.and_then(Number::from_f64) {
                Some(n) => Value::Number(n),
                None => {
                    return Err(format!(
                        "`{text}` is a number JSON cannot hold (infinite, not a number, or out of range)"
                    ))
                }
            }
        }
        _ => Value::String(text.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_follow_the_core_schema() {
        let parsed = parse("a: 1\nb: '1'\nc: true\nd: ~\ne: 1.5\nf: text\n200: x\n")
            .ok()
            .unwrap();
        assert_eq!(
            parsed.value,
            json!({"a": 1, "b": "1", "c": true, "d": null, "e": 1.5, "f": "text", "200": "x"})
        );
    }

    #[test]
    fn every_value_has_its_line_and_column() {
        let text = "paths:\n  /a:\n    get:\n      responses:\n        - x\n        - {k: [1, 2]}\n  /b: {}\n";
        let parsed = parse(text).ok().unwrap();
        let at = |p: &str| parsed.locations.get(p).copied().map(|l| (l.line, l.column));
        assert_eq!(at(""), Some((1, 1)));
        assert_eq!(at("/paths"), Some((1, 1)));
        assert_eq!(at("/paths/~1a"), Some((2, 3)));
        assert_eq!(at("/paths/~1a/get/responses"), Some((4, 7)));
        assert_eq!(at("/paths/~1a/get/responses/0"), Some((5, 11)));
        assert_eq!(at("/paths/~1a/get/responses/1"), Some((6, 12)));
        assert_eq!(at("/paths/~1a/get/responses/1/k/1"), Some((6, 19)));
        assert_eq!(at("/paths/~1b"), Some((7, 3)));
    }

    #[test]
    fn json_as_other_tools_write_it_is_read() {
        // A byte order mark, and a character beyond the BMP as UTF-16 escapes (an escaped
        // backslash before `ud83d` is no escape).
        let text = "\u{feff}{\"a\": \"\\ud83d\\ude00\\\\ud83d\", \"b\": \"x\\/y\", \"c\": 1}";
        let parsed = parse(text).ok().unwrap();
        assert_eq!(
            parsed.value,
            json!({"a": "\u{1F600}\\ud83d", "b": "x/y", "c": 1})
        );
        // Columns are the file's: the same as in a twin with twelve plain characters there.
        let twin = parse("{\"a\": \"xxxxxxxxxxxx\\\\ud83d\", \"b\": \"x\\/y\", \"c\": 1}")
            .ok()
            .unwrap();
        assert_eq!(parsed.locations, twin.locations);
        assert_eq!(
            parsed.locations.get("/c"),
            Some(&Location {
                line: 1,
                column: 43
            })
        );
        let problem = |text: &str| parse(text).err().unwrap().location;
        assert_eq!(
            problem("{\"a\": \"\\ud83d\\ude00\", \"b\": \"\\q\"}"),
            problem("{\"a\": \"xxxxxxxxxxxx\", \"b\": \"\\q\"}")
        );
    }

    #[test]
    fn anchors_and_aliases_are_expanded() {
        let parsed = parse("a: &x {k: 1}\nb: *x\n").ok().unwrap();
        assert_eq!(parsed.value, json!({"a": {"k": 1}, "b": {"k": 1}}));
    }

    #[test]
    fn problems_name_their_line() {
        let problem = |text: &str| {
            let p = parse(text).err().unwrap();
            (p.location.line, p.message)
        };
        let (line, message) = problem("a: 1\nb: 2\na: 3\n");
        assert_eq!(line, 3);
        assert!(message.contains("duplicate key `a`"), "{message}");
        let (line, _) = problem("a:\n  b: [1, 2\nc: 3\n");
        assert!(line >= 2);
        let (_, message) = problem("a: 1\n---\nb: 2\n");
        assert!(message.contains("more than one"), "{message}");
        let (_, message) = problem("a: .inf\n");
        assert!(message.contains("JSON cannot hold"), "{message}");
        let (_, message) = problem("? [a, b]\n: 1\n");
        assert!(message.contains("mapping key"), "{message}");
        let (_, message) = problem("");
        assert!(message.contains("no YAML document"), "{message}");
    }
}
