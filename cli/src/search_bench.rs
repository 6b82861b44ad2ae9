//! `facekit bench search`: the face library on synthetic unit vectors, without models. Prints the add rate,
//! snapshot and open times, search latency, recall@1 of the default search against the exact scan, and memory
//! per face, as one table row.
//!
//! Probes: "mated" ones are a stored vector moved by a random step to L2 distance ≈ 0.46 (a second photo of
//! an enrolled person, as dlib distances go); "random" ones are fresh unit vectors (strangers), whose nearest
//! stored vector is barely nearer than the rest: the hard case for any index that does not read every vector.

use std::time::Instant;

use clap::Args;
use facekit_core::faceset::synthetic::{self, Rng};
use facekit_core::faceset::{
    AddMode, Enrolment, Faceset, GroupId, GroupScope, SearchQuery, SqliteFaceset, Strategy, UserId,
};

use crate::bench::{percentile, rss_mb};
use crate::EngineArgs;

#[derive(Args)]
pub struct SearchBenchArgs {
    /// Faces in the library (one user each).
    #[arg(long, default_value_t = 100_000)]
    n: usize,
    /// Length of the vectors.
    #[arg(long, default_value_t = 128)]
    dim: usize,
    /// Timed searches (half mated, half random probes).
    #[arg(long, default_value_t = 1000)]
    queries: usize,
    /// Candidates, nearest by their binary codes, re-ranked exactly per search (default: the library's, 1024).
    #[arg(long)]
    candidates: Option<usize>,
}

/// Faces per add transaction.
const BATCH: usize = 10_000;
const GROUP: &str = "bench";

pub fn run(args: SearchBenchArgs, engine_args: &EngineArgs) -> Result<(), String> {
    let err = |e: facekit_core::Error| e.to_string();
    let tmp;
    let db = match &engine_args.db {
        Some(p) => p.clone(),
        None => {
            tmp = tempfile::tempdir().map_err(|e| format!("temporary directory: {e}"))?;
            tmp.path().join("bench.db")
        }
    };
    let group = GroupId::parse(GROUP).map_err(err)?;
    if let Some(n) = args.candidates {
        facekit_core::faceset::index::set_search_candidates(n);
    }

    // Build (or top up) the library.
    let (have, add_s, snapshot_s) = {
        let fs = SqliteFaceset::open(&db, args.dim).map_err(err)?;
        let have = fs.stats().map_err(err)?.faces;
        let start = Instant::now();
        for from in (have..args.n).step_by(BATCH) {
            let batch = (from..(from + BATCH).min(args.n))
                .map(|i| enrolment(&group, i, args.dim))
                .collect::<Result<Vec<_>, _>>()?;
            for r in fs.add_faces(batch).map_err(err)? {
                r.map_err(err)?;
            }
            eprint!("\radded {} / {}", (from + BATCH).min(args.n), args.n);
        }
        let add_s = start.elapsed().as_secs_f64();
        let start = Instant::now();
        fs.checkpoint().map_err(err)?;
        (have, add_s, start.elapsed().as_secs_f64())
    };
    eprintln!();
    let added = args.n.saturating_sub(have);

    // Open as an application would, in this now quiet process.
    let rss_before = rss_mb();
    let start = Instant::now();
    let fs = SqliteFaceset::open(&db, args.dim).map_err(err)?;
    let open_s = start.elapsed().as_secs_f64();
    let rss_after = rss_mb();
    let faces = fs.stats().map_err(err)?.faces;

    let scope = GroupScope::All;
    let query = |v: &[f32], strategy| {
        fs.search(&SearchQuery {
            embedding: v,
            groups: &scope,
            user: None,
            max_users: 1,
            max_distance: f32::INFINITY,
            strategy,
        })
        .map(|m| m.first().map(|u| u.user_id.clone()))
    };
    let mut rng = Rng(0x5eed);
    // Even queries are mated, odd ones random.
    let probes: Vec<Vec<f32>> = (0..args.queries)
        .map(|q| {
            if q % 2 == 0 {
                let i = (rng.next_u64() % faces as u64) as usize;
                rng.near(&vector(i, args.dim), 0.5)
            } else {
                rng.unit(args.dim)
            }
        })
        .collect();
    // Timed first, on their own; the exact scans for recall afterwards (they would flush the caches).
    let mut latency_ms = Vec::with_capacity(args.queries);
    let mut found = Vec::with_capacity(args.queries);
    for probe in &probes {
        let start = Instant::now();
        found.push(query(probe, Strategy::Auto).map_err(err)?);
        latency_ms.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    let (mut mated_hits, mut random_hits) = (0, 0);
    for (q, probe) in probes.iter().enumerate() {
        if query(probe, Strategy::Exact).map_err(err)? == found[q] {
            if q % 2 == 0 {
                mated_hits += 1;
            } else {
                random_hits += 1;
            }
        }
    }
    latency_ms.sort_by(f64::total_cmp);
    let half = |n: usize| n as f64 / (args.queries / 2).max(1) as f64;
    let ram_per_face = (rss_after - rss_before) * 1048576.0 / faces.max(1) as f64;
    println!(
        "| faces | dim | add (faces/s) | snapshot | open | search p50 / p99 | recall@1 mated / random | RSS per face | index per face |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {faces} | {} | {} | {snapshot_s:.1} s | {open_s:.2} s | {:.3} / {:.3} ms | {:.4} / {:.4} | {ram_per_face:.0} B | {:.0} B |",
        args.dim,
        if added > 0 {
            format!("{:.0}", added as f64 / add_s)
        } else {
            "(reused)".to_string()
        },
        percentile(&latency_ms, 0.5),
        percentile(&latency_ms, 0.99),
        half(mated_hits),
        half(random_hits),
        fs.index_memory_bytes() as f64 / faces.max(1) as f64,
    );
    Ok(())
}

fn enrolment(group: &GroupId, i: usize, dim: usize) -> Result<Enrolment, String> {
    Ok(Enrolment {
        group: group.clone(),
        user: UserId::parse(&format!("u{i}")).map_err(|e| e.to_string())?,
        user_info: None,
        mode: AddMode::Append,
        face: synthetic::face(&format!("{i:032x}"), vector(i, dim)),
    })
}

/// Stored vector `i`: the same for every run, without keeping a million vectors around.
fn vector(i: usize, dim: usize) -> Vec<f32> {
    Rng(i as u64 ^ 0xfacade).unit(dim)
}
