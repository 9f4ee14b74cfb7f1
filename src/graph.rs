//! The stack graph: consumer -> provider edges collapsed over mechanisms, with the
//! metrics the coupling rules and reports use: afferent/efferent coupling, instability,
//! depth (longest dependency path), and cycles (strongly connected components).
//! Every step is linear in stacks + edges except cycle enumeration, which is bounded.

use crate::link::{Edge, Links};
use crate::model::Workspace;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Default)]
pub struct StackMetrics {
    /// Stacks that depend on this one.
    pub ca: usize,
    /// Stacks this one depends on.
    pub ce: usize,
    pub instability: f64,
    /// Longest dependency path (in edges) starting here; a cycle counts once.
    pub depth: usize,
    /// Index of the strongly connected component, when it is a cycle (2+ stacks).
    pub cycle: Option<usize>,
    /// Distinct outputs other stacks read from this one.
    pub outputs_read: BTreeSet<String>,
}

#[derive(Debug, Clone, Default)]
pub struct StackGraph {
    pub metrics: Vec<StackMetrics>,
    /// Distinct providers per stack, sorted.
    pub depends_on: Vec<Vec<usize>>,
    /// Distinct consumers per stack, sorted.
    pub depended_on_by: Vec<Vec<usize>>,
    /// Strongly connected components with 2+ stacks, each sorted; sorted by first id.
    pub cycles: Vec<Vec<usize>>,
    /// For each stack, the next stack on its longest dependency path.
    next_on_longest: Vec<Option<usize>>,
}

/// At most this many distinct cycles are listed per strongly connected component.
pub const MAX_CYCLES_PER_COMPONENT: usize = 50;

impl StackGraph {
    pub fn build(ws: &Workspace, links: &Links) -> StackGraph {
        let n = ws.stacks.len();
        let mut depends_on: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        let mut depended_on_by: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        let mut outputs_read: Vec<BTreeSet<String>> = vec![BTreeSet::new(); n];
        for e in &links.edges {
            depends_on[e.from].insert(e.to);
            depended_on_by[e.to].insert(e.from);
            outputs_read[e.to].extend(e.outputs.iter().cloned());
        }
        let mut g: DiGraph<usize, ()> = DiGraph::with_capacity(n, links.edges.len());
        let nodes: Vec<NodeIndex> = (0..n).map(|i| g.add_node(i)).collect();
        for (from, tos) in depends_on.iter().enumerate() {
            for to in tos {
                g.add_edge(nodes[from], nodes[*to], ());
            }
        }
        // tarjan_scc yields components in reverse topological order: a component comes
        // after every component it depends on, so depths can be filled in one pass.
        let sccs = tarjan_scc(&g);
        let mut comp_of = vec![0usize; n];
        for (c, members) in sccs.iter().enumerate() {
            for m in members {
                comp_of[g[*m]] = c;
            }
        }
        let mut comp_depth = vec![0usize; sccs.len()];
        let mut comp_next: Vec<Option<usize>> = vec![None; sccs.len()];
        for (c, members) in sccs.iter().enumerate() {
            let mut best: Option<(usize, usize)> = None;
            for m in members {
                for to in &depends_on[g[*m]] {
                    let tc = comp_of[*to];
                    if tc == c {
                        continue;
                    }
                    let d = comp_depth[tc] + 1;
                    if best.is_none_or(|(bd, bt)| {
                        d > bd || (d == bd && ws.stacks[*to].id < ws.stacks[bt].id)
                    }) {
                        best = Some((d, *to));
                    }
                }
            }
            if let Some((d, to)) = best {
                comp_depth[c] = d;
                comp_next[c] = Some(to);
            }
        }
        let mut cycles: Vec<Vec<usize>> = sccs
            .iter()
            .filter(|m| m.len() > 1)
            .map(|m| {
                let mut v: Vec<usize> = m.iter().map(|x| g[*x]).collect();
                v.sort_by(|a, b| ws.stacks[*a].id.cmp(&ws.stacks[*b].id));
                v
            })
            .collect();
        cycles.sort_by(|a, b| ws.stacks[a[0]].id.cmp(&ws.stacks[b[0]].id));
        let mut metrics: Vec<StackMetrics> = (0..n)
            .map(|i| {
                let ca = depended_on_by[i].len();
                let ce = depends_on[i].len();
                StackMetrics {
                    ca,
                    ce,
                    instability: if ca + ce == 0 {
                        0.0
                    } else {
                        ce as f64 / (ca + ce) as f64
                    },
                    depth: comp_depth[comp_of[i]],
                    cycle: None,
                    outputs_read: std::mem::take(&mut outputs_read[i]),
                }
            })
            .collect();
        for (ci, members) in cycles.iter().enumerate() {
            for m in members {
                metrics[*m].cycle = Some(ci);
            }
        }
        let next_on_longest = (0..n).map(|i| comp_next[comp_of[i]]).collect();
        StackGraph {
            metrics,
            depends_on: depends_on
                .into_iter()
                .map(|s| s.into_iter().collect())
                .collect(),
            depended_on_by: depended_on_by
                .into_iter()
                .map(|s| s.into_iter().collect())
                .collect(),
            cycles,
            next_on_longest,
        }
    }

    /// The longest dependency path from a stack (the stack first).
    pub fn longest_path(&self, from: usize) -> Vec<usize> {
        let mut path = vec![from];
        let mut cur = from;
        while let Some(next) = self.next_on_longest.get(cur).copied().flatten() {
            if path.contains(&next) {
                break;
            }
            path.push(next);
            cur = next;
        }
        path
    }

    /// Elementary cycles inside one component, each as a stack sequence starting at its
    /// smallest id, at most `MAX_CYCLES_PER_COMPONENT` (and whether there were more).
    pub fn elementary_cycles(
        &self,
        ws: &Workspace,
        component: &[usize],
    ) -> (Vec<Vec<usize>>, bool) {
        let members: BTreeSet<usize> = component.iter().copied().collect();
        let mut order: Vec<usize> = component.to_vec();
        order.sort_by(|a, b| ws.stacks[*a].id.cmp(&ws.stacks[*b].id));
        let rank = |s: usize| order.iter().position(|x| *x == s).unwrap_or(usize::MAX);
        let mut out = Vec::new();
        let mut truncated = false;
        'starts: for (si, &start) in order.iter().enumerate() {
            // Depth-first search for paths back to `start` through stacks ranked after it,
            // so each cycle is found once, from its smallest member.
            let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
            let mut path = vec![start];
            while let Some((node, next_idx)) = stack.pop() {
                let succ: Vec<usize> = self.depends_on[node]
                    .iter()
                    .copied()
                    .filter(|s| members.contains(s) && rank(*s) >= si)
                    .collect();
                if next_idx < succ.len() {
                    stack.push((node, next_idx + 1));
                    let s = succ[next_idx];
                    if s == start {
                        out.push(path.clone());
                        if out.len() >= MAX_CYCLES_PER_COMPONENT {
                            truncated = true;
                            break 'starts;
                        }
                    } else if !path.contains(&s) {
                        path.push(s);
                        stack.push((s, 0));
                    }
                } else {
                    path.pop();
                }
            }
        }
        (out, truncated)
    }

    /// Edges between two stacks (all mechanisms), in output order.
    pub fn edges_between(links: &Links, from: usize, to: usize) -> impl Iterator<Item = &Edge> {
        links
            .edges
            .iter()
            .filter(move |e| e.from == from && e.to == to)
    }
}
