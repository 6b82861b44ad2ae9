//! `kill -9` at any moment loses nothing committed and never leaves the library unreadable: a child process
//! (this test binary again, running `child_writer`) adds and deletes users and takes index snapshots in a
//! loop, announcing each step before it starts and after it returns; it is killed at a random moment, the
//! library is reopened and checked against what the child announced, and the round repeats.

mod synthetic;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use facekit_core::faceset::{AddMode, Faceset, GroupScope, SearchQuery, SqliteFaceset, Strategy};
use synthetic::{enrolment, g, u, Rng, DIM};

const CHILD_DB: &str = "FACEKIT_KILL_TEST_DB";
const CHILD_SEED: &str = "FACEKIT_KILL_TEST_SEED";
/// At least this many kills, and more (up to MAX_ROUNDS) until MIN_COMMITTED users were committed, however
/// slow the machine.
const ROUNDS: u64 = 12;
const MAX_ROUNDS: u64 = 40;
const MIN_COMMITTED: usize = 50;

/// The writer: does nothing unless started by `kill_9_loses_nothing_committed`.
#[test]
fn child_writer() {
    let (Ok(db), Ok(seed)) = (std::env::var(CHILD_DB), std::env::var(CHILD_SEED)) else {
        return;
    };
    let seed: u64 = seed.parse().unwrap();
    let fs = SqliteFaceset::open(Path::new(&db), DIM).unwrap();
    let mut rng = Rng(seed);
    let mut out = std::io::stdout().lock();
    let mut say = |line: String| {
        writeln!(out, "{line}").unwrap();
        out.flush().unwrap();
    };
    for i in 0u64.. {
        let user = format!("s{seed}_{i}");
        let v = rng.unit(DIM);
        say(format!("?+{user}"));
        if i % 5 == 4 {
            // A batch of three in one transaction: all or none.
            let batch = (0..3)
                .map(|j| {
                    let token = format!("t{j}");
                    enrolment(
                        "kill",
                        &user,
                        None,
                        AddMode::Append,
                        &token,
                        &rng.near(&v, 0.2),
                    )
                })
                .collect();
            for r in fs.add_faces(batch).unwrap() {
                r.unwrap();
            }
        } else {
            fs.add_face(enrolment("kill", &user, None, AddMode::Append, "t", &v))
                .unwrap();
        }
        say(format!("+{user}"));
        if i % 7 == 6 {
            let victim = format!("s{seed}_{}", i - 3);
            say(format!("?-{victim}"));
            fs.delete_user(&u(&victim), &GroupScope::Only(vec![g("kill")]))
                .unwrap();
            say(format!("-{victim}"));
        }
        if i % 40 == 39 {
            fs.checkpoint().unwrap();
        }
    }
}

/// What the parent knows of a user from the child's announcements.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Known {
    Present,
    Absent,
    /// The step was under way when the child died: either outcome is right.
    Either,
}

#[test]
fn kill_9_loses_nothing_committed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kill.db");
    let exe = std::env::current_exe().unwrap();
    let mut known: BTreeMap<String, Known> = BTreeMap::new();
    let mut rng = Rng(2024);
    let committed =
        |known: &BTreeMap<String, Known>| known.values().filter(|k| **k == Known::Present).count();
    for round in 0..MAX_ROUNDS {
        if round >= ROUNDS && committed(&known) >= MIN_COMMITTED {
            break;
        }
        let mut child = Command::new(&exe)
            .args(["--exact", "child_writer", "--nocapture", "--test-threads=1"])
            .env(CHILD_DB, &db)
            .env(CHILD_SEED, round.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            BufReader::new(stdout)
                .lines()
                .map_while(Result::ok)
                .collect::<Vec<_>>()
        });
        std::thread::sleep(Duration::from_millis(150 + rng.next_u64() % 400));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        for line in reader.join().unwrap() {
            let (state, user) = match line.split_at(line.len().min(2)) {
                ("?+" | "?-", user) => (Known::Either, user),
                _ => match line.split_at(line.len().min(1)) {
                    ("+", user) => (Known::Present, user),
                    ("-", user) => (Known::Absent, user),
                    _ => continue, // the test harness's own lines
                },
            };
            known.insert(user.to_string(), state);
        }

        let fs = SqliteFaceset::open(&db, DIM).expect("the library opens after kill -9");
        let mut stored = Vec::new();
        loop {
            let page = fs
                .group_users(&g("kill"), stored.len(), 1000)
                .unwrap_or_default();
            if page.is_empty() {
                break;
            }
            stored.extend(page.into_iter().map(|u| u.as_str().to_string()));
        }
        for (user, state) in &known {
            let present = stored.contains(user);
            match state {
                Known::Present => assert!(present, "round {round}: committed {user} lost"),
                Known::Absent => assert!(!present, "round {round}: deleted {user} is back"),
                Known::Either => {}
            }
        }
        for user in &stored {
            assert!(
                known.contains_key(user),
                "round {round}: {user} was never added"
            );
        }
        // The index agrees with the tables: the code scan and the exact scan find the same stored users.
        let probe = rng.unit(DIM);
        let scope = GroupScope::All;
        for strategy in [Strategy::Exact, Strategy::Codes] {
            let found = fs
                .search(&SearchQuery {
                    embedding: &probe,
                    groups: &scope,
                    user: None,
                    max_users: 10,
                    max_distance: f32::INFINITY,
                    strategy,
                })
                .unwrap();
            assert_eq!(found.len(), stored.len().min(10), "{strategy:?}");
            assert!(found
                .iter()
                .all(|m| stored.contains(&m.user_id.as_str().to_string())));
        }
    }
    let committed = known.values().filter(|k| **k == Known::Present).count();
    assert!(
        committed >= 50,
        "only {committed} users committed over {ROUNDS} rounds"
    );
}
