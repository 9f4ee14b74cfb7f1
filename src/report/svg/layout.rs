//! A layered (Sugiyama-style) layout for directed graphs, in plain Rust:
//!
//! 1. break cycles (depth-first, reversing back edges; the edges keep their direction
//!    when drawn);
//! 2. assign layers by longest path from the bottom: a node with no outgoing edge
//!    (a provider that depends on nothing) is on the bottom layer, and every node sits
//!    above everything it points to (consumers above providers);
//! 3. split edges that span several layers with dummy nodes;
//! 4. order each layer by barycentre sweeps, keeping the order with fewest crossings;
//! 5. place nodes horizontally by isotonic regression towards the mean position of
//!    their neighbours (exact least squares under the left-to-right order and the
//!    minimum gaps), alternating downward and upward sweeps.
//!
//! Deterministic: every tie is broken by node index, which callers sort by id.

use std::collections::BTreeSet;

#[derive(Debug, Clone)]
pub struct NodeSize {
    pub w: f64,
    pub h: f64,
}

#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Centre of each node.
    pub pos: Vec<(f64, f64)>,
    /// Per input edge, the polyline from the `from` node's border to the `to` node's.
    pub routes: Vec<Vec<(f64, f64)>>,
    pub width: f64,
    pub height: f64,
    /// Number of layers.
    pub layers: usize,
}

pub struct Params {
    /// Horizontal gap between neighbours in a layer.
    pub node_gap: f64,
    /// Vertical gap between layers.
    pub layer_gap: f64,
    /// Width reserved for an edge passing through a layer.
    pub dummy_width: f64,
    pub margin: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            node_gap: 28.0,
            layer_gap: 64.0,
            dummy_width: 14.0,
            margin: 16.0,
        }
    }
}

/// Ordering sweeps; the best order seen is kept.
const ORDER_SWEEPS: usize = 16;
/// Positioning sweeps.
const PLACE_SWEEPS: usize = 12;

/// Lays out `sizes.len()` nodes with `edges` (from, to): `from` is drawn above `to`.
pub fn layout(sizes: &[NodeSize], edges: &[(usize, usize)], p: &Params) -> Layout {
    let n = sizes.len();
    if n == 0 {
        return Layout::default();
    }
    // Distinct edges without self-loops, in a fixed order.
    let uniq: BTreeSet<(usize, usize)> = edges
        .iter()
        .copied()
        .filter(|(a, b)| a != b && *a < n && *b < n)
        .collect();
    let uniq: Vec<(usize, usize)> = uniq.into_iter().collect();
    let reversed = back_edges(n, &uniq);
    let dag: Vec<(usize, usize)> = uniq
        .iter()
        .zip(&reversed)
        .map(|(&(a, b), &r)| if r { (b, a) } else { (a, b) })
        .collect();
    let rank = ranks(n, &dag);
    let layers_n = rank.iter().copied().max().unwrap_or(0) + 1;

    // Virtual graph: real nodes, then dummies; each segment goes one layer down.
    let mut vrank: Vec<usize> = rank.clone();
    let mut vwidth: Vec<f64> = sizes.iter().map(|s| s.w).collect();
    let mut segs: Vec<(usize, usize)> = Vec::new();
    // Per distinct dag edge, its chain of virtual nodes from top to bottom.
    let mut chains: Vec<Vec<usize>> = Vec::with_capacity(dag.len());
    for &(a, b) in &dag {
        let mut chain = vec![a];
        let mut prev = a;
        let mut r = rank[a];
        while r > rank[b] + 1 {
            r -= 1;
            let d = vrank.len();
            vrank.push(r);
            vwidth.push(p.dummy_width);
            segs.push((prev, d));
            chain.push(d);
            prev = d;
        }
        segs.push((prev, b));
        chain.push(b);
        chains.push(chain);
    }
    let vn = vrank.len();
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); vn];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); vn];
    for &(a, b) in &segs {
        down[a].push(b);
        up[b].push(a);
    }

    // Layers, top (highest rank) first; initial order by index (ids).
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); layers_n];
    for v in 0..vn {
        layers[layers_n - 1 - vrank[v]].push(v);
    }
    order_layers(&mut layers, &up, &down);

    // Horizontal placement.
    let mut x = vec![0.0f64; vn];
    for layer in &layers {
        let mut cur = 0.0;
        for &v in layer {
            x[v] = cur + vwidth[v] / 2.0;
            cur += vwidth[v] + p.node_gap;
        }
    }
    // Centre layers on the widest one before relaxing.
    let span = |l: &Vec<usize>, x: &[f64]| -> f64 {
        match (l.first(), l.last()) {
            (Some(a), Some(b)) => x[*b] + vwidth[*b] / 2.0 - (x[*a] - vwidth[*a] / 2.0),
            _ => 0.0,
        }
    };
    let widest = layers.iter().map(|l| span(l, &x)).fold(0.0, f64::max);
    for l in &layers {
        let shift = (widest - span(l, &x)) / 2.0;
        for &v in l {
            x[v] += shift;
        }
    }
    for sweep in 0..PLACE_SWEEPS {
        let downward = sweep % 2 == 0;
        let idx: Vec<usize> = if downward {
            (1..layers.len()).collect()
        } else {
            (0..layers.len().saturating_sub(1)).rev().collect()
        };
        for li in idx {
            let layer = &layers[li];
            let desired: Vec<f64> = layer
                .iter()
                .map(|&v| {
                    let nb = if downward { &up[v] } else { &down[v] };
                    // Both sides on the last sweeps, for balance.
                    let both: Vec<usize> = if sweep + 2 >= PLACE_SWEEPS {
                        up[v].iter().chain(down[v].iter()).copied().collect()
                    } else {
                        nb.clone()
                    };
                    if both.is_empty() {
                        x[v]
                    } else {
                        both.iter().map(|u| x[*u]).sum::<f64>() / both.len() as f64
                    }
                })
                .collect();
            let weights: Vec<f64> = layer
                .iter()
                .map(|&v| if v >= n { 0.5 } else { 1.0 })
                .collect();
            let gaps: Vec<f64> = layer
                .windows(2)
                .map(|w| (vwidth[w[0]] + vwidth[w[1]]) / 2.0 + p.node_gap)
                .collect();
            let placed = place_in_order(&desired, &weights, &gaps);
            for (k, &v) in layer.iter().enumerate() {
                x[v] = placed[k];
            }
        }
    }
    let min_left = (0..vn)
        .map(|v| x[v] - vwidth[v] / 2.0)
        .fold(f64::INFINITY, f64::min);
    for xv in x.iter_mut() {
        *xv += p.margin - min_left;
    }
    let width = (0..vn).map(|v| x[v] + vwidth[v] / 2.0).fold(0.0, f64::max) + p.margin;

    // Vertical placement: each layer as tall as its tallest node.
    let mut layer_y = vec![0.0f64; layers.len()];
    let mut layer_h = vec![0.0f64; layers.len()];
    let mut y = p.margin;
    for (li, l) in layers.iter().enumerate() {
        let h = l
            .iter()
            .filter(|v| **v < n)
            .map(|v| sizes[*v].h)
            .fold(p.dummy_width, f64::max);
        layer_h[li] = h;
        layer_y[li] = y + h / 2.0;
        y += h + p.layer_gap;
    }
    let height = y - p.layer_gap + p.margin;
    let vy = |v: usize| layer_y[layers_n - 1 - vrank[v]];
    let pos: Vec<(f64, f64)> = (0..n).map(|v| (x[v], vy(v))).collect();

    // Routes: from the bottom of the upper node to the top of the lower one.
    let mut route_of_dag: Vec<Vec<(f64, f64)>> = Vec::with_capacity(chains.len());
    for chain in &chains {
        let mut pts = Vec::with_capacity(chain.len() + 2);
        for (k, &v) in chain.iter().enumerate() {
            let (cx, cy) = (x[v], vy(v));
            if v < n {
                let h = sizes[v].h / 2.0;
                pts.push((cx, if k == 0 { cy + h } else { cy - h }));
            } else {
                let lh = layer_h[layers_n - 1 - vrank[v]] / 2.0;
                pts.push((cx, cy - lh));
                pts.push((cx, cy + lh));
            }
        }
        route_of_dag.push(pts);
    }
    let routes = route_of_dag
        .into_iter()
        .zip(&reversed)
        .map(|(mut r, rev)| {
            if *rev {
                r.reverse();
            }
            r
        })
        .collect::<Vec<_>>();
    // Map distinct edges back to the caller's edge list.
    let routes = edges
        .iter()
        .map(|e| match uniq.binary_search(e) {
            Ok(i) => routes[i].clone(),
            Err(_) => Vec::new(),
        })
        .collect();
    Layout {
        pos,
        routes,
        width,
        height,
        layers: layers_n,
    }
}

/// Edges to reverse to make the graph acyclic: back edges of an iterative depth-first
/// search started from nodes in index order.
fn back_edges(n: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    let mut out_idx: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, (a, _)) in edges.iter().enumerate() {
        out_idx[*a].push(i);
    }
    // 0 unvisited, 1 on stack, 2 done
    let mut state = vec![0u8; n];
    let mut rev = vec![false; edges.len()];
    for s in 0..n {
        if state[s] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(s, 0)];
        state[s] = 1;
        while let Some(&mut (v, ref mut k)) = stack.last_mut() {
            if let Some(&ei) = out_idx[v].get(*k) {
                *k += 1;
                let w = edges[ei].1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => rev[ei] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    rev
}

/// Longest path to a sink: sinks are 0, every node is above what it points to.
fn ranks(n: usize, dag: &[(usize, usize)]) -> Vec<usize> {
    let mut outdeg = vec![0usize; n];
    let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in dag {
        outdeg[a] += 1;
        preds[b].push(a);
    }
    let mut rank = vec![0usize; n];
    let mut queue: Vec<usize> = (0..n).filter(|v| outdeg[*v] == 0).collect();
    let mut head = 0;
    while head < queue.len() {
        let v = queue[head];
        head += 1;
        for &u in &preds[v] {
            rank[u] = rank[u].max(rank[v] + 1);
            outdeg[u] -= 1;
            if outdeg[u] == 0 {
                queue.push(u);
            }
        }
    }
    rank
}

fn order_layers(layers: &mut [Vec<usize>], up: &[Vec<usize>], down: &[Vec<usize>]) {
    let vn = up.len();
    let mut pos = vec![0usize; vn];
    let set_pos = |layers: &[Vec<usize>], pos: &mut Vec<usize>| {
        for l in layers {
            for (i, v) in l.iter().enumerate() {
                pos[*v] = i;
            }
        }
    };
    set_pos(layers, &mut pos);
    let mut best = layers.to_vec();
    let mut best_cross = crossings(layers, down, &pos);
    for sweep in 0..ORDER_SWEEPS {
        if best_cross == 0 {
            break;
        }
        let downward = sweep % 2 == 0;
        let idx: Vec<usize> = if downward {
            (1..layers.len()).collect()
        } else {
            (0..layers.len().saturating_sub(1)).rev().collect()
        };
        for li in idx {
            let mut keyed: Vec<(f64, usize, usize)> = layers[li]
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let nb = if downward { &up[v] } else { &down[v] };
                    let bc = if nb.is_empty() {
                        i as f64
                    } else {
                        nb.iter().map(|u| pos[*u] as f64).sum::<f64>() / nb.len() as f64
                    };
                    (bc, i, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[li] = keyed.into_iter().map(|k| k.2).collect();
            for (i, v) in layers[li].iter().enumerate() {
                pos[*v] = i;
            }
        }
        let c = crossings(layers, down, &pos);
        if c < best_cross {
            best_cross = c;
            best = layers.to_vec();
        }
    }
    layers.clone_from_slice(&best);
}

/// Edge crossings between consecutive layers (inversions, counted with a Fenwick tree).
fn crossings(layers: &[Vec<usize>], down: &[Vec<usize>], pos: &[usize]) -> usize {
    let mut total = 0;
    for li in 0..layers.len().saturating_sub(1) {
        let lower_len = layers[li + 1].len();
        let mut segs: Vec<(usize, usize)> = Vec::new();
        for &v in &layers[li] {
            for &w in &down[v] {
                segs.push((pos[v], pos[w]));
            }
        }
        segs.sort_unstable();
        let mut tree = vec![0usize; lower_len + 1];
        for (k, &(_, b)) in segs.iter().enumerate() {
            // Count earlier segments whose lower end is after b.
            let mut i = b + 1;
            let mut le = 0;
            while i > 0 {
                le += tree[i];
                i -= i & i.wrapping_neg();
            }
            total += k - le;
            let mut i = b + 1;
            while i <= lower_len {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}

/// Positions closest (weighted least squares) to `desired`, keeping the order and at
/// least `gaps[i]` between item i and i+1: pool-adjacent-violators on the positions
/// shifted by the cumulative gaps.
pub fn place_in_order(desired: &[f64], weights: &[f64], gaps: &[f64]) -> Vec<f64> {
    let k = desired.len();
    let mut offset = vec![0.0; k];
    for i in 1..k {
        offset[i] = offset[i - 1] + gaps.get(i - 1).copied().unwrap_or(0.0);
    }
    // Blocks of (weighted mean, weight, count).
    let mut blocks: Vec<(f64, f64, usize)> = Vec::with_capacity(k);
    for i in 0..k {
        let w = weights.get(i).copied().unwrap_or(1.0).max(1e-6);
        blocks.push((desired[i] - offset[i], w, 1));
        while blocks.len() >= 2 {
            let (m2, w2, c2) = blocks[blocks.len() - 1];
            let (m1, w1, c1) = blocks[blocks.len() - 2];
            if m1 <= m2 {
                break;
            }
            blocks.pop();
            blocks.pop();
            blocks.push(((m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2));
        }
    }
    let mut out = Vec::with_capacity(k);
    for (m, _, c) in blocks {
        for _ in 0..c {
            let i = out.len();
            out.push(m + offset[i]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sz(n: usize) -> Vec<NodeSize> {
        (0..n).map(|_| NodeSize { w: 100.0, h: 40.0 }).collect()
    }

    #[test]
    fn providers_are_below_consumers() {
        // 0 -> 1 -> 2, 0 -> 2
        let l = layout(&sz(3), &[(0, 1), (1, 2), (0, 2)], &Params::default());
        assert!(l.pos[0].1 < l.pos[1].1 && l.pos[1].1 < l.pos[2].1);
        assert_eq!(l.layers, 3);
        // The long edge 0 -> 2 passes a dummy: 4 points (two per dummy) + 2 ends.
        assert_eq!(l.routes[2].len(), 4);
    }

    #[test]
    fn nodes_in_a_layer_never_overlap() {
        let edges: Vec<(usize, usize)> = (1..12).map(|i| (i, 0)).collect();
        let l = layout(&sz(12), &edges, &Params::default());
        let mut xs: Vec<f64> = (1..12).map(|i| l.pos[i].0).collect();
        xs.sort_by(f64::total_cmp);
        for w in xs.windows(2) {
            assert!(w[1] - w[0] >= 100.0 + 28.0 - 1e-6, "{xs:?}");
        }
        // The shared provider is centred under its consumers.
        let mid = (xs[0] + xs[10]) / 2.0;
        assert!((l.pos[0].0 - mid).abs() < 1.0);
    }

    #[test]
    fn cycles_are_laid_out_and_keep_their_direction() {
        let l = layout(&sz(2), &[(0, 1), (1, 0)], &Params::default());
        assert_eq!(l.layers, 2);
        let r0 = &l.routes[0];
        let r1 = &l.routes[1];
        // Each route starts at its own `from` node.
        let near = |p: (f64, f64), c: (f64, f64)| (p.1 - c.1).abs() <= 20.0 + 1e-6;
        assert!(near(r0[0], l.pos[0]) && near(*r0.last().unwrap(), l.pos[1]));
        assert!(near(r1[0], l.pos[1]) && near(*r1.last().unwrap(), l.pos[0]));
    }

    #[test]
    fn barycentre_ordering_removes_crossings() {
        // Two consumers on top, two providers below, wired crosswise.
        let edges = [(0, 3), (1, 2)];
        let l = layout(&sz(4), &edges, &Params::default());
        let a = l.pos[0].0 < l.pos[1].0;
        let b = l.pos[3].0 < l.pos[2].0;
        assert_eq!(a, b, "edges cross: {:?}", l.pos);
    }

    #[test]
    fn isotonic_placement_respects_gaps() {
        let out = place_in_order(&[10.0, 10.0, 10.0], &[1.0, 1.0, 1.0], &[5.0, 5.0]);
        assert_eq!(out, vec![5.0, 10.0, 15.0]);
        let out = place_in_order(&[0.0, 100.0], &[1.0, 1.0], &[5.0]);
        assert_eq!(out, vec![0.0, 100.0]);
    }
}
