//! Data-driven re-anchoring cases from `tests/cases.txt` (format described at its top).

use quire_anchor::{AnchorKind, Text, TextPositionSelector};

struct Case {
    name: String,
    kind: String,
    position: Option<Option<(usize, usize)>>,
    old: String,
    new: String,
}

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("\\u{") {
        out.push_str(&rest[..i]);
        let end = rest[i..].find('}').expect("closing brace") + i;
        let code = u32::from_str_radix(&rest[i + 3..end], 16).expect("hex escape");
        out.push(char::from_u32(code).expect("scalar value"));
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

fn parse(src: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    for chunk in src.split("\n## ").skip(1) {
        let mut lines = chunk.lines();
        let name = lines.next().expect("name").trim().to_owned();
        let mut case = Case { name, kind: String::new(), position: None, old: String::new(), new: String::new() };
        let (mut old, mut new) = (Vec::new(), Vec::new());
        let mut which = 0;
        for line in lines {
            if let Some(k) = line.strip_prefix("kind: ") {
                case.kind = k.trim().to_owned();
                which = 0;
            } else if let Some(p) = line.strip_prefix("position: ") {
                let p = p.trim();
                case.position = Some(if p == "none" {
                    None
                } else {
                    let (s, e) = p.split_once(' ').expect("S E");
                    Some((s.parse().expect("start"), e.parse().expect("end")))
                });
                which = 0;
            } else if line == "old:" {
                which = 1;
            } else if line == "new:" {
                which = 2;
            } else if which == 1 {
                old.push(line);
            } else if which == 2 {
                new.push(line);
            } else {
                assert!(line.trim().is_empty(), "{}: stray line {line:?}", case.name);
            }
        }
        case.old = unescape(old.join("\n").trim_end_matches('\n'));
        case.new = unescape(new.join("\n").trim_end_matches('\n'));
        cases.push(case);
    }
    cases
}

/// Removes the `[[ ]]` markers; returns the text and the marked range in scalar values.
fn unmark(s: &str) -> (String, Option<(usize, usize)>) {
    let Some(a) = s.find("[[") else { return (s.to_owned(), None) };
    let b = s.find("]]").expect("closing marker");
    let text = format!("{}{}{}", &s[..a], &s[a + 2..b], &s[b + 2..]);
    let start = s[..a].chars().count();
    let end = start + s[a + 2..b].chars().count();
    (text, Some((start, end)))
}

#[test]
fn reanchoring_cases() {
    let src = include_str!("cases.txt");
    let cases = parse(src);
    assert!(cases.len() >= 40, "only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let (old, marked) = unmark(&case.old);
        let (new, expected) = unmark(&case.new);
        let (s, e) = marked.unwrap_or_else(|| panic!("{}: no highlight in the old text", case.name));
        let (quote, pos) = Text::new(&old).selectors(s, e).expect("selectors");
        let stored = match case.position {
            None => Some(pos),
            Some(p) => p.map(|(start, end)| TextPositionSelector { start, end }),
        };
        let t = Text::new(&new);
        let got = t.reanchor(&quote, stored);
        let kind = match got.kind {
            AnchorKind::Exact => "exact".to_owned(),
            AnchorKind::Moved => "moved".to_owned(),
            AnchorKind::Fuzzy { distance } if case.kind == "fuzzy" => {
                assert!(distance > 0, "{}", case.name);
                "fuzzy".to_owned()
            }
            AnchorKind::Fuzzy { distance } => format!("fuzzy {distance}"),
            AnchorKind::Orphan => "orphan".to_owned(),
        };
        let got_range = got.position.map(|p| (p.start, p.end));
        assert_eq!(got.position.is_none(), got.kind == AnchorKind::Orphan, "{}", case.name);
        if kind != case.kind || got_range != expected {
            failures.push(format!(
                "{}: expected {} {:?} {:?}, got {kind} {:?} {:?}",
                case.name,
                case.kind,
                expected,
                expected.map(|(a, b)| t.slice(a, b)),
                got_range,
                got_range.map(|(a, b)| t.slice(a, b)),
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), cases.len(), failures.join("\n"));
    println!("{} re-anchoring cases passed", cases.len());
}
