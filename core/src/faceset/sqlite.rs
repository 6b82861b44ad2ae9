//! The embedded face library: one SQLite file (WAL, `synchronous=FULL`) holding groups, users, faces with
//! their feature vectors and tokens, and the search index in memory beside it.
//!
//! Writes go through one connection under a mutex, one transaction each; the index is updated after the
//! commit and before the call returns, so a deleted face is never found again and a committed one is durable
//! (`kill -9` loses nothing committed: SQLite's WAL recovers it at the next open). Reads use a pool of
//! connections that run beside the writer. One process opens a library at a time: a second one is refused
//! (the `<db>.lock` file), because its in-memory index would not see the first one's writes.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use sha2::{Digest, Sha256};

use super::index::{FaceKey, FaceRow, GroupKey, UserKey, VectorIndex};
use super::{
    check_user_info, snapshot, AddMode, Enrolment, FaceEntry, Faceset, FacesetStats, GroupId,
    GroupScope, SearchQuery, StoredFace, UserEntry, UserId, UserMatch, MAX_FACES_PER_USER,
};
use crate::detect::FaceBox;
use crate::embed::Embedding;
use crate::error::{Error, ErrorCode, Result};

/// Schema migrations: entry `i` takes a library from version `i` to `i + 1` (`PRAGMA user_version`).
const MIGRATIONS: &[&str] = &[
    // 1: groups, users, faces (feature = little-endian f32, face_box = 15 little-endian f32).
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE groups (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         group_id TEXT NOT NULL UNIQUE,
         ctime INTEGER NOT NULL);
     CREATE TABLE users (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         group_ref INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
         user_id TEXT NOT NULL,
         user_info TEXT NOT NULL,
         ctime INTEGER NOT NULL,
         UNIQUE (group_ref, user_id));
     CREATE INDEX users_by_user_id ON users(user_id);
     CREATE TABLE faces (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         user_ref INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
         face_token TEXT NOT NULL,
         feature BLOB NOT NULL,
         face_box BLOB NOT NULL,
         image_width INTEGER NOT NULL,
         image_height INTEGER NOT NULL,
         source_sha256 BLOB,
         ctime INTEGER NOT NULL,
         UNIQUE (user_ref, face_token));
     CREATE INDEX faces_by_token ON faces(face_token);",
];

/// Reader connections kept open for reuse.
const MAX_IDLE_READERS: usize = 8;
/// Snapshot the index once a quarter of the library's faces changed since the last one, within these bounds.
/// The floor keeps small libraries from rewriting their snapshot all the time; the ceiling bounds what a crash
/// costs: open reads at most this many faces back from the table, one row each, for one snapshot (≈ 0.6 GB,
/// a second or two, at a million faces) per 50,000 changes.
const AUTO_CHECKPOINT_CHANGES: std::ops::RangeInclusive<usize> = 20_000..=50_000;
/// How long a statement waits for a lock held by another connection.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

pub struct SqliteFaceset {
    /// None: a library in memory (one connection serves reads and writes).
    db_path: Option<PathBuf>,
    writer: Mutex<Connection>,
    idle_readers: Mutex<Vec<Connection>>,
    index: RwLock<VectorIndex>,
    dim: usize,
    library_id: String,
    /// Faces added or removed since the index snapshot.
    unsaved_changes: AtomicUsize,
    /// Held (locked) while the library is open; released by the OS even on `kill -9`.
    _process_lock: Option<File>,
}

impl SqliteFaceset {
    /// Opens (or creates) the library at `path` for `dim`-dimensional features.
    pub fn open(path: &Path, dim: usize) -> Result<SqliteFaceset> {
        let lock = lock_library(path)?;
        let conn = Connection::open(path).map_err(|e| {
            Error::system(format!("cannot open face library {}: {e}", path.display()))
        })?;
        // WAL: readers never block the writer; FULL: a commit survives power loss, not only a crash.
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::system(format!(
                "face library {}: WAL journal unavailable ({mode})",
                path.display()
            )));
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        Self::start(conn, Some(path.to_path_buf()), dim, Some(lock))
    }

    /// A library in memory that ends with this value.
    pub fn in_memory(dim: usize) -> Result<SqliteFaceset> {
        Self::start(Connection::open_in_memory()?, None, dim, None)
    }

    fn start(
        mut conn: Connection,
        db_path: Option<PathBuf>,
        dim: usize,
        process_lock: Option<File>,
    ) -> Result<SqliteFaceset> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate(&mut conn)?;
        let library_id = library_meta(&conn, dim)?;
        let loaded = match &db_path {
            Some(p) => snapshot::load(&snapshot::path_for(p), &library_id, dim)?,
            None => None,
        };
        let mut index = match loaded {
            Some(i) => i,
            None => VectorIndex::new(dim)?,
        };
        let changes = reconcile(&conn, &mut index, dim)?;
        Ok(SqliteFaceset {
            db_path,
            writer: Mutex::new(conn),
            idle_readers: Mutex::new(Vec::new()),
            index: RwLock::new(index),
            dim,
            library_id,
            unsaved_changes: AtomicUsize::new(changes),
            _process_lock: process_lock,
        })
    }

    fn writer(&self) -> MutexGuard<'_, Connection> {
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Runs `f` on a reader connection (file libraries) or the one connection (memory libraries).
    fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let Some(path) = &self.db_path else {
            return f(&self.writer());
        };
        let idle = self
            .idle_readers
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop();
        let conn = match idle {
            Some(c) => c,
            None => {
                let c = Connection::open(path)?;
                c.busy_timeout(BUSY_TIMEOUT)?;
                c.pragma_update(None, "query_only", "ON")?;
                c
            }
        };
        let out = f(&conn);
        let mut idle = self.idle_readers.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < MAX_IDLE_READERS {
            idle.push(conn);
        }
        out
    }

    /// Runs `f` in one write transaction; after the commit, applies the face changes it reports to the index.
    fn write<T>(&self, f: impl FnOnce(&Transaction, &mut IndexChanges) -> Result<T>) -> Result<T> {
        let mut conn = self.writer();
        // IMMEDIATE: the write lock is taken at BEGIN, where SQLite waits for it (busy timeout). A deferred
        // transaction that reads first and upgrades later can be refused at once with "database is locked",
        // which a test saw under load with readers running beside the writer.
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut changes = IndexChanges::default();
        let out = f(&tx, &mut changes)?;
        tx.commit()?;
        let n = changes.count();
        {
            let mut index = self.index.write().unwrap_or_else(|p| p.into_inner());
            for g in changes.removed_groups {
                index.remove_group(g)?;
            }
            for k in changes.removed {
                index.remove(k)?;
            }
            index.insert(changes.added)?;
        }
        drop(conn);
        let pending = self.unsaved_changes.fetch_add(n, Ordering::Relaxed) + n;
        let due = (self.index_len() / 4).clamp(
            *AUTO_CHECKPOINT_CHANGES.start(),
            *AUTO_CHECKPOINT_CHANGES.end(),
        );
        if pending >= due {
            // The write is committed; a snapshot that fails now is retried at the next checkpoint.
            let _ = self.checkpoint();
        }
        Ok(out)
    }

    fn index_len(&self) -> usize {
        self.index.read().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Bytes of memory the search index holds.
    pub fn index_memory_bytes(&self) -> usize {
        self.index
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .memory_bytes()
    }

    /// Group keys of a scope; None = every group. 223100 for a group that does not exist.
    fn group_keys(&self, conn: &Connection, scope: &GroupScope) -> Result<Option<Vec<GroupKey>>> {
        match scope {
            GroupScope::All => Ok(None),
            GroupScope::Only(groups) => groups
                .iter()
                .map(|g| group_key(conn, g)?.ok_or_else(|| Error::new(ErrorCode::GroupNotExist)))
                .collect::<Result<Vec<_>>>()
                .map(Some),
        }
    }

    /// 1:1 within groups: the user's nearest face in each group it is in.
    fn search_user(
        &self,
        conn: &Connection,
        query: &SearchQuery,
        user: &UserId,
        groups: Option<Vec<GroupKey>>,
    ) -> Result<Vec<UserMatch>> {
        let mut stmt = conn.prepare_cached(
            "SELECT u.group_ref, g.group_id, u.user_info, f.feature FROM users u
             JOIN groups g ON g.id = u.group_ref JOIN faces f ON f.user_ref = u.id
             WHERE u.user_id = ?1 ORDER BY u.id, f.id",
        )?;
        let mut best: Vec<(GroupKey, UserMatch)> = Vec::new();
        let mut rows = stmt.query(params![user.as_str()])?;
        while let Some(row) = rows.next()? {
            let group: GroupKey = row.get(0)?;
            if groups.as_ref().is_some_and(|gs| !gs.contains(&group)) {
                continue;
            }
            let feature = feature_from_blob(&row.get::<_, Vec<u8>>(3)?, self.dim)?;
            let distance = super::index::l2_squared(query.embedding, &feature.0).sqrt();
            match best.iter_mut().find(|(g, _)| *g == group) {
                Some((_, m)) => m.distance = m.distance.min(distance),
                None => best.push((
                    group,
                    UserMatch {
                        group_id: GroupId(row.get(1)?),
                        user_id: user.clone(),
                        user_info: row.get(2)?,
                        distance,
                    },
                )),
            }
        }
        if best.is_empty() {
            return Err(Error::new(ErrorCode::UserNotExist));
        }
        let mut found: Vec<UserMatch> = best
            .into_iter()
            .map(|(_, m)| m)
            .filter(|m| m.distance <= query.max_distance)
            .collect();
        found.sort_by(|a, b| a.distance.total_cmp(&b.distance));
        found.truncate(query.max_users);
        Ok(found)
    }
}

impl Drop for SqliteFaceset {
    fn drop(&mut self) {
        if self.unsaved_changes.load(Ordering::Relaxed) > 0 {
            let _ = self.checkpoint();
        }
    }
}

/// What a write did to the faces, for the index.
#[derive(Default)]
struct IndexChanges {
    added: Vec<FaceRow>,
    removed: Vec<FaceKey>,
    removed_groups: Vec<GroupKey>,
}

impl IndexChanges {
    fn count(&self) -> usize {
        self.added.len() + self.removed.len() + self.removed_groups.len()
    }
}

impl Faceset for SqliteFaceset {
    fn dim(&self) -> usize {
        self.dim
    }

    fn add_group(&self, group: &GroupId) -> Result<()> {
        self.write(|tx, _| {
            if group_key(tx, group)?.is_some() {
                return Err(Error::new(ErrorCode::GroupAlreadyExist));
            }
            insert_group(tx, group)?;
            Ok(())
        })
    }

    fn delete_group(&self, group: &GroupId) -> Result<()> {
        self.write(|tx, changes| {
            let key = group_key(tx, group)?.ok_or_else(|| Error::new(ErrorCode::GroupNotExist))?;
            // Users and faces go with it (ON DELETE CASCADE).
            tx.execute("DELETE FROM groups WHERE id = ?1", params![key])?;
            changes.removed_groups.push(key);
            Ok(())
        })
    }

    fn groups(&self, start: usize, length: usize) -> Result<Vec<GroupId>> {
        self.read(|conn| {
            let mut stmt =
                conn.prepare_cached("SELECT group_id FROM groups ORDER BY id LIMIT ?1 OFFSET ?2")?;
            let ids = stmt
                .query_map(params![length as i64, start as i64], |r| r.get(0))?
                .map(|r| r.map(GroupId))
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(ids)
        })
    }

    fn group_users(&self, group: &GroupId, start: usize, length: usize) -> Result<Vec<UserId>> {
        self.read(|conn| {
            let key =
                group_key(conn, group)?.ok_or_else(|| Error::new(ErrorCode::GroupNotExist))?;
            let mut stmt = conn.prepare_cached(
                "SELECT user_id FROM users WHERE group_ref = ?1 ORDER BY id LIMIT ?2 OFFSET ?3",
            )?;
            let ids = stmt
                .query_map(params![key, length as i64, start as i64], |r| r.get(0))?
                .map(|r| r.map(UserId))
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(ids)
        })
    }

    fn add_faces(&self, batch: Vec<Enrolment>) -> Result<Vec<Result<()>>> {
        let now = now_secs();
        self.write(|tx, changes| {
            let mut outcomes = Vec::with_capacity(batch.len());
            for e in &batch {
                // Each face in its own savepoint: a rejected one leaves no trace, the others stay.
                tx.execute_batch("SAVEPOINT face")?;
                match add_one(tx, e, now, self.dim) {
                    Ok((row, replaced)) => {
                        tx.execute_batch("RELEASE face")?;
                        changes.added.push(row);
                        changes.removed.extend(replaced);
                        outcomes.push(Ok(()));
                    }
                    Err(err) => {
                        tx.execute_batch("ROLLBACK TO face; RELEASE face")?;
                        outcomes.push(Err(err));
                    }
                }
            }
            Ok(outcomes)
        })
    }

    fn user(&self, user: &UserId, groups: &GroupScope) -> Result<Vec<UserEntry>> {
        self.read(|conn| {
            let keys = self.group_keys(conn, groups)?;
            let entries: Vec<UserEntry> = user_rows(conn, user)?
                .into_iter()
                .filter(|u| keys.as_ref().is_none_or(|ks| ks.contains(&u.group)))
                .map(|u| UserEntry {
                    group_id: u.group_id,
                    user_info: u.user_info,
                })
                .collect();
            if entries.is_empty() {
                return Err(Error::new(ErrorCode::UserNotExist));
            }
            Ok(entries)
        })
    }

    fn copy_user(&self, user: &UserId, src: &GroupId, dst: &GroupId) -> Result<()> {
        self.write(|tx, changes| {
            let src_key = group_key(tx, src)?.ok_or_else(|| Error::new(ErrorCode::GroupNotExist))?;
            let (from, info) = user_in_group(tx, src_key, user)?
                .ok_or_else(|| Error::new(ErrorCode::UserNotExist))?;
            let dst_key =
                group_key(tx, dst)?.ok_or_else(|| Error::new(ErrorCode::DstGroupNotExist))?;
            if user_in_group(tx, dst_key, user)?.is_some() {
                return Err(Error::new(ErrorCode::UserAlreadyExist));
            }
            let to = insert_user(tx, dst_key, user, &info)?;
            let mut stmt = tx.prepare_cached(
                "INSERT INTO faces (user_ref, face_token, feature, face_box, image_width, image_height,
                                    source_sha256, ctime)
                 SELECT ?2, face_token, feature, face_box, image_width, image_height, source_sha256, ctime
                 FROM faces WHERE user_ref = ?1 ORDER BY id
                 RETURNING id, feature",
            )?;
            let mut rows = stmt.query(params![from, to])?;
            while let Some(row) = rows.next()? {
                changes.added.push(FaceRow {
                    key: row.get::<_, i64>(0)? as FaceKey,
                    user: to,
                    group: dst_key,
                    vector: feature_from_blob(&row.get::<_, Vec<u8>>(1)?, self.dim)?.0,
                });
            }
            Ok(())
        })
    }

    fn delete_user(&self, user: &UserId, groups: &GroupScope) -> Result<()> {
        self.write(|tx, changes| {
            let keys = self.group_keys(tx, groups)?;
            let victims: Vec<UserRow> = user_rows(tx, user)?
                .into_iter()
                .filter(|u| keys.as_ref().is_none_or(|ks| ks.contains(&u.group)))
                .collect();
            if victims.is_empty() {
                return Err(Error::new(ErrorCode::UserNotExist));
            }
            for u in victims {
                changes.removed.extend(face_keys(tx, u.key)?);
                tx.execute("DELETE FROM users WHERE id = ?1", params![u.key])?;
            }
            Ok(())
        })
    }

    fn faces(&self, user: &UserId, group: &GroupId) -> Result<Vec<FaceEntry>> {
        self.read(|conn| {
            let (key, _) = existing_user(conn, group, user)?;
            let mut stmt = conn.prepare_cached(
                "SELECT face_token, strftime('%Y-%m-%d %H:%M:%S', ctime, 'unixepoch', 'localtime')
                 FROM faces WHERE user_ref = ?1 ORDER BY id",
            )?;
            let faces = stmt
                .query_map(params![key], |r| {
                    Ok(FaceEntry {
                        face_token: r.get(0)?,
                        ctime: r.get(1)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(faces)
        })
    }

    fn delete_face(&self, user: &UserId, group: &GroupId, face_token: &str) -> Result<()> {
        self.write(|tx, changes| {
            let (user_key, _) = existing_user(tx, group, user)?;
            let face: i64 = tx
                .query_row(
                    "SELECT id FROM faces WHERE user_ref = ?1 AND face_token = ?2",
                    params![user_key, face_token],
                    |r| r.get(0),
                )
                .optional()?
                .ok_or_else(|| Error::new(ErrorCode::FaceNotExist))?;
            tx.execute("DELETE FROM faces WHERE id = ?1", params![face])?;
            changes.removed.push(face as FaceKey);
            // A user lives as long as one of its faces (spec §1.8).
            tx.execute(
                "DELETE FROM users WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM faces WHERE user_ref = ?1)",
                params![user_key],
            )?;
            Ok(())
        })
    }

    fn face_by_token(&self, face_token: &str) -> Result<Option<StoredFace>> {
        self.read(|conn| {
            let row = conn
                .prepare_cached(
                    "SELECT face_box, image_width, image_height, feature FROM faces
                     WHERE face_token = ?1 LIMIT 1",
                )?
                .query_row(params![face_token], |r| {
                    Ok((
                        r.get::<_, Vec<u8>>(0)?,
                        r.get::<_, u32>(1)?,
                        r.get::<_, u32>(2)?,
                        r.get::<_, Vec<u8>>(3)?,
                    ))
                })
                .optional()?;
            row.map(|(face_box, image_width, image_height, feature)| {
                Ok(StoredFace {
                    face_box: face_box_from_blob(&face_box)?,
                    image_width,
                    image_height,
                    embedding: feature_from_blob(&feature, self.dim)?,
                })
            })
            .transpose()
        })
    }

    fn has_photo(&self, group: &GroupId, user: &UserId, sha256: &[u8; 32]) -> Result<bool> {
        self.read(|conn| {
            Ok(conn
                .prepare_cached(
                    "SELECT 1 FROM faces f JOIN users u ON u.id = f.user_ref
                     JOIN groups g ON g.id = u.group_ref
                     WHERE g.group_id = ?1 AND u.user_id = ?2 AND f.source_sha256 = ?3 LIMIT 1",
                )?
                .exists(params![group.as_str(), user.as_str(), &sha256[..]])?)
        })
    }

    fn search(&self, query: &SearchQuery) -> Result<Vec<UserMatch>> {
        if query.embedding.len() != self.dim {
            return Err(Error::system(format!(
                "query has {} values, the library {}",
                query.embedding.len(),
                self.dim
            )));
        }
        self.read(|conn| {
            let groups = self.group_keys(conn, query.groups)?;
            if let Some(user) = query.user {
                return self.search_user(conn, query, user, groups);
            }
            let hits = self
                .index
                .read()
                .unwrap_or_else(|p| p.into_inner())
                .search(
                    query.embedding,
                    groups.as_deref(),
                    query.max_users,
                    query.max_distance,
                    query.strategy,
                )?;
            let mut stmt = conn.prepare_cached(
                "SELECT g.group_id, u.user_id, u.user_info FROM users u
                 JOIN groups g ON g.id = u.group_ref WHERE u.id = ?1",
            )?;
            let mut found = Vec::with_capacity(hits.len());
            for hit in hits {
                // A user deleted since the index lookup is simply not found.
                let row = stmt
                    .query_row(params![hit.user], |r| {
                        Ok(UserMatch {
                            group_id: GroupId(r.get(0)?),
                            user_id: UserId(r.get(1)?),
                            user_info: r.get(2)?,
                            distance: hit.distance,
                        })
                    })
                    .optional()?;
                found.extend(row);
            }
            Ok(found)
        })
    }

    fn stats(&self) -> Result<FacesetStats> {
        self.read(|conn| {
            let (groups, users, faces): (i64, i64, i64) = conn.query_row(
                "SELECT (SELECT count(*) FROM groups), (SELECT count(*) FROM users),
                        (SELECT count(*) FROM faces)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?;
            Ok(FacesetStats {
                groups: groups as usize,
                users: users as usize,
                faces: faces as usize,
            })
        })
    }

    fn checkpoint(&self) -> Result<()> {
        let Some(path) = &self.db_path else {
            return Ok(());
        };
        // No write may slip in between the snapshot and the reset of the counter.
        let _writes = self.writer();
        let index = self.index.read().unwrap_or_else(|p| p.into_inner());
        snapshot::save(&snapshot::path_for(path), &self.library_id, &index)?;
        self.unsaved_changes.store(0, Ordering::Relaxed);
        Ok(())
    }
}

/// Takes `<db>.lock`: a second process opening the same library is refused with a clear error.
fn lock_library(db: &Path) -> Result<File> {
    let mut p = db.as_os_str().to_owned();
    p.push(".lock");
    let lock_path = PathBuf::from(p);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(|e| Error::system(format!("{}: {e}", lock_path.display())))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::system(format!(
            "face library {} is open in another process; one process at a time may open a library",
            db.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(Error::system(format!("{}: {e}", lock_path.display())))
        }
    }
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > MIGRATIONS.len() as i64 {
        return Err(Error::system(format!(
            "face library schema version {version} is newer than this facekit knows ({}); upgrade facekit",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as i64)?;
        tx.commit()?;
    }
    Ok(())
}

/// The library's feature length (checked against `dim`) and its id (made at creation; ties the index
/// snapshot to this very file).
fn library_meta(conn: &Connection, dim: usize) -> Result<String> {
    let get = |key: &str| -> Result<Option<String>> {
        Ok(conn
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()?)
    };
    match get("dim")? {
        Some(d) if d != dim.to_string() => {
            return Err(Error::system(format!(
                "the face library holds {d}-dimensional features, this engine makes {dim}"
            )))
        }
        Some(_) => {}
        None => {
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('dim', ?1)",
                params![dim.to_string()],
            )?;
        }
    }
    if let Some(id) = get("library_id")? {
        return Ok(id);
    }
    let mut h = Sha256::new();
    h.update(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos()
            .to_le_bytes(),
    );
    h.update(std::process::id().to_le_bytes());
    h.update((&h as *const Sha256 as usize).to_le_bytes());
    let id = hex::encode(&h.finalize()[..16]);
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('library_id', ?1)",
        params![id],
    )?;
    Ok(id)
}

/// Brings the index in step with the faces table: drops faces no longer stored, adds stored ones it lacks.
/// Returns how many it changed.
fn reconcile(conn: &Connection, index: &mut VectorIndex, dim: usize) -> Result<usize> {
    // The token index holds every rowid and is far smaller than the table.
    let mut stored: Vec<FaceKey> = conn
        .prepare("SELECT id FROM faces INDEXED BY faces_by_token")?
        .query_map([], |r| r.get::<_, i64>(0))?
        .map(|r| r.map(|id| id as FaceKey))
        .collect::<rusqlite::Result<_>>()?;
    stored.sort_unstable();
    let stale: Vec<FaceKey> = index
        .keys()
        .filter(|k| stored.binary_search(k).is_err())
        .collect();
    for &k in &stale {
        index.remove(k)?;
    }
    let missing: Vec<FaceKey> = stored.into_iter().filter(|k| !index.contains(*k)).collect();
    let mut stmt = conn.prepare(
        "SELECT f.user_ref, u.group_ref, f.feature FROM faces f JOIN users u ON u.id = f.user_ref
         WHERE f.id = ?1",
    )?;
    for chunk in missing.chunks(65_536) {
        let mut rows = Vec::with_capacity(chunk.len());
        for &key in chunk {
            let (user, group, feature) = stmt.query_row(params![key as i64], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get::<_, Vec<u8>>(2)?))
            })?;
            rows.push(FaceRow {
                key,
                user,
                group,
                vector: feature_from_blob(&feature, dim)?.0,
            });
        }
        index.insert(rows)?;
    }
    Ok(stale.len() + missing.len())
}

/// Stores one face; returns its index row and the faces it replaced.
fn add_one(
    tx: &Transaction,
    e: &Enrolment,
    now: i64,
    dim: usize,
) -> Result<(FaceRow, Vec<FaceKey>)> {
    if let Some(info) = &e.user_info {
        check_user_info(info)?;
    }
    if e.face.embedding.0.len() != dim {
        return Err(Error::system(format!(
            "face has {} values, the library {dim}",
            e.face.embedding.0.len()
        )));
    }
    let group = match group_key(tx, &e.group)? {
        Some(g) => g,
        None if e.mode == AddMode::Update => return Err(Error::new(ErrorCode::GroupNotExist)),
        None => insert_group(tx, &e.group)?,
    };
    let mut replaced = Vec::new();
    let user = match user_in_group(tx, group, &e.user)? {
        None if e.mode == AddMode::Update => return Err(Error::new(ErrorCode::UserNotExist)),
        None => insert_user(tx, group, &e.user, e.user_info.as_deref().unwrap_or(""))?,
        Some((user, _)) => {
            if e.mode == AddMode::Append {
                let tokens: Vec<String> = tx
                    .prepare_cached("SELECT face_token FROM faces WHERE user_ref = ?1")?
                    .query_map(params![user], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                if tokens.contains(&e.face.face_token) {
                    return Err(Error::new(ErrorCode::FaceAlreadyExist));
                }
                if tokens.len() >= MAX_FACES_PER_USER {
                    return Err(Error::new(ErrorCode::UserFacesBeyondLimit));
                }
            } else {
                replaced = face_keys(tx, user)?;
                tx.execute("DELETE FROM faces WHERE user_ref = ?1", params![user])?;
            }
            if let Some(info) = &e.user_info {
                tx.execute(
                    "UPDATE users SET user_info = ?2 WHERE id = ?1",
                    params![user, info],
                )?;
            }
            user
        }
    };
    let f = &e.face;
    let key: i64 = tx
        .prepare_cached(
            "INSERT INTO faces (user_ref, face_token, feature, face_box, image_width, image_height,
                                source_sha256, ctime)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
        )?
        .query_row(
            params![
                user,
                f.face_token,
                f.embedding.to_le_bytes(),
                face_box_to_blob(&f.face_box),
                f.image_width,
                f.image_height,
                f.source_sha256.as_ref().map(|s| &s[..]),
                now
            ],
            |r| r.get(0),
        )?;
    Ok((
        FaceRow {
            key: key as FaceKey,
            user,
            group,
            vector: f.embedding.0.clone(),
        },
        replaced,
    ))
}

fn group_key(conn: &Connection, group: &GroupId) -> Result<Option<GroupKey>> {
    Ok(conn
        .prepare_cached("SELECT id FROM groups WHERE group_id = ?1")?
        .query_row(params![group.as_str()], |r| r.get(0))
        .optional()?)
}

fn insert_group(conn: &Connection, group: &GroupId) -> Result<GroupKey> {
    Ok(conn
        .prepare_cached("INSERT INTO groups (group_id, ctime) VALUES (?1, ?2) RETURNING id")?
        .query_row(params![group.as_str(), now_secs()], |r| r.get(0))?)
}

/// The user's key and user_info in a group.
fn user_in_group(
    conn: &Connection,
    group: GroupKey,
    user: &UserId,
) -> Result<Option<(UserKey, String)>> {
    Ok(conn
        .prepare_cached("SELECT id, user_info FROM users WHERE group_ref = ?1 AND user_id = ?2")?
        .query_row(params![group, user.as_str()], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// The user in a named group: 223100 when the group does not exist, 223103 when the user is not in it.
fn existing_user(conn: &Connection, group: &GroupId, user: &UserId) -> Result<(UserKey, String)> {
    let g = group_key(conn, group)?.ok_or_else(|| Error::new(ErrorCode::GroupNotExist))?;
    user_in_group(conn, g, user)?.ok_or_else(|| Error::new(ErrorCode::UserNotExist))
}

fn insert_user(conn: &Connection, group: GroupKey, user: &UserId, info: &str) -> Result<UserKey> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO users (group_ref, user_id, user_info, ctime) VALUES (?1, ?2, ?3, ?4)
             RETURNING id",
        )?
        .query_row(params![group, user.as_str(), info, now_secs()], |r| {
            r.get(0)
        })?)
}

struct UserRow {
    key: UserKey,
    group: GroupKey,
    group_id: GroupId,
    user_info: String,
}

/// Every group entry of a user id, oldest first.
fn user_rows(conn: &Connection, user: &UserId) -> Result<Vec<UserRow>> {
    Ok(conn
        .prepare_cached(
            "SELECT u.id, u.group_ref, g.group_id, u.user_info FROM users u
             JOIN groups g ON g.id = u.group_ref WHERE u.user_id = ?1 ORDER BY u.id",
        )?
        .query_map(params![user.as_str()], |r| {
            Ok(UserRow {
                key: r.get(0)?,
                group: r.get(1)?,
                group_id: GroupId(r.get(2)?),
                user_info: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

fn face_keys(conn: &Connection, user: UserKey) -> Result<Vec<FaceKey>> {
    Ok(conn
        .prepare_cached("SELECT id FROM faces WHERE user_ref = ?1")?
        .query_map(params![user], |r| r.get::<_, i64>(0))?
        .map(|r| r.map(|k| k as FaceKey))
        .collect::<rusqlite::Result<_>>()?)
}

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn feature_from_blob(bytes: &[u8], dim: usize) -> Result<Embedding> {
    Embedding::from_le_bytes(bytes)
        .filter(|e| e.0.len() == dim)
        .ok_or_else(|| Error::system(format!("stored feature of {} bytes", bytes.len())))
}

/// left, top, width, height, score, then the 5 landmarks' x and y: 15 little-endian f32.
fn face_box_to_blob(b: &FaceBox) -> Vec<u8> {
    [b.left, b.top, b.width, b.height, b.score]
        .iter()
        .chain(b.landmarks.iter().flatten())
        .flat_map(|v| v.to_le_bytes())
        .collect()
}

fn face_box_from_blob(bytes: &[u8]) -> Result<FaceBox> {
    let (values, rest) = bytes.as_chunks::<4>();
    if values.len() != 15 || !rest.is_empty() {
        return Err(Error::system("stored face box is damaged"));
    }
    let v: Vec<f32> = values.iter().map(|b| f32::from_le_bytes(*b)).collect();
    let mut landmarks = [[0f32; 2]; 5];
    for (i, p) in landmarks.iter_mut().enumerate() {
        *p = [v[5 + 2 * i], v[6 + 2 * i]];
    }
    Ok(FaceBox {
        left: v[0],
        top: v[1],
        width: v[2],
        height: v[3],
        score: v[4],
        landmarks,
    })
}
