//! Stack similarity: how close the code of two stack projects is, once the values that
//! vary per instance are normalised away (see [`fingerprint`]).
//!
//! Each distinct code directory deployed by a stack is one node (Terragrunt units or
//! stacks sharing one code directory are instances of one project, not copies). Nodes
//! with identical fingerprints are merged first; the rest are compared only when MinHash
//! signatures collide in an LSH band, and each bucket compares a member with at most a
//! few representatives of the groups already formed there. The cost grows with the
//! number of stacks times a constant, never with the number of pairs.
//! Everything is deterministic: fixed seeds, sorted buckets, sorted output.

pub mod fingerprint;

use crate::discover::FileKind;
use crate::model::{paths, Code, StackKind, Workspace};
use crate::source::FileId;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// MinHash signature length: 16 bands of 4 rows (or 32 of 2 for low thresholds).
const SIG_LEN: usize = 64;
/// Representatives of distinct groups a bucket member is compared with, at most.
const BUCKET_REPS: usize = 16;
/// Groups up to this size get every pairwise similarity computed for their range.
const EXACT_RANGE_MAX: usize = 24;

/// What a code directory holds, for deciding whether copies of it matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// No resources and no module calls (variables, outputs, lookups only).
    Empty,
    /// A thin wrapper stack: no resources, one or two module calls, a few lookups.
    ThinWrapper,
    /// Real infrastructure code.
    Substantive,
    /// Code generated from one template (Terramate `generate_hcl`): instances of the
    /// template, not hand-made copies.
    Generated,
}

impl Shape {
    pub fn of(code: &Code) -> Shape {
        if code.resources.is_empty() && code.module_calls.is_empty() {
            Shape::Empty
        } else if code.resources.is_empty() && code.module_calls.len() <= 2 && code.data.len() <= 2
        {
            Shape::ThinWrapper
        } else {
            Shape::Substantive
        }
    }
}

/// One stack project: a code directory and the stacks that deploy it.
#[derive(Debug, Clone)]
pub struct Node {
    pub code_dir: String,
    /// Stack indices, sorted.
    pub stacks: Vec<usize>,
    pub shape: Shape,
    /// Sorted, distinct features.
    pub features: Vec<u64>,
}

/// Stack projects that are near copies of one another.
#[derive(Debug, Clone)]
pub struct SimilarGroup {
    /// Node indices, sorted by code directory.
    pub nodes: Vec<usize>,
    /// Lowest and highest similarity among the pairs compared.
    pub min: f64,
    pub max: f64,
}

#[derive(Debug, Clone)]
pub struct Similarity {
    pub threshold: f64,
    /// Every stack project, sorted by code directory.
    pub nodes: Vec<Node>,
    /// Groups of 2+ substantive (not thin-wrapper) projects at or above the threshold.
    pub groups: Vec<SimilarGroup>,
    /// How many pairs were compared in full (for the benchmark and the report).
    pub comparisons: usize,
}

/// Jaccard similarity of two sorted, distinct feature lists.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    // Branch-free merge: which list advances depends on the data, and a mispredicted
    // branch per step cost more than the comparison (this runs ~100k times on 10k stacks).
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        both += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    both as f64 / (a.len() + b.len() - both) as f64
}

/// `jaccard(a, b)` when it reaches `threshold`, else `None`, found out early: the merge
/// stops once even matching every remaining feature could not reach the threshold.
/// Nearly all candidate pairs fall short (93k of 94k on 10,000 stacks), and this
/// runs serially.
pub fn jaccard_at_least(a: &[u64], b: &[u64], threshold: f64) -> Option<f64> {
    if a.is_empty() && b.is_empty() {
        return (1.0 >= threshold).then_some(1.0);
    }
    let total = a.len() + b.len();
    // The same formula as `jaccard`: it grows with `both`, so a bound on `both` bounds it.
    let ratio = |both: usize| both as f64 / (total - both) as f64;
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    let mut steps = 0u32;
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        both += usize::from(x == y);
        i += usize::from(x <= y);
        j += usize::from(y <= x);
        steps += 1;
        if steps % 32 == 0 {
            let best = both + (a.len() - i).min(b.len() - j);
            if ratio(best) < threshold {
                return None;
            }
        }
    }
    let s = ratio(both);
    (s >= threshold).then_some(s)
}

/// The stack projects of a workspace with their fingerprints (in parallel).
pub fn nodes(ws: &Workspace) -> Vec<Node> {
    let mut by_dir: BTreeMap<&str, (Vec<usize>, bool)> = BTreeMap::new();
    for (i, s) in ws.stacks.iter().enumerate() {
        if let Some(d) = &s.code_dir {
            let e = by_dir.entry(d.as_str()).or_default();
            e.0.push(i);
            e.1 |= s.kind == StackKind::Terramate;
        }
    }
    let generated = generated_names(ws);
    let dirs: Vec<(&str, (Vec<usize>, bool))> = by_dir.into_iter().collect();
    dirs.into_par_iter()
        .with_max_len(crate::pipeline::PAR_CHUNK)
        .filter_map(|(dir, (stacks, terramate))| {
            let code = ws.codes.get(dir)?;
            let mut own = code.files.clone();
            if terramate {
                own.retain(|f| {
                    let name = paths::file_name(ws.path(*f));
                    !name.starts_with("_terramate_generated_") && !generated.contains(name)
                });
            }
            let shape = if own.len() < code.files.len() && !writes_infrastructure(ws, &own) {
                Shape::Generated
            } else {
                Shape::of(code)
            };
            Some(Node {
                code_dir: dir.to_string(),
                stacks,
                shape,
                features: fingerprint::features(ws, &own),
            })
        })
        .collect()
}

/// File names Terramate `generate_hcl` blocks write, anywhere in the tree.
fn generated_names(ws: &Workspace) -> BTreeSet<&str> {
    ws.files
        .iter()
        .filter(|f| f.kind == FileKind::Terramate)
        .flat_map(|f| f.body.blocks_of("generate_hcl"))
        .filter_map(|b| b.label(0))
        .collect()
}

/// Do the code's (remaining) files declare resources or module calls?
fn writes_infrastructure(ws: &Workspace, files: &[FileId]) -> bool {
    files.iter().any(|f| {
        ws.file(*f)
            .body
            .blocks
            .iter()
            .any(|b| matches!(&*b.kind, "resource" | "module"))
    })
}

/// Fingerprints every stack project and groups the substantive ones whose similarity
/// reaches `threshold` (single linkage over the pairs the LSH candidates allow).
pub fn analyse(ws: &Workspace, threshold: f64) -> Similarity {
    group(nodes(ws), threshold)
}

/// Groups already fingerprinted nodes (exposed for the benchmark).
pub fn group(nodes: Vec<Node>, threshold: f64) -> Similarity {
    let eligible: Vec<usize> = (0..nodes.len())
        .filter(|&i| nodes[i].shape == Shape::Substantive && !nodes[i].features.is_empty())
        .collect();
    let mut uf = UnionFind::new(nodes.len());
    let mut pairs: Vec<(usize, usize, f64)> = Vec::new();

    // 1. Identical fingerprints are one class; only class representatives go on.
    let mut sorted = eligible.clone();
    sorted.par_sort_by(|&a, &b| nodes[a].features.cmp(&nodes[b].features).then(a.cmp(&b)));
    let mut reps = Vec::new();
    for (k, &n) in sorted.iter().enumerate() {
        match k.checked_sub(1).map(|p| sorted[p]) {
            Some(prev) if nodes[prev].features == nodes[n].features => {
                uf.union(prev, n);
                pairs.push((prev, n, 1.0));
            }
            _ => reps.push(n),
        }
    }
    reps.sort_unstable();

    // 2. MinHash signatures and LSH band buckets, sorted by key for a fixed order.
    let rows = if threshold >= 0.7 { 4 } else { 2 };
    let sigs: Vec<[u64; SIG_LEN]> = reps
        .par_iter()
        .with_max_len(crate::pipeline::PAR_CHUNK)
        .map(|&n| minhash(&nodes[n].features))
        .collect();
    let mut keyed: Vec<(u64, usize)> = Vec::with_capacity(reps.len() * SIG_LEN / rows);
    for (r, sig) in sigs.iter().enumerate() {
        for (band, chunk) in sig.chunks(rows).enumerate() {
            let mut h = fingerprint::Fnv::new();
            h.u64(band as u64);
            for v in chunk {
                h.u64(*v);
            }
            keyed.push((h.0, r));
        }
    }
    keyed.par_sort_unstable();

    // 3. Within each bucket compare a member with a bounded number of representatives
    //    of the groups already seen there.
    let mut comparisons = 0usize;
    let mut failed: HashSet<u64, BuildHasherDefault<PairHasher>> = HashSet::default();
    let mut start = 0;
    while start < keyed.len() {
        let mut end = start + 1;
        while end < keyed.len() && keyed[end].0 == keyed[start].0 {
            end += 1;
        }
        if end - start > 1 {
            // (node, its index among the representatives)
            let mut seen: Vec<(usize, usize)> = Vec::new();
            for &(_, r) in &keyed[start..end] {
                let m = reps[r];
                for &(other, other_r) in &seen {
                    if uf.find(other) == uf.find(m) {
                        continue;
                    }
                    // Two cheap bounds first: sizes alone cap the Jaccard index, and the
                    // MinHash signatures estimate it (64 slots: a standard error under
                    // 0.07, so a 0.3 margin never drops a real pair in practice).
                    let (la, lb) = (nodes[m].features.len(), nodes[other].features.len());
                    if (la.min(lb) as f64) < threshold * la.max(lb) as f64
                        || estimate(&sigs[r], &sigs[other_r]) < threshold - 0.3
                    {
                        continue;
                    }
                    let key = (other.min(m), other.max(m));
                    let packed = ((key.0 as u64) << 32) | key.1 as u64;
                    if failed.contains(&packed) {
                        continue;
                    }
                    comparisons += 1;
                    match jaccard_at_least(&nodes[m].features, &nodes[other].features, threshold) {
                        Some(s) => {
                            uf.union(other, m);
                            pairs.push((key.0, key.1, s));
                        }
                        None => {
                            failed.insert(packed);
                        }
                    }
                }
                let root = uf.find(m);
                if seen.len() < BUCKET_REPS && !seen.iter().any(|&(o, _)| uf.find(o) == root) {
                    seen.push((m, r));
                }
            }
        }
        start = end;
    }

    // 4. Components of two or more nodes, with the similarity range of each.
    let mut comps: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &n in &eligible {
        comps.entry(uf.find(n)).or_default().push(n);
    }
    let mut ranges: BTreeMap<usize, (f64, f64)> = BTreeMap::new();
    for (a, _, s) in &pairs {
        let e = ranges.entry(uf.find(*a)).or_insert((*s, *s));
        e.0 = e.0.min(*s);
        e.1 = e.1.max(*s);
    }
    let comps: Vec<(usize, Vec<usize>)> = comps
        .into_iter()
        .filter(|(_, members)| members.len() > 1)
        .collect();
    let mut groups: Vec<SimilarGroup> = comps
        .into_par_iter()
        .map(|(root, mut members)| {
            members.sort_by(|a, b| nodes[*a].code_dir.cmp(&nodes[*b].code_dir));
            let (min, max) = if members.len() <= EXACT_RANGE_MAX {
                exact_range(&nodes, &members)
            } else {
                ranges.get(&root).copied().unwrap_or((1.0, 1.0))
            };
            SimilarGroup {
                nodes: members,
                min,
                max,
            }
        })
        .collect();
    groups.sort_by(|a, b| nodes[a.nodes[0]].code_dir.cmp(&nodes[b.nodes[0]].code_dir));
    Similarity {
        threshold,
        nodes,
        groups,
        comparisons,
    }
}

fn exact_range(nodes: &[Node], members: &[usize]) -> (f64, f64) {
    let (mut lo, mut hi) = (1.0f64, 0.0f64);
    for (i, a) in members.iter().enumerate() {
        for b in &members[i + 1..] {
            let s = jaccard(&nodes[*a].features, &nodes[*b].features);
            lo = lo.min(s);
            hi = hi.max(s);
        }
    }
    (lo, hi.max(lo))
}

/// The share of MinHash slots two signatures agree on: an unbiased Jaccard estimate.
fn estimate(a: &[u64; SIG_LEN], b: &[u64; SIG_LEN]) -> f64 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / SIG_LEN as f64
}

/// Hashes the packed node pairs of the comparison cache (already well spread by `mix`).
#[derive(Default)]
struct PairHasher(u64);

impl Hasher for PairHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = mix(self.0 ^ u64::from(*b));
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = mix(self.0 ^ v);
    }
}

/// splitmix64: the finaliser used to derive the MinHash permutations from fixed seeds.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The MinHash signature: slot `i` keeps the smallest `mix(mix(f) ^ SEEDS[i])` over the
/// features (a third of the copy-paste rule's time on 10,000 stacks, hence the AVX2 path).
fn minhash(features: &[u64]) -> [u64; SIG_LEN] {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx512f")
        && std::arch::is_x86_feature_detected!("avx512dq")
    {
        // SAFETY: the CPU supports AVX-512F and DQ, checked just above.
        return unsafe { minhash_avx512(features) };
    }
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        return unsafe { minhash_avx2(features) };
    }
    minhash_portable(features)
}

/// The same computation compiled for AVX2, which the compiler vectorises (four slots per
/// instruction); the signature is bit for bit the portable one.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn minhash_avx2(features: &[u64]) -> [u64; SIG_LEN] {
    minhash_portable(features)
}

/// The same computation compiled for AVX-512: eight slots per instruction, and DQ
/// multiplies 64-bit lanes in one instruction where AVX2 needs three and some shifts
/// (on 10,000 stacks, 303 M of the run's 7.7 G instructions were the AVX2 path).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq")]
unsafe fn minhash_avx512(features: &[u64]) -> [u64; SIG_LEN] {
    minhash_portable(features)
}

/// Slots per pass over the features: their minimums stay in registers, and on AVX2 the
/// compiler computes them four at a time.
const LANES: usize = 8;

#[inline(always)]
fn minhash_portable(features: &[u64]) -> [u64; SIG_LEN] {
    let bases: Vec<u64> = features.iter().map(|&f| mix(f)).collect();
    let mut sig = [u64::MAX; SIG_LEN];
    for (out, seeds) in sig.chunks_exact_mut(LANES).zip(SEEDS.chunks_exact(LANES)) {
        let mut m = [u64::MAX; LANES];
        for &base in &bases {
            for l in 0..LANES {
                m[l] = m[l].min(mix(base ^ seeds[l]));
            }
        }
        out.copy_from_slice(&m);
    }
    sig
}

const SEEDS: [u64; SIG_LEN] = {
    let mut s = [0u64; SIG_LEN];
    let mut i = 0;
    let mut x: u64 = 0x005e_ed0f_57ac_c1e7;
    while i < SIG_LEN {
        // The same splitmix64 steps as `mix`, unrolled for const evaluation.
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        s[i] = z ^ (z >> 31);
        i += 1;
    }
    s
};

struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Joins two sets; the smaller index becomes the root, so roots are stable.
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            self.parent[hi] = lo;
        }
    }
}

/// What sets the copies in a group apart, for messages.
#[derive(Debug, Clone, Default)]
pub struct Differences {
    /// Blocks only some copies declare: (address, code directories that have it).
    pub partial_blocks: Vec<(String, Vec<String>)>,
    /// Attributes (`block.attr`) whose literal values differ between copies.
    pub values: Vec<String>,
    /// Attributes present in only some copies, or written differently.
    pub shapes: Vec<String>,
}

/// Compares the blocks and attributes of the code directories in `dirs`.
pub fn differences(ws: &Workspace, dirs: &[&str]) -> Differences {
    type Attrs = BTreeMap<String, Vec<(u64, u64)>>;
    let mut per_dir: Vec<BTreeMap<String, Attrs>> = Vec::new();
    for d in dirs {
        let mut blocks: BTreeMap<String, Attrs> = BTreeMap::new();
        if let Some(code) = ws.codes.get(*d) {
            for (addr, attrs) in fingerprint::digests(ws, code) {
                // `zone_dev` in one copy is `zone_prod` in the other: the same block.
                let entry = blocks
                    .entry(fingerprint::normalise_name(&addr))
                    .or_default();
                for (path, shape, full) in attrs {
                    entry.entry(path).or_default().push((shape, full));
                }
            }
        }
        per_dir.push(blocks);
    }
    let all: BTreeSet<&String> = per_dir.iter().flat_map(|m| m.keys()).collect();
    let mut out = Differences::default();
    for addr in all {
        let having: Vec<usize> = (0..dirs.len())
            .filter(|&i| per_dir[i].contains_key(addr))
            .collect();
        if having.len() < dirs.len() {
            out.partial_blocks.push((
                addr.clone(),
                having.iter().map(|&i| dirs[i].to_string()).collect(),
            ));
            continue;
        }
        let paths: BTreeSet<&String> = having
            .iter()
            .filter_map(|&i| per_dir[i].get(addr))
            .flat_map(|m| m.keys())
            .collect();
        for p in paths {
            let vals: Vec<Option<&Vec<(u64, u64)>>> = having
                .iter()
                .map(|&i| per_dir[i].get(addr).and_then(|m| m.get(p)))
                .collect();
            let first = vals[0];
            if vals.iter().all(|v| *v == first) {
                continue;
            }
            let shapes =
                |v: &Option<&Vec<(u64, u64)>>| v.map(|x| x.iter().map(|p| p.0).collect::<Vec<_>>());
            let s0 = shapes(&first);
            let name = if p.is_empty() {
                addr.clone()
            } else {
                format!("{addr}.{p}")
            };
            if vals.iter().all(|v| shapes(v) == s0 && v.is_some()) {
                out.values.push(name);
            } else {
                out.shapes.push(name);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(dir: &str, features: Vec<u64>) -> Node {
        let mut features = features;
        features.sort_unstable();
        features.dedup();
        Node {
            code_dir: dir.to_string(),
            stacks: vec![],
            shape: Shape::Substantive,
            features,
        }
    }

    #[test]
    fn jaccard_counts_shared_features() {
        assert_eq!(jaccard(&[1, 2, 3, 4], &[1, 2, 3, 4]), 1.0);
        assert_eq!(jaccard(&[1, 2, 3, 4], &[3, 4, 5, 6]), 2.0 / 6.0);
        assert_eq!(jaccard(&[], &[1]), 0.0);
    }

    #[test]
    fn minhash_is_the_min_of_64_hashes_per_slot_on_every_code_path() {
        let mut x = 11u64;
        for n in [1usize, 2, 7, 8, 9, 100, 1000] {
            let features: Vec<u64> = (0..n)
                .map(|_| {
                    x = mix(x);
                    x
                })
                .collect();
            // The definition: slot i keeps the smallest mix(mix(f) ^ SEEDS[i]).
            let mut want = [u64::MAX; SIG_LEN];
            for &f in &features {
                for (i, slot) in want.iter_mut().enumerate() {
                    *slot = (*slot).min(mix(mix(f) ^ SEEDS[i]));
                }
            }
            assert_eq!(minhash_portable(&features), want, "{n} features");
            assert_eq!(minhash(&features), want, "{n} features");
            #[cfg(target_arch = "x86_64")]
            {
                if std::arch::is_x86_feature_detected!("avx2") {
                    // SAFETY: checked just above.
                    assert_eq!(
                        unsafe { minhash_avx2(&features) },
                        want,
                        "{n} features, AVX2"
                    );
                }
                if std::arch::is_x86_feature_detected!("avx512f")
                    && std::arch::is_x86_feature_detected!("avx512dq")
                {
                    // SAFETY: checked just above.
                    let got = unsafe { minhash_avx512(&features) };
                    assert_eq!(got, want, "{n} features, AVX-512");
                }
            }
        }
    }

    #[test]
    fn jaccard_at_least_agrees_with_jaccard_at_every_threshold() {
        let mut x = 7u64;
        let mut next = move || {
            x = mix(x);
            x
        };
        for round in 0..200 {
            // Lists sharing a varying share of features, long enough for the early stop.
            let shared: Vec<u64> = (0..(round % 7) * 40).map(|_| next() % 5000).collect();
            let mut a: Vec<u64> = shared.clone();
            let mut b: Vec<u64> = shared;
            a.extend((0..round % 50 * 3).map(|_| next() % 5000));
            b.extend((0..round % 31 * 5).map(|_| next() % 5000));
            for v in [&mut a, &mut b] {
                v.sort_unstable();
                v.dedup();
            }
            let exact = jaccard(&a, &b);
            for t in [0.0, 0.3, 0.5, 0.8, exact, 0.95, 1.0] {
                let want = (exact >= t).then_some(exact);
                assert_eq!(
                    jaccard_at_least(&a, &b, t),
                    want,
                    "round {round}, threshold {t}"
                );
            }
        }
    }

    #[test]
    fn jaccard_agrees_with_set_arithmetic_on_interleaved_lists() {
        use std::collections::BTreeSet;
        for seed in 0..50u64 {
            // Small values so that the lists overlap, interleave and end at different places.
            let list = |salt: u64, n: u64| -> Vec<u64> {
                let set: BTreeSet<u64> = (0..n).map(|k| mix(seed * 1000 + salt + k) % 40).collect();
                set.into_iter().collect()
            };
            let (a, b) = (list(1, seed % 23), list(500, seed % 17 + 1));
            let (sa, sb): (BTreeSet<u64>, BTreeSet<u64>) =
                (a.iter().copied().collect(), b.iter().copied().collect());
            let want = sa.intersection(&sb).count() as f64 / sa.union(&sb).count() as f64;
            assert_eq!(jaccard(&a, &b), want, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn near_copies_group_and_strangers_do_not() {
        let base: Vec<u64> = (0..100).map(mix).collect();
        let mut copy = base.clone();
        copy[0] = 7; // 99 of 101 shared: ~0.98
        let other: Vec<u64> = (1000..1100).map(mix).collect();
        let s = group(
            vec![
                node("envs/dev", base.clone()),
                node("envs/prod", copy),
                node("envs/stage", base),
                node("other", other),
            ],
            0.8,
        );
        assert_eq!(s.groups.len(), 1);
        assert_eq!(s.groups[0].nodes, vec![0, 1, 2]);
        assert!(s.groups[0].min > 0.95 && s.groups[0].max == 1.0);
    }

    #[test]
    fn identical_crowd_needs_few_comparisons() {
        let base: Vec<u64> = (0..50).map(mix).collect();
        let nodes: Vec<Node> = (0..2000)
            .map(|i| {
                let mut f = base.clone();
                f.push(mix(10_000 + i)); // each copy has one feature of its own
                node(&format!("s{i:04}"), f)
            })
            .collect();
        let s = group(nodes, 0.8);
        assert_eq!(s.groups.len(), 1);
        assert_eq!(s.groups[0].nodes.len(), 2000);
        assert!(s.comparisons < 2000 * 16, "{} comparisons", s.comparisons);
    }
}
