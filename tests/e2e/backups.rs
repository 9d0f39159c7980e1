//! The Backups dialog, opened by its menu action (File → Backups…; the window's Backups button
//! runs the same action): "Back up now" writes a backup beside the library, says what it holds
//! and lists it with its kind and size; "Restore…" asks first, then puts the backup in place
//! while the app runs: an article added after the backup is gone from the list and the file,
//! and the library as it was is kept beside it.

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
    assert!(question.contains("puts it in place") && question.contains("kept as a copy"), "{question}");
    save_screenshot(s, "backups-restore-confirm.png");
    s.press_key(ESCAPE).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(s.find_all("[data-testid=restore-confirm]").unwrap().is_empty());
    s.press_key(ESCAPE).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    assert!(s.find_all(".backups-dialog").unwrap().is_empty(), "Esc closes the dialog");

    // An article pasted into the clip box after the backup; the reader shows it.
    s.click(&first(s, "[data-action=open-clip]")).unwrap();
    let pasted =
        "<article><h1>Written after the backup</h1><p>This article was added after the backup was made, so the \
                  backup does not hold it.</p><p>A restore brings the library back to the backup, and this article \
                  is then only in the copy kept beside it.</p></article>";
    s.send_keys(&first(s, "#clip-input"), pasted).unwrap();
    s.click(&first(s, "button[data-action=clip]")).unwrap();
    let title = s.text(&first(s, "article.reader h1.title")).unwrap();
    assert!(title.starts_with("Written after the backup"), "{title}");
    assert_eq!(quire::check_backup(&library).unwrap().articles, 2);

    // Restore, for real: the app goes on with the backup's library.
    s.click(&first(s, "[data-action=backups]")).unwrap();
    s.click(&first(s, "[data-testid=backups-list] li.backup[data-kind=manual] [data-action=restore-backup]")).unwrap();
    s.click(&first(s, "[data-action=restore-confirm]")).unwrap();
    let restored = s.text(&first(s, "[data-testid=backup-restored]")).unwrap();
    assert!(restored.contains("1 article") && restored.contains("before-restore"), "{restored}");
    save_screenshot(s, "backups-restored.png");
    s.press_key(ESCAPE).unwrap();
    crate::harness::wait_until(WAIT, || Ok(s.find_all("button.row").map_err(|e| e.to_string())?.len() == 1))
        .unwrap_or_else(|e| panic!("the list shows the restored library: {e}"));
    let row = s.property(&first(s, "button.row"), "textContent").unwrap();
    assert!(row.contains("Ukraine is now closer to NATO"), "{row}");
    assert!(!row.contains("Written after the backup"), "{row}");

    let check = quire::check_backup(&library).expect("the restored library is sound");
    assert_eq!((check.articles, check.highlights), (1, 4));
    let kept: Vec<_> = std::fs::read_dir(temp.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "the library as it was is kept");
    assert_eq!(quire::check_backup(&kept[0].path()).unwrap().articles, 2);
    drop(app);
}
