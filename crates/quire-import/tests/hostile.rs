//! Files made to hurt the parser: absurd nesting, a bomb of rows, control characters. Each is
//! read or refused in plain words; none crashes or runs away.

use quire_import::{parse, Format, Limits};

#[test]
fn json_nested_past_any_reason_is_refused() {
    let depth = 200_000;
    let mut json = String::from(r#"{"export_date":"2024-01-01","export_userid":"acct:a@hypothes.is","annotations":"#);
    json.push_str(&"[".repeat(depth));
    json.push_str(&"]".repeat(depth));
    json.push('}');
    let err = parse("hypothesis.json", json.as_bytes(), None, &Limits::default()).unwrap_err();
    assert!(err.to_string().contains("recursion") || err.to_string().contains("line"), "{err}");
    let wallabag = format!(r#"[{{"is_archived":0,"content":{}{}}}]"#, "[".repeat(depth), "]".repeat(depth));
    assert!(parse("wallabag.json", wallabag.as_bytes(), Some(Format::Wallabag), &Limits::default()).is_err());
}

#[test]
fn bookmark_folders_nested_a_hundred_thousand_deep_do_not_overflow() {
    let depth = 100_000;
    let mut html = String::from("<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>\n");
    for i in 0..depth {
        html.push_str(&format!("<DT><H3>f{i}</H3>\n<DL><p>\n"));
    }
    html.push_str("<DT><A HREF=\"https://example.org/deep\" ADD_DATE=\"1600000000\">Deep</A>\n");
    html.push_str(&"</DL><p>\n".repeat(depth + 1));
    // Run where a deep recursion would show: a thread with a small stack.
    let result = std::thread::Builder::new()
        .stack_size(8 << 20)
        .spawn(move || parse("bookmarks.html", html.as_bytes(), None, &Limits::default()).map(|e| e.items.len()))
        .unwrap()
        .join()
        .expect("no stack overflow");
    // Flattened like an over-deep page: the link past the limit loses its element, so the
    // file reads as holding no bookmark, in words; what matters is the quick, calm answer.
    match result {
        Ok(n) => assert!(n <= 1),
        Err(e) => assert_eq!(e.to_string(), "Browser bookmarks holds no item to import"),
    }
}

#[test]
fn control_characters_and_odd_bytes_in_a_csv_are_kept_out_of_titles() {
    let csv = "title,url,time_added,tags,status\n\"A\u{0}B\u{7}C\",https://example.org/x,1689067800,\"a|\u{1b}[31mred\",unread\n";
    let export = parse("part_000000.csv", csv.as_bytes(), None, &Limits::default()).unwrap();
    assert_eq!(export.items.len(), 1);
    let title = export.items[0].title.as_deref().unwrap_or("");
    assert!(!title.chars().any(|c| c.is_control()), "{title:?}");
    assert!(export.items[0].tags.iter().all(|t| !t.chars().any(|c| c.is_control())), "{:?}", export.items[0].tags);
}
