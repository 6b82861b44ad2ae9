//! `facekit enroll` end to end: a folder of users into a library file, rejections with their reasons, a second
//! run that skips what is in, and `facekit call search` on the result.

use std::path::{Path, PathBuf};
use std::process::Command;

fn testdata(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .join(name)
}

fn facekit(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_facekit"))
        .args(args)
        .output()
        .expect("facekit runs");
    assert!(
        out.status.success(),
        "facekit {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn copy(name: &str, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(testdata(name), to).unwrap();
}

/// The number on the summary line that starts with `label`.
fn count(summary: &str, label: &str) -> usize {
    summary
        .lines()
        .find_map(|l| l.trim().strip_prefix(label))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| panic!("no {label:?} in {summary}"))
}

#[test]
fn enroll_a_folder_then_search_it() {
    let dir = tempfile::tempdir().unwrap();
    let photos = dir.path().join("people");
    copy("obama.jpg", &photos.join("obama/1.jpg"));
    copy("obama2.jpg", &photos.join("obama/2.jpg"));
    copy("biden.jpg", &photos.join("biden.jpg"));
    copy("astronaut.png", &photos.join("not-an-id.png"));
    image::RgbImage::from_pixel(64, 64, image::Rgb([200, 200, 200]))
        .save(photos.join("blank.png"))
        .unwrap();
    let db = dir.path().join("faces.db");
    let db = db.to_str().unwrap();
    let args = ["--threads", "2", "enroll", "--db", db, "--group", "staff"];
    let photos_arg = photos.to_str().unwrap();

    let first = facekit(&[&args[..], &[photos_arg]].concat());
    assert_eq!(count(&first, "added"), 3, "{first}");
    assert_eq!(count(&first, "rejected"), 2, "{first}");
    assert!(
        first.contains("222018 param[user_id] format error"),
        "{first}"
    );
    assert!(first.contains("222202 pic not has face"), "{first}");

    let again = facekit(&[&args[..], &[photos_arg]].concat());
    assert_eq!(count(&again, "added"), 0, "{again}");
    assert_eq!(count(&again, "skipped"), 3, "{again}");

    use base64::Engine as _;
    let probe = base64::engine::general_purpose::STANDARD
        .encode(std::fs::read(testdata("obama3.jpg")).unwrap());
    let request = dir.path().join("search.json");
    std::fs::write(
        &request,
        serde_json::json!({"image": probe, "image_type": "BASE64", "group_id_list": "staff",
                           "max_user_num": 2})
        .to_string(),
    )
    .unwrap();
    let answer = facekit(&["call", "search", request.to_str().unwrap(), "--db", db]);
    let answer: serde_json::Value = serde_json::from_str(answer.trim()).unwrap();
    assert_eq!(answer["error_code"], 0, "{answer}");
    let users = answer["result"]["user_list"].as_array().unwrap();
    assert_eq!(users[0]["user_id"], "obama");
    assert!(users[0]["score"].as_f64().unwrap() >= 80.0);
    assert_eq!(users[1]["user_id"], "biden");
}
