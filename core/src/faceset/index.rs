//! The in-memory search index of a face library.
//!
//! Every face's f32 vector sits on the shelf of its group, so an exact scan of a few groups reads contiguous
//! memory. Above [`EXACT_SCAN_MAX`] faces in scope an HNSW graph finds candidates, and those are re-ranked with
//! the f32 vectors: every distance search reports is exact, whichever path found it.
//!
//! The graph is `usearch` (Unum's HNSW, C++ behind cxx). Candidates weighed:
//! - `usearch`: maintained, deletes (`remove`), save/load to a buffer, filtered search (a predicate per key),
//!   and i8 storage: 128 B a vector plus ~400 B of graph at M = 32, which is what keeps 1 M faces near 1.4 KB
//!   each with the f32 copies. Cost: a C++ build.
//! - `hnsw_rs`: pure Rust and persistent, but no deletes and f32 points behind `Arc`s with 16-byte neighbour
//!   entries: several KB a face at M = 16.
//! - `instant-distance`: build-once (no inserts, no deletes); `hnsw` (rust-cv): no deletes, little upkeep.
//!
//! The graph holds i8 copies scaled so that ±5 standard deviations of a unit vector's component fill the i8
//! range ([`quantize`]); order among candidates is approximate, the final order and scores are not.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};
use std::sync::{Condvar, Mutex};

use usearch::{Index, IndexOptions, MetricKind, ScalarKind};

use super::{Strategy, MAX_FACES_PER_USER};
use crate::error::{Error, Result};

/// Scopes with at most this many faces are scanned exactly (10 k faces take well under 1 ms); larger ones go
/// through the HNSW graph.
pub const EXACT_SCAN_MAX: usize = 32_768;
/// HNSW degree (M). 32, not the usual 16: at 1 M faces it lifts recall@1 of mated probes from 0.72 to 0.99 at
/// the same beam, for ~270 B more a face (docs/faceset.md, benchmarks).
const CONNECTIVITY: usize = 32;
/// Beam width while inserting (efConstruction).
const EXPANSION_ADD: usize = 128;
/// Candidates the graph returns for re-ranking, at least (efSearch), unless [`set_search_expansion`] says
/// otherwise.
const MIN_CANDIDATES: usize = 128;
static SEARCH_EXPANSION: AtomicUsize = AtomicUsize::new(MIN_CANDIDATES);

/// Sets the HNSW beam width (efSearch: candidates re-ranked per search, at least) of every library in this
/// process: higher finds the true nearest face more often and costs time in proportion.
pub fn set_search_expansion(candidates: usize) {
    SEARCH_EXPANSION.store(candidates.max(1), AtomicOrdering::Relaxed);
}
/// …and at most, however selective the group filter.
const MAX_CANDIDATES: usize = 4096;
/// usearch keeps one search context per concurrent caller; more callers than this wait for one.
const ANN_THREADS: usize = 32;
/// Batches at least this large are inserted into the graph by several threads.
const PARALLEL_INSERT_MIN: usize = 1024;

/// `faces.id`, `users.id` and `groups.id` of the library's tables.
pub type FaceKey = u64;
pub type UserKey = i64;
pub type GroupKey = i64;

/// A face to index.
#[derive(Debug, Clone)]
pub struct FaceRow {
    pub key: FaceKey,
    pub user: UserKey,
    pub group: GroupKey,
    pub vector: Vec<f32>,
}

/// A user found: its nearest face's L2 distance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    pub user: UserKey,
    pub group: GroupKey,
    pub distance: f32,
}

/// The faces one group holds, as parallel arrays.
#[derive(Default)]
struct Shelf {
    group: GroupKey,
    keys: Vec<FaceKey>,
    users: Vec<UserKey>,
    vectors: Vec<f32>,
}

#[derive(Debug, Clone, Copy)]
struct Loc {
    shelf: u32,
    pos: u32,
}

pub struct VectorIndex {
    dim: usize,
    shelves: Vec<Shelf>,
    shelf_of: HashMap<GroupKey, u32>,
    free_shelves: Vec<u32>,
    locate: HashMap<FaceKey, Loc>,
    graph: Graph,
}

impl VectorIndex {
    pub fn new(dim: usize) -> Result<VectorIndex> {
        Ok(VectorIndex {
            dim,
            shelves: Vec::new(),
            shelf_of: HashMap::new(),
            free_shelves: Vec::new(),
            locate: HashMap::new(),
            graph: Graph::new(dim)?,
        })
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    pub fn len(&self) -> usize {
        self.locate.len()
    }

    pub fn is_empty(&self) -> bool {
        self.locate.is_empty()
    }

    pub fn contains(&self, key: FaceKey) -> bool {
        self.locate.contains_key(&key)
    }

    /// Every face key, in no order.
    pub fn keys(&self) -> impl Iterator<Item = FaceKey> + '_ {
        self.locate.keys().copied()
    }

    /// Faces in the group.
    pub fn group_len(&self, group: GroupKey) -> usize {
        self.shelf_of
            .get(&group)
            .map_or(0, |&s| self.shelves[s as usize].keys.len())
    }

    fn shelf_for(&mut self, group: GroupKey) -> u32 {
        if let Some(&s) = self.shelf_of.get(&group) {
            return s;
        }
        let s = match self.free_shelves.pop() {
            Some(s) => s,
            None => {
                self.shelves.push(Shelf::default());
                (self.shelves.len() - 1) as u32
            }
        };
        self.shelves[s as usize].group = group;
        self.shelf_of.insert(group, s);
        s
    }

    /// Adds faces (keys already present are skipped).
    pub fn insert(&mut self, rows: Vec<FaceRow>) -> Result<()> {
        let mut fresh = Vec::with_capacity(rows.len());
        for row in rows {
            if row.vector.len() != self.dim {
                return Err(Error::system(format!(
                    "face {} has {} values, the library {}",
                    row.key,
                    row.vector.len(),
                    self.dim
                )));
            }
            if self.locate.contains_key(&row.key) {
                continue;
            }
            let s = self.shelf_for(row.group);
            let shelf = &mut self.shelves[s as usize];
            let pos = shelf.keys.len() as u32;
            shelf.keys.push(row.key);
            shelf.users.push(row.user);
            shelf.vectors.extend_from_slice(&row.vector);
            self.locate.insert(row.key, Loc { shelf: s, pos });
            fresh.push((row.key, row.vector));
        }
        self.graph.insert(&fresh)
    }

    /// Removes a face; false when it was not there.
    pub fn remove(&mut self, key: FaceKey) -> Result<bool> {
        let Some(loc) = self.locate.remove(&key) else {
            return Ok(false);
        };
        let dim = self.dim;
        let shelf = &mut self.shelves[loc.shelf as usize];
        let pos = loc.pos as usize;
        let last = shelf.keys.len() - 1;
        shelf.keys.swap_remove(pos);
        shelf.users.swap_remove(pos);
        if pos != last {
            shelf
                .vectors
                .copy_within(last * dim..(last + 1) * dim, pos * dim);
            let moved = shelf.keys[pos];
            self.locate.insert(moved, loc);
        }
        shelf.vectors.truncate(last * dim);
        if shelf.keys.is_empty() {
            self.release_shelf(loc.shelf);
        }
        self.graph.remove(key)?;
        Ok(true)
    }

    /// Removes every face of a group.
    pub fn remove_group(&mut self, group: GroupKey) -> Result<()> {
        let Some(&s) = self.shelf_of.get(&group) else {
            return Ok(());
        };
        for key in std::mem::take(&mut self.shelves[s as usize].keys) {
            self.locate.remove(&key);
            self.graph.remove(key)?;
        }
        self.release_shelf(s);
        Ok(())
    }

    fn release_shelf(&mut self, s: u32) {
        let shelf = std::mem::take(&mut self.shelves[s as usize]);
        self.shelf_of.remove(&shelf.group);
        self.free_shelves.push(s);
    }

    /// The users nearest to `query` among the faces of `groups` (None: every group), nearest first, one hit
    /// per user, at most `max_users`, none farther than `max_distance`.
    pub fn search(
        &self,
        query: &[f32],
        groups: Option<&[GroupKey]>,
        max_users: usize,
        max_distance: f32,
        strategy: Strategy,
    ) -> Result<Vec<Hit>> {
        if query.len() != self.dim {
            return Err(Error::system(format!(
                "query has {} values, the library {}",
                query.len(),
                self.dim
            )));
        }
        let shelves: Vec<u32> = match groups {
            None => self.shelf_of.values().copied().collect(),
            Some(gs) => {
                let mut v: Vec<u32> = gs
                    .iter()
                    .filter_map(|g| self.shelf_of.get(g).copied())
                    .collect();
                v.sort_unstable();
                v.dedup();
                v
            }
        };
        let in_scope: usize = shelves
            .iter()
            .map(|&s| self.shelves[s as usize].keys.len())
            .sum();
        if max_users == 0 || in_scope == 0 {
            return Ok(Vec::new());
        }
        let max_d2 = max_distance * max_distance;
        // The nearest `max_users × 20` faces hold the nearest `max_users` users, however their faces spread.
        let wanted_faces = max_users.saturating_mul(MAX_FACES_PER_USER);
        let exact = match strategy {
            Strategy::Auto => in_scope <= EXACT_SCAN_MAX,
            Strategy::Exact => true,
            Strategy::Graph => false,
        };
        let faces = if exact {
            self.scan(query, &shelves, wanted_faces, max_d2)
        } else {
            self.graph_candidates(query, &shelves, in_scope, max_users, max_d2)?
        };
        Ok(self.nearest_per_user(faces, max_users))
    }

    /// `faces` nearest first → the first (nearest) face of each user, at most `max_users`.
    fn nearest_per_user(&self, faces: Vec<(f32, Loc)>, max_users: usize) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::with_capacity(max_users);
        for (d2, loc) in faces {
            if hits.len() == max_users {
                break;
            }
            let shelf = &self.shelves[loc.shelf as usize];
            let user = shelf.users[loc.pos as usize];
            if !hits.iter().any(|h| h.user == user) {
                hits.push(Hit {
                    user,
                    group: shelf.group,
                    distance: d2.sqrt(),
                });
            }
        }
        hits
    }

    /// Exact scan of the shelves: the `wanted` nearest faces within `max_d2`, nearest first.
    fn scan(&self, query: &[f32], shelves: &[u32], wanted: usize, max_d2: f32) -> Vec<(f32, Loc)> {
        let mut heap: BinaryHeap<(OrdF32, u32, u32)> = BinaryHeap::with_capacity(wanted + 1);
        for &s in shelves {
            let shelf = &self.shelves[s as usize];
            for_each_distance(query, &shelf.vectors, |pos, d2| {
                if d2 > max_d2 {
                    return;
                }
                if heap.len() < wanted {
                    heap.push((OrdF32(d2), s, pos as u32));
                } else if let Some(top) = heap.peek() {
                    if d2 < top.0 .0 {
                        heap.pop();
                        heap.push((OrdF32(d2), s, pos as u32));
                    }
                }
            });
        }
        heap.into_sorted_vec()
            .into_iter()
            .map(|(d, shelf, pos)| (d.0, Loc { shelf, pos }))
            .collect()
    }

    /// Candidates from the graph, re-ranked exactly, nearest first.
    fn graph_candidates(
        &self,
        query: &[f32],
        shelves: &[u32],
        in_scope: usize,
        max_users: usize,
        max_d2: f32,
    ) -> Result<Vec<(f32, Loc)>> {
        let everything = in_scope == self.len();
        // A filter that passes a fraction f of the faces needs about 1/f times the beam for the same recall.
        let base = (max_users * 8).max(SEARCH_EXPANSION.load(AtomicOrdering::Relaxed));
        let widen = if everything {
            1.0
        } else {
            self.len() as f64 / in_scope as f64
        };
        let wanted = ((base as f64 * widen) as usize).clamp(base, MAX_CANDIDATES.max(base));
        let keys = if everything {
            self.graph.search(query, wanted, None)?
        } else {
            let allowed = |key: FaceKey| {
                self.locate
                    .get(&key)
                    .is_some_and(|l| shelves.binary_search(&l.shelf).is_ok())
            };
            self.graph.search(query, wanted, Some(&allowed))?
        };
        let mut faces: Vec<(f32, Loc)> = keys
            .into_iter()
            .filter_map(|k| self.locate.get(&k).copied())
            .map(|loc| (l2_squared(query, self.vector(loc)), loc))
            .filter(|(d2, _)| *d2 <= max_d2)
            .collect();
        faces.sort_by(|a, b| a.0.total_cmp(&b.0));
        Ok(faces)
    }

    fn vector(&self, loc: Loc) -> &[f32] {
        let p = loc.pos as usize * self.dim;
        &self.shelves[loc.shelf as usize].vectors[p..p + self.dim]
    }

    /// Bytes of memory the index holds (vectors, keys, maps, graph).
    pub fn memory_bytes(&self) -> usize {
        let shelves: usize = self
            .shelves
            .iter()
            .map(|s| s.keys.capacity() * 8 + s.users.capacity() * 8 + s.vectors.capacity() * 4)
            .sum();
        // hashbrown: one control byte per bucket, buckets ≈ capacity × 8/7.
        let map = self.locate.capacity() * 8 / 7 * (1 + std::mem::size_of::<(FaceKey, Loc)>());
        shelves + map + self.graph.index.memory_usage()
    }

    /// Writes the index: per shelf its group, keys, users and vectors, then the graph.
    pub fn write_to(&self, w: &mut dyn Write) -> Result<()> {
        let io = |e: std::io::Error| Error::system(format!("index write: {e}"));
        let live: Vec<&Shelf> = self.shelves.iter().filter(|s| !s.keys.is_empty()).collect();
        w.write_all(&(self.dim as u64).to_le_bytes()).map_err(io)?;
        w.write_all(&(live.len() as u64).to_le_bytes())
            .map_err(io)?;
        for shelf in live {
            w.write_all(&shelf.group.to_le_bytes()).map_err(io)?;
            w.write_all(&(shelf.keys.len() as u64).to_le_bytes())
                .map_err(io)?;
            write_values(w, &shelf.keys, |v| v.to_le_bytes()).map_err(io)?;
            write_values(w, &shelf.users, |v| v.to_le_bytes()).map_err(io)?;
            write_values(w, &shelf.vectors, |v| v.to_le_bytes()).map_err(io)?;
        }
        let graph = self.graph.to_bytes()?;
        w.write_all(&(graph.len() as u64).to_le_bytes())
            .map_err(io)?;
        w.write_all(&graph).map_err(io)
    }

    /// Reads what [`VectorIndex::write_to`] wrote; None when it does not hold a `dim`-dimensional index.
    pub fn read_from(r: &mut dyn Read, dim: usize) -> Result<Option<VectorIndex>> {
        let mut index = VectorIndex::new(dim)?;
        let Ok(stored_dim) = read_u64(r) else {
            return Ok(None);
        };
        if stored_dim != dim as u64 {
            return Ok(None);
        }
        let parsed = (|| -> std::io::Result<Option<Vec<u8>>> {
            let shelves = read_u64(r)?;
            for _ in 0..shelves {
                let group = read_u64(r)? as i64;
                let n = read_u64(r)? as usize;
                let keys: Vec<u64> = read_values(r, n, u64::from_le_bytes)?;
                let users: Vec<i64> = read_values(r, n, i64::from_le_bytes)?;
                let vectors: Vec<f32> = read_values(r, n * dim, f32::from_le_bytes)?;
                let s = index.shelf_for(group);
                for (pos, &key) in keys.iter().enumerate() {
                    index.locate.insert(
                        key,
                        Loc {
                            shelf: s,
                            pos: pos as u32,
                        },
                    );
                }
                index.shelves[s as usize] = Shelf {
                    group,
                    keys,
                    users,
                    vectors,
                };
            }
            let graph_len = read_u64(r)? as usize;
            let mut graph = vec![0u8; graph_len];
            r.read_exact(&mut graph)?;
            Ok(Some(graph))
        })();
        let Ok(Some(graph)) = parsed else {
            return Ok(None);
        };
        if !index.graph.load(&graph, index.locate.len())? {
            return Ok(None);
        }
        Ok(Some(index))
    }
}

/// A total order on distances for the heap (NaN never occurs: inputs are finite embeddings).
#[derive(Debug, Clone, Copy, PartialEq)]
struct OrdF32(f32);

impl Eq for OrdF32 {}

impl PartialOrd for OrdF32 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for OrdF32 {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Squared L2 distance. Sixteen independent lanes let the compiler keep four SIMD accumulators busy.
#[inline(always)]
pub fn l2_squared(a: &[f32], b: &[f32]) -> f32 {
    const LANES: usize = 16;
    let mut acc = [0f32; LANES];
    let (ca, ta) = a.as_chunks::<LANES>();
    let (cb, tb) = b.as_chunks::<LANES>();
    for (x, y) in ca.iter().zip(cb) {
        for i in 0..LANES {
            let d = x[i] - y[i];
            acc[i] += d * d;
        }
    }
    let mut sum: f32 = acc.iter().sum();
    for (x, y) in ta.iter().zip(tb) {
        sum += (x - y) * (x - y);
    }
    sum
}

/// Calls `f(i, distance²)` for each vector of the flat array `vectors`, with the widest SIMD the CPU has.
fn for_each_distance(query: &[f32], vectors: &[f32], f: impl FnMut(usize, f32)) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU has AVX2 and FMA, checked just above.
            return unsafe { for_each_distance_avx2(query, vectors, f) };
        }
    }
    for_each_distance_portable(query, vectors, f)
}

#[inline(always)]
fn for_each_distance_portable(query: &[f32], vectors: &[f32], mut f: impl FnMut(usize, f32)) {
    for (i, v) in vectors.chunks_exact(query.len()).enumerate() {
        f(i, l2_squared(query, v));
    }
}

/// The same loop compiled for AVX2 + FMA (the inlined `l2_squared` becomes 256-bit FMAs).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn for_each_distance_avx2(query: &[f32], vectors: &[f32], f: impl FnMut(usize, f32)) {
    for_each_distance_portable(query, vectors, f)
}

fn write_values<T: Copy, const N: usize>(
    w: &mut dyn Write,
    values: &[T],
    to_bytes: impl Fn(T) -> [u8; N],
) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(64 * 1024);
    for chunk in values.chunks(64 * 1024 / N) {
        buf.clear();
        for &v in chunk {
            buf.extend_from_slice(&to_bytes(v));
        }
        w.write_all(&buf)?;
    }
    Ok(())
}

fn read_values<T, const N: usize>(
    r: &mut dyn Read,
    count: usize,
    from_bytes: impl Fn([u8; N]) -> T,
) -> std::io::Result<Vec<T>> {
    let mut out = Vec::with_capacity(count);
    let mut buf = vec![0u8; 64 * 1024 / N * N];
    let mut left = count;
    while left > 0 {
        let take = left.min(buf.len() / N);
        let bytes = &mut buf[..take * N];
        r.read_exact(bytes)?;
        out.extend(bytes.as_chunks::<N>().0.iter().map(|c| from_bytes(*c)));
        left -= take;
    }
    Ok(out)
}

fn read_u64(r: &mut dyn Read) -> std::io::Result<u64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(u64::from_le_bytes(b))
}

/// The HNSW graph over i8 copies of the vectors.
struct Graph {
    index: Index,
    /// i8 units per unit of the vectors.
    scale: f32,
    permits: Permits,
}

impl Graph {
    fn options(dim: usize) -> IndexOptions {
        IndexOptions {
            dimensions: dim,
            metric: MetricKind::L2sq,
            quantization: ScalarKind::I8,
            connectivity: CONNECTIVITY,
            expansion_add: EXPANSION_ADD,
            expansion_search: MIN_CANDIDATES,
            multi: false,
        }
    }

    fn new(dim: usize) -> Result<Graph> {
        let index = Index::new(&Self::options(dim)).map_err(graph_error)?;
        Ok(Graph {
            index,
            // A unit vector's components have standard deviation 1/√dim; ±5σ maps onto ±127.
            scale: 127.0 * (dim as f32).sqrt() / 5.0,
            permits: Permits::new(ANN_THREADS),
        })
    }

    fn quantize(&self, v: &[f32]) -> Vec<i8> {
        v.iter()
            .map(|x| (x * self.scale).round().clamp(-127.0, 127.0) as i8)
            .collect()
    }

    fn reserve_for(&self, more: usize) -> Result<()> {
        let need = self.index.size() + more;
        if need > self.index.capacity() {
            let cap = need.max(self.index.capacity() * 2).max(1024);
            self.index
                .reserve_capacity_and_threads(cap, ANN_THREADS)
                .map_err(graph_error)?;
        }
        Ok(())
    }

    fn insert(&self, rows: &[(FaceKey, Vec<f32>)]) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        self.reserve_for(rows.len())?;
        let add = |rows: &[(FaceKey, Vec<f32>)]| -> Result<()> {
            for (key, v) in rows {
                let _permit = self.permits.acquire();
                self.index
                    .add(*key, &self.quantize(v))
                    .map_err(graph_error)?;
            }
            Ok(())
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if rows.len() < PARALLEL_INSERT_MIN || threads == 1 {
            return add(rows);
        }
        let chunk = rows.len().div_ceil(threads);
        std::thread::scope(|s| {
            let handles: Vec<_> = rows
                .chunks(chunk)
                .map(|c| s.spawn(move || add(c)))
                .collect();
            handles.into_iter().try_for_each(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Error::system("graph insert panicked")))
            })
        })
    }

    fn remove(&self, key: FaceKey) -> Result<()> {
        self.index.remove(key).map_err(graph_error)?;
        Ok(())
    }

    fn search(
        &self,
        query: &[f32],
        wanted: usize,
        allowed: Option<&dyn Fn(FaceKey) -> bool>,
    ) -> Result<Vec<FaceKey>> {
        let q = self.quantize(query);
        let _permit = self.permits.acquire();
        let found = match allowed {
            None => self.index.search(&q, wanted),
            Some(f) => self.index.filtered_search(&q, wanted, f),
        }
        .map_err(graph_error)?;
        Ok(found.keys)
    }

    fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut buf = vec![0u8; self.index.serialized_length()];
        self.index.save_to_buffer(&mut buf).map_err(graph_error)?;
        Ok(buf)
    }

    /// Loads a saved graph; false when it does not match (`faces` vectors, this dimension and kind).
    fn load(&mut self, bytes: &[u8], faces: usize) -> Result<bool> {
        let Ok(index) = Index::restore_from_buffer(bytes) else {
            return Ok(false);
        };
        if index.dimensions() != self.index.dimensions()
            || index.scalar_kind() != ScalarKind::I8
            || index.size() != faces
        {
            return Ok(false);
        }
        index.change_expansion_add(EXPANSION_ADD);
        index.change_expansion_search(MIN_CANDIDATES);
        index
            .reserve_capacity_and_threads(faces.max(1024), ANN_THREADS)
            .map_err(graph_error)?;
        self.index = index;
        Ok(true)
    }
}

fn graph_error(e: impl std::fmt::Display) -> Error {
    Error::system(format!("ann index: {e}"))
}

/// A counting semaphore: usearch has a fixed number of per-caller contexts.
struct Permits {
    free: Mutex<usize>,
    cv: Condvar,
}

struct Permit<'a>(&'a Permits);

impl Permits {
    fn new(n: usize) -> Self {
        Permits {
            free: Mutex::new(n),
            cv: Condvar::new(),
        }
    }

    fn acquire(&self) -> Permit<'_> {
        let mut free = self.free.lock().unwrap_or_else(|p| p.into_inner());
        while *free == 0 {
            free = self.cv.wait(free).unwrap_or_else(|p| p.into_inner());
        }
        *free -= 1;
        Permit(self)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut free = self.0.free.lock().unwrap_or_else(|p| p.into_inner());
        *free += 1;
        self.0.cv.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::faceset::synthetic::Rng;

    fn rows(n: u64, rng: &mut Rng) -> Vec<FaceRow> {
        (1..=n)
            .map(|key| FaceRow {
                key,
                user: key as i64,
                group: (key % 3) as i64,
                vector: rng.unit(16),
            })
            .collect()
    }

    #[test]
    fn a_saved_index_with_deletions_loads_whole() {
        let mut rng = Rng(3);
        let mut index = VectorIndex::new(16).unwrap();
        let all = rows(200, &mut rng);
        index.insert(all.clone()).unwrap();
        for key in (1..=200).step_by(7) {
            assert!(index.remove(key).unwrap());
        }
        index.remove_group(2).unwrap();
        let mut bytes = Vec::new();
        index.write_to(&mut bytes).unwrap();
        let loaded = VectorIndex::read_from(&mut bytes.as_slice(), 16)
            .unwrap()
            .expect("the snapshot loads");
        assert_eq!(loaded.len(), index.len());
        assert!(VectorIndex::read_from(&mut bytes.as_slice(), 8)
            .unwrap()
            .is_none());
        for row in all.iter().step_by(5) {
            for strategy in [Strategy::Exact, Strategy::Graph] {
                let hits = loaded
                    .search(&row.vector, None, 1, f32::INFINITY, strategy)
                    .unwrap();
                if index.contains(row.key) {
                    assert_eq!(hits[0].user, row.user, "{strategy:?}");
                    assert!(hits[0].distance < 1e-6);
                } else {
                    assert_ne!(hits[0].user, row.user, "{strategy:?}");
                }
            }
        }
    }

    #[test]
    fn simd_distance_is_the_plain_sum() {
        let mut rng = Rng(4);
        let (a, b) = (rng.unit(131), rng.unit(131));
        let plain: f32 = a.iter().zip(&b).map(|(x, y)| (x - y) * (x - y)).sum();
        assert!((l2_squared(&a, &b) - plain).abs() < 1e-5);
        let flat: Vec<f32> = [b.clone(), a.clone()].concat();
        let mut seen = Vec::new();
        for_each_distance(&a, &flat, |i, d| seen.push((i, d)));
        assert_eq!(seen.len(), 2);
        assert!((seen[0].1 - plain).abs() < 1e-5 && seen[1].1 < 1e-9);
    }
}
