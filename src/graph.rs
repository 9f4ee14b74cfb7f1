//! The stack graph: consumer -> provider edges collapsed over mechanisms, with the
//! metrics the coupling rules and reports use: afferent/efferent coupling, instability,
//! depth (longest dependency path), and cycles (strongly connected components).
//! Every step is linear in stacks + edges except cycle enumeration, which is bounded.

use crate::link::{Edge, Links};
use crate::model::Workspace;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

#[derive(Debug, Clone, Default)]
pub struct StackMetrics {
    /// Stacks that depend on this one.
    pub ca: usize,
    /// Stacks this one depends on.
    pub ce: usize,
    pub instability: f64,
    /// Longest dependency path starting here, in levels: the number of edges on the
    /// longest path of the condensed graph, where the stacks of a cycle form one node
    /// (so every member of a cycle has the same depth, and the cycle adds no length).
    pub depth: usize,
    /// Index of the strongly connected component, when it is a cycle (2+ stacks).
    pub cycle: Option<usize>,
    /// Distinct outputs other stacks read from this one by name.
    pub outputs_read: BTreeSet<String>,
    /// Some consumer reads the whole outputs object or a computed key, so any output
    /// may be read.
    pub outputs_read_dynamically: bool,
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
    /// Strongly connected component of each stack.
    comp_of: Vec<usize>,
    /// Per component, the edge that leaves it on its longest path: (member, target).
    comp_exit: Vec<Option<(usize, usize)>>,
}

/// At most this many distinct cycles are listed per strongly connected component.
pub const MAX_CYCLES_PER_COMPONENT: usize = 50;

impl StackGraph {
    pub fn build(ws: &Workspace, links: &Links) -> StackGraph {
        let n = ws.stacks.len();
        let mut depends_on: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        let mut depended_on_by: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        let mut outputs_read: Vec<BTreeSet<String>> = vec![BTreeSet::new(); n];
        let mut read_dynamically = vec![false; n];
        for e in &links.edges {
            depends_on[e.from].insert(e.to);
            depended_on_by[e.to].insert(e.from);
            outputs_read[e.to].extend(e.outputs.iter().cloned());
            read_dynamically[e.to] |= e.dynamic_reads;
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
        let mut comp_exit: Vec<Option<(usize, usize)>> = vec![None; sccs.len()];
        for (c, members) in sccs.iter().enumerate() {
            // (depth, member, target): deepest first, then the smallest ids.
            let mut best: Option<(usize, usize, usize)> = None;
            for m in members {
                let from = g[*m];
                for to in &depends_on[from] {
                    let tc = comp_of[*to];
                    if tc == c {
                        continue;
                    }
                    let d = comp_depth[tc] + 1;
                    let key = |f: usize, t: usize| (&ws.stacks[t].id, &ws.stacks[f].id);
                    if best.is_none_or(|(bd, bf, bt)| {
                        d > bd || (d == bd && key(from, *to) < key(bf, bt))
                    }) {
                        best = Some((d, from, *to));
                    }
                }
            }
            if let Some((d, from, to)) = best {
                comp_depth[c] = d;
                comp_exit[c] = Some((from, to));
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
                    outputs_read_dynamically: read_dynamically[i],
                }
            })
            .collect();
        for (ci, members) in cycles.iter().enumerate() {
            for m in members {
                metrics[*m].cycle = Some(ci);
            }
        }
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
            comp_of,
            comp_exit,
        }
    }

    /// The longest dependency path from a stack (the stack first), as real edges: where
    /// the path crosses a cycle, it includes the hops inside the cycle to the member
    /// that leaves it, so the path can be longer than `depth` (which counts a cycle as
    /// one level).
    pub fn longest_path(&self, from: usize) -> Vec<usize> {
        let mut path = vec![from];
        let mut cur = from;
        // Each step moves to a component further down the condensed graph, so the loop
        // ends after at most one visit per component.
        while let Some((exit, to)) = self
            .comp_of
            .get(cur)
            .and_then(|c| self.comp_exit.get(*c))
            .copied()
            .flatten()
        {
            if exit != cur {
                path.extend(self.path_within_component(cur, exit));
            }
            path.push(to);
            cur = to;
        }
        path
    }

    /// The shortest path from `from` to `to` inside their (shared) component, without
    /// `from` itself; empty when `to` cannot be reached that way.
    fn path_within_component(&self, from: usize, to: usize) -> Vec<usize> {
        let comp = self.comp_of[from];
        let mut prev: BTreeMap<usize, usize> = BTreeMap::new();
        let mut queue = VecDeque::from([from]);
        while let Some(s) = queue.pop_front() {
            if s == to {
                break;
            }
            for next in &self.depends_on[s] {
                if self.comp_of[*next] == comp && *next != from && !prev.contains_key(next) {
                    prev.insert(*next, s);
                    queue.push_back(*next);
                }
            }
        }
        let mut out = Vec::new();
        let mut cur = to;
        while cur != from {
            out.push(cur);
            match prev.get(&cur) {
                Some(p) => cur = *p,
                None => return Vec::new(),
            }
        }
        out.reverse();
        out
    }

    /// Are two stacks members of the same cycle?
    pub fn same_cycle(&self, a: usize, b: usize) -> bool {
        match (self.metrics.get(a), self.metrics.get(b)) {
            (Some(x), Some(y)) => x.cycle.is_some() && x.cycle == y.cycle,
            _ => false,
        }
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

    /// Edges between two stacks (all mechanisms), in output order. Edges are sorted by
    /// (consumer id, provider id, mechanism) and stacks by id, so this is a binary
    /// search, not a scan.
    pub fn edges_between(links: &Links, from: usize, to: usize) -> impl Iterator<Item = &Edge> {
        let start = links.edges.partition_point(|e| (e.from, e.to) < (from, to));
        links
            .edges
            .get(start..)
            .unwrap_or_default()
            .iter()
            .take_while(move |e| e.from == from && e.to == to)
    }
}
