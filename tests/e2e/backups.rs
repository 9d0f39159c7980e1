//! The Backups dialog, opened by its menu action (File → Backups…; the window's Backups button
//! runs the same action): "Back up now" writes a backup beside the library, says what it holds
//! and lists it with its kind and size; "Restore…" asks first. (Restoring restarts the app,
//! which the WebDriver session cannot follow: the restore at start is tested in src-tauri's
//! `restore.rs`.)

use std::time::Duration;

use crate::webdriver::{Session, ESCAPE};
use crate::{launch, reference_library, save_screenshot};

const WAIT: Duration = Duration::from_secs(30);

fn first(s: &Session, css: &str) -> crate::webdriver::Element {
    s.wait_for(css, WAIT).unwrap_or_else(|e| panic!("{e}")).remove(0)
}

#[test]
fn back_up_now_lists_the_new_backup() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let library = temp.path().join("library.sqlite3");
    reference_library(&library);
    let app = launch(&library, temp.path()).unwrap_or_else(|e| panic!("cannot launch the app: {e}"));
    let s = &app.session;
    first(s, "button.row");

    s.click(&first(s, "[data-action=backups]")).unwrap();
    first(s, "[data-testid=backups-empty]");
    s.click(&first(s, "[data-action=backup-now]")).unwrap();
    let made = s.text(&first(s, "[data-testid=backup-made]")).unwrap();
    assert!(made.contains("1 article") && made.contains("4 highlights"), "{made}");

    let rows = s.wait_for("[data-testid=backups-list] li.backup", WAIT).expect("the new backup is listed");
    assert_eq!(rows.len(), 1);
    assert_eq!(s.attribute(&rows[0], "data-kind").unwrap().as_deref(), Some("manual"));
    let text = s.text(&rows[0]).unwrap();
    assert!(text.contains("Made by you"), "{text}");
    let size = s.text(&first(s, "[data-testid=backup-size]")).unwrap();
    assert!(size.ends_with("KB") || size.ends_with("MB"), "the size is shown: {size:?}");

    let written: Vec<_> = std::fs::read_dir(temp.path().join("backups"))
        .expect("the backups folder")
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
    assert_eq!(quire::check_backup(&written[0]).expect("a sound backup").articles, 1);
    save_screenshot(s, "backups-dialog.png");

    // "Restore…" asks first, saying what will happen; Esc takes the question back.
    s.click(&first(s, "[data-action=restore-backup]")).unwrap();
    let question = s.text(&first(s, "[data-testid=restore-confirm]")).unwrap();
    assert!(question.contains("restarts") && question.contains("kept as a copy"), "{question}");
    save_screenshot(s, "backups-restore-confirm.png");
    s.press_key(ESCAPE).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(s.find_all("[data-testid=restore-confirm]").unwrap().is_empty());
    s.press_key(ESCAPE).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(s.find_all(".backups-dialog").unwrap().is_empty(), "Esc closes the dialog");
    drop(app);
}
