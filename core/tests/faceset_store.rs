//! The face library's storage and index on synthetic feature vectors: every `Faceset` method and error,
//! search against the exact scan, persistence, concurrency. (API-level tests with real photos: faceset_api.rs.)

mod synthetic;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use facekit_core::faceset::{
    AddMode, Enrolment, Faceset, GroupId, GroupScope, SearchQuery, SqliteFaceset, Strategy, UserId,
    MAX_FACES_PER_USER,
};
use synthetic::{enrolment, g, u, Rng, DIM};

fn code<T: std::fmt::Debug>(r: facekit_core::Result<T>) -> u32 {
    r.expect_err("an error").code()
}

fn query<'a>(
    v: &'a [f32],
    groups: &'a GroupScope,
    max_users: usize,
    s: Strategy,
) -> SearchQuery<'a> {
    SearchQuery {
        embedding: v,
        groups,
        user: None,
        max_users,
        max_distance: f32::INFINITY,
        strategy: s,
    }
}

#[test]
fn every_method_and_its_errors() {
    let fs = SqliteFaceset::in_memory(DIM).unwrap();
    let mut rng = Rng(7);
    fs.add_group(&g("g1")).unwrap();
    assert_eq!(code(fs.add_group(&g("g1"))), 223101);
    assert_eq!(code(fs.delete_group(&g("nope"))), 223100);
    assert_eq!(code(fs.group_users(&g("nope"), 0, 10)), 223100);

    // add creates missing groups and users; APPEND, duplicate face, the 20-face limit.
    let v1 = rng.unit(DIM);
    fs.add_face(enrolment(
        "g2",
        "alice",
        Some("info a"),
        AddMode::Append,
        "t1",
        &v1,
    ))
    .unwrap();
    assert_eq!(
        code(fs.add_face(enrolment("g2", "alice", None, AddMode::Append, "t1", &v1))),
        223105
    );
    for i in 2..=MAX_FACES_PER_USER {
        let v = rng.unit(DIM);
        let t = format!("t{i}");
        fs.add_face(enrolment("g2", "alice", None, AddMode::Append, &t, &v))
            .unwrap();
    }
    let v21 = rng.unit(DIM);
    assert_eq!(
        code(fs.add_face(enrolment("g2", "alice", None, AddMode::Append, "t21", &v21))),
        222210
    );
    assert_eq!(fs.faces(&u("alice"), &g("g2")).unwrap().len(), 20);
    // REPLACE keeps one face; user_info is replaced when given, kept otherwise.
    fs.add_face(enrolment(
        "g2",
        "alice",
        None,
        AddMode::Replace,
        "t21",
        &v21,
    ))
    .unwrap();
    let faces = fs.faces(&u("alice"), &g("g2")).unwrap();
    assert_eq!(faces.len(), 1);
    assert_eq!(faces[0].face_token, "t21");
    assert_eq!(faces[0].ctime.len(), "2018-01-01 00:00:00".len());
    assert_eq!(
        fs.user(&u("alice"), &GroupScope::All).unwrap()[0].user_info,
        "info a"
    );
    // UPDATE needs the user (and its group).
    assert_eq!(
        code(fs.add_face(enrolment("g2", "bob", None, AddMode::Update, "t1", &v1))),
        223103
    );
    assert_eq!(
        code(fs.add_face(enrolment("g9", "bob", None, AddMode::Update, "t1", &v1))),
        223100
    );
    fs.add_face(enrolment(
        "g2",
        "alice",
        Some("new"),
        AddMode::Update,
        "t1",
        &v1,
    ))
    .unwrap();
    assert_eq!(
        fs.user(&u("alice"), &GroupScope::All).unwrap()[0].user_info,
        "new"
    );
    // user_info over 256 bytes.
    let long = "x".repeat(257);
    assert_eq!(
        code(fs.add_face(enrolment(
            "g2",
            "carol",
            Some(&long),
            AddMode::Append,
            "t1",
            &v1
        ))),
        222010
    );
    assert_eq!(code(fs.user(&u("carol"), &GroupScope::All)), 223103);

    // copy: source group, user, destination group, already there.
    assert_eq!(
        code(fs.copy_user(&u("alice"), &g("nope"), &g("g1"))),
        223100
    );
    assert_eq!(code(fs.copy_user(&u("bob"), &g("g2"), &g("g1"))), 223103);
    assert_eq!(
        code(fs.copy_user(&u("alice"), &g("g2"), &g("nope"))),
        223111
    );
    fs.copy_user(&u("alice"), &g("g2"), &g("g1")).unwrap();
    assert_eq!(code(fs.copy_user(&u("alice"), &g("g2"), &g("g1"))), 223102);
    let groups: Vec<String> = fs
        .user(&u("alice"), &GroupScope::All)
        .unwrap()
        .into_iter()
        .map(|e| e.group_id.as_str().to_string())
        .collect();
    assert_eq!(groups, ["g2", "g1"]);
    assert_eq!(fs.faces(&u("alice"), &g("g1")).unwrap()[0].face_token, "t1");
    // The token resolves to the stored face.
    let stored = fs.face_by_token("t1").unwrap().expect("registered token");
    assert_eq!(stored.embedding.0, v1);
    assert!(fs.face_by_token("t404").unwrap().is_none());

    // Listing with paging, in creation order.
    for i in 0..5 {
        let v = rng.unit(DIM);
        let name = format!("user{i}");
        fs.add_face(enrolment("g3", &name, None, AddMode::Append, "t", &v))
            .unwrap();
    }
    let page: Vec<String> = fs
        .group_users(&g("g3"), 1, 2)
        .unwrap()
        .into_iter()
        .map(|x| x.as_str().to_string())
        .collect();
    assert_eq!(page, ["user1", "user2"]);
    let all: Vec<String> = fs
        .groups(0, 100)
        .unwrap()
        .into_iter()
        .map(|x| x.as_str().to_string())
        .collect();
    assert_eq!(all, ["g1", "g2", "g3"]);
    assert_eq!(fs.groups(2, 100).unwrap().len(), 1);

    // Deleting faces, users, groups.
    assert_eq!(code(fs.delete_face(&u("alice"), &g("g2"), "t404")), 223106);
    assert_eq!(code(fs.delete_face(&u("bob"), &g("g2"), "t1")), 223103);
    assert_eq!(code(fs.delete_face(&u("alice"), &g("g9"), "t1")), 223100);
    fs.delete_face(&u("alice"), &g("g2"), "t1").unwrap();
    // Her last face in g2: she left g2, and stays in g1.
    assert_eq!(code(fs.faces(&u("alice"), &g("g2"))), 223103);
    assert_eq!(fs.user(&u("alice"), &GroupScope::All).unwrap().len(), 1);
    assert_eq!(
        code(fs.delete_user(&u("alice"), &GroupScope::Only(vec![g("g2")]))),
        223103
    );
    assert_eq!(
        code(fs.delete_user(&u("alice"), &GroupScope::Only(vec![g("g9")]))),
        223100
    );
    fs.delete_user(&u("alice"), &GroupScope::All).unwrap();
    assert_eq!(code(fs.delete_user(&u("alice"), &GroupScope::All)), 223103);
    fs.delete_group(&g("g3")).unwrap();
    assert_eq!(code(fs.group_users(&g("g3"), 0, 10)), 223100);
    let stats = fs.stats().unwrap();
    assert_eq!((stats.groups, stats.users, stats.faces), (2, 0, 0));
    // Nothing left to find.
    let scope = GroupScope::All;
    assert!(fs
        .search(&query(&v1, &scope, 5, Strategy::Auto))
        .unwrap()
        .is_empty());
}

/// A library of `users` users (1–3 faces each) spread over 3 groups; returns the vectors by user.
fn populate(fs: &dyn Faceset, rng: &mut Rng, users: usize) -> Vec<(String, String, Vec<Vec<f32>>)> {
    let mut people = Vec::new();
    let mut batch = Vec::new();
    for i in 0..users {
        let group = format!("g{}", i % 3);
        let user = format!("u{i}");
        let base = rng.unit(DIM);
        let faces: Vec<Vec<f32>> = (0..1 + i % 3).map(|_| rng.near(&base, 0.3)).collect();
        for (j, v) in faces.iter().enumerate() {
            let token = format!("{user}_{j}");
            batch.push(enrolment(&group, &user, None, AddMode::Append, &token, v));
        }
        people.push((group, user, faces));
    }
    for r in fs.add_faces(batch).unwrap() {
        r.unwrap();
    }
    people
}

#[test]
fn search_matches_the_exact_scan_and_forgets_deleted_users() {
    let fs = SqliteFaceset::in_memory(DIM).unwrap();
    let mut rng = Rng(11);
    let people = populate(&fs, &mut rng, 1500);
    let scopes = [
        GroupScope::All,
        GroupScope::Only(vec![g("g1")]),
        GroupScope::Only(vec![g("g0"), g("g2")]),
    ];
    let mut codes_agree = 0;
    let mut total = 0;
    for (i, (_, _, faces)) in people.iter().enumerate().step_by(37) {
        let probe = rng.near(&faces[0], 0.25);
        for scope in &scopes {
            let exact = fs
                .search(&query(&probe, scope, 5, Strategy::Exact))
                .unwrap();
            let auto = fs.search(&query(&probe, scope, 5, Strategy::Auto)).unwrap();
            // Small libraries are scanned exactly: identical results.
            assert_eq!(auto, exact, "probe {i}");
            assert_eq!(exact.len(), 5);
            assert!(exact.windows(2).all(|w| w[0].distance <= w[1].distance));
            if let GroupScope::Only(gs) = scope {
                assert!(exact.iter().all(|m| gs.contains(&m.group_id)));
            }
            // The code scan re-ranks with exact distances: where it finds the user, the distance is identical.
            let by_codes = fs
                .search(&query(&probe, scope, 5, Strategy::Codes))
                .unwrap();
            total += 1;
            if by_codes.first() == exact.first() {
                codes_agree += 1;
            }
        }
    }
    assert!(
        codes_agree * 100 >= total * 97,
        "code scan top-1 {codes_agree}/{total}"
    );

    // Deleted users and faces are gone from both paths at once.
    let (group, user, faces) = &people[300];
    let scope = GroupScope::All;
    let hit = fs
        .search(&query(&faces[0], &scope, 1, Strategy::Exact))
        .unwrap();
    assert_eq!(hit[0].user_id.as_str(), user);
    fs.delete_user(&u(user), &GroupScope::Only(vec![g(group)]))
        .unwrap();
    for s in [Strategy::Exact, Strategy::Codes] {
        let after = fs.search(&query(&faces[0], &scope, 50, s)).unwrap();
        assert!(after.iter().all(|m| m.user_id.as_str() != user), "{s:?}");
    }
    // The threshold cuts by distance; 1:1 compares with one user only.
    let near = SearchQuery {
        max_distance: 0.01,
        ..query(&faces[0], &scope, 5, Strategy::Auto)
    };
    assert!(fs.search(&near).unwrap().is_empty());
    let (group2, user2, faces2) = &people[301];
    let who = u(user2);
    let one = SearchQuery {
        user: Some(&who),
        ..query(&faces2[0], &scope, 5, Strategy::Auto)
    };
    let found = fs.search(&one).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].group_id.as_str(), group2);
    assert!(found[0].distance < 1e-6);
    let ghost = u("ghost");
    let missing = SearchQuery {
        user: Some(&ghost),
        ..query(&faces2[0], &scope, 5, Strategy::Auto)
    };
    assert_eq!(code(fs.search(&missing)), 223103);
    let nowhere = GroupScope::Only(vec![g("g404")]);
    assert_eq!(
        code(fs.search(&query(&faces2[0], &nowhere, 5, Strategy::Auto))),
        223100
    );
}

#[test]
fn the_library_persists_and_rebuilds_its_index() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("lib.db");
    let mut rng = Rng(5);
    let people = {
        let fs = SqliteFaceset::open(&db, DIM).unwrap();
        // One process at a time.
        let second = SqliteFaceset::open(&db, DIM).err().expect("refused");
        assert!(second.to_string().contains("another process"), "{second}");
        populate(&fs, &mut rng, 300)
    };
    let probe = rng.near(&people[42].2[0], 0.2);
    let scope = GroupScope::All;
    let expect = {
        let fs = SqliteFaceset::open(&db, DIM).unwrap();
        assert_eq!(fs.stats().unwrap().users, 300);
        fs.search(&query(&probe, &scope, 3, Strategy::Auto))
            .unwrap()
    };
    assert_eq!(expect[0].user_id.as_str(), "u42");
    let snapshot = dir.path().join("lib.db.index");
    assert!(snapshot.exists());
    // A damaged snapshot, then none at all: the index is rebuilt from the tables.
    let mut bytes = std::fs::read(&snapshot).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&snapshot, &bytes).unwrap();
    for _ in 0..2 {
        let fs = SqliteFaceset::open(&db, DIM).unwrap();
        assert_eq!(
            fs.search(&query(&probe, &scope, 3, Strategy::Auto))
                .unwrap(),
            expect
        );
        let by_codes = fs
            .search(&query(&probe, &scope, 3, Strategy::Codes))
            .unwrap();
        assert_eq!(by_codes[0], expect[0]);
        drop(fs);
        std::fs::remove_file(&snapshot).unwrap();
    }
    // Another dimension is refused.
    let err = SqliteFaceset::open(&db, DIM * 2).err().expect("refused");
    assert!(err.to_string().contains("dimensional"), "{err}");
}

#[test]
fn readers_run_during_writes() {
    let dir = tempfile::tempdir().unwrap();
    let fs = Arc::new(SqliteFaceset::open(&dir.path().join("lib.db"), DIM).unwrap());
    let mut rng = Rng(9);
    populate(fs.as_ref(), &mut rng, 200);
    let done = Arc::new(AtomicBool::new(false));
    let readers: Vec<_> = (0..4)
        .map(|t| {
            let (fs, done) = (fs.clone(), done.clone());
            std::thread::spawn(move || {
                let mut rng = Rng(100 + t);
                let mut rounds = 0;
                let mut last_users = 0;
                while !done.load(Ordering::Relaxed) || rounds == 0 {
                    let v = rng.unit(DIM);
                    let scope = GroupScope::All;
                    let found = fs.search(&query(&v, &scope, 3, Strategy::Auto)).unwrap();
                    assert_eq!(found.len(), 3);
                    let users = fs.group_users(&g("w"), 0, 1000).map_or(0, |l| l.len());
                    assert!(users >= last_users, "committed users never disappear");
                    last_users = users;
                    rounds += 1;
                }
                rounds
            })
        })
        .collect();
    for i in 0..300 {
        let v = rng.unit(DIM);
        let user = format!("w{i}");
        fs.add_face(enrolment("w", &user, None, AddMode::Append, "t", &v))
            .unwrap();
    }
    done.store(true, Ordering::Relaxed);
    for r in readers {
        assert!(r.join().expect("reader ok") > 0);
    }
    assert_eq!(fs.group_users(&g("w"), 0, 1000).unwrap().len(), 300);
}

#[test]
fn ids_are_checked_before_anything_is_stored() {
    assert_eq!(GroupId::parse("a b").unwrap_err().code(), 222006);
    assert_eq!(UserId::parse(&"u".repeat(49)).unwrap_err().code(), 222018);
    let _: Enrolment = enrolment("g", "u", None, AddMode::Append, "t", &[0.0; DIM]);
}
