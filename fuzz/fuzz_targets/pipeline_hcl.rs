//! Structured HCL: an arbitrary tree of blocks, attributes and expressions rendered as
//! Terraform/Terragrunt text (so the fuzzer spends its time past the parser), through the
//! whole pipeline.
#![no_main]
use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use stacklint::check::{lint, Selection};
use stacklint::config::Config;

#[derive(Arbitrary, Debug)]
enum Expr {
    Str(u8),
    Num(i16),
    Bool(bool),
    Ref(u8, u8, u8),
    Tmpl(u8, Box<Expr>),
    List(Vec<Expr>),
    Obj(Vec<(u8, Expr)>),
    Call(u8, Vec<Expr>),
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    For(Box<Expr>, Box<Expr>),
}

#[derive(Arbitrary, Debug)]
enum Item {
    Attr(u8, Expr),
    Block(u8, Vec<u8>, Vec<Item>),
}

const WORDS: &[&str] = &[
    "terraform", "backend", "s3", "resource", "data", "module", "output", "variable", "locals",
    "provider", "aws_vpc", "aws_ssm_parameter", "terraform_remote_state", "tfe_outputs", "config",
    "bucket", "key", "name", "tags", "count", "for_each", "source", "dependency", "config_path",
    "dependencies", "paths", "include", "path", "remote_state", "inputs", "stack", "after",
    "before", "workspace", "outputs", "value", "environment", "prod", "dev", "../net",
    "./modules/m", "../../modules/m", "main", "vpc_id", "enable_x", "dynamic", "content",
    "generate", "contents", "cloud", "organization", "workspaces", "prefix", "default",
];
const ROOTS: &[&str] = &["var", "local", "data", "module", "dependency", "each", "aws_vpc", "terraform", "path", "include"];
const FUNCS: &[&str] = &[
    "format", "join", "lower", "replace", "trimsuffix", "lookup", "merge", "try", "concat",
    "find_in_parent_folders", "path_relative_to_include", "get_terragrunt_dir",
    "read_terragrunt_config", "get_env", "split", "element", "coalesce", "toset",
];

fn w(i: u8) -> &'static str {
    WORDS[i as usize % WORDS.len()]
}

fn render_expr(e: &Expr, depth: usize, out: &mut String) {
    if depth > 12 {
        out.push_str("null");
        return;
    }
    match e {
        Expr::Str(i) => out.push_str(&format!("{:?}", w(*i))),
        Expr::Num(n) => out.push_str(&n.to_string()),
        Expr::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Expr::Ref(r, a, b) => out.push_str(&format!("{}.{}.{}", ROOTS[*r as usize % ROOTS.len()], w(*a), w(*b))),
        Expr::Tmpl(i, inner) => {
            out.push('"');
            out.push_str(w(*i));
            out.push_str("/${");
            render_expr(inner, depth + 1, out);
            out.push_str("}\"");
        }
        Expr::List(items) => {
            out.push('[');
            for it in items.iter().take(6) {
                render_expr(it, depth + 1, out);
                out.push_str(", ");
            }
            out.push(']');
        }
        Expr::Obj(items) => {
            out.push_str("{\n");
            for (k, v) in items.iter().take(6) {
                out.push_str(w(*k));
                out.push_str(" = ");
                render_expr(v, depth + 1, out);
                out.push('\n');
            }
            out.push('}');
        }
        Expr::Call(f, args) => {
            out.push_str(FUNCS[*f as usize % FUNCS.len()]);
            out.push('(');
            for (i, a) in args.iter().take(4).enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                render_expr(a, depth + 1, out);
            }
            out.push(')');
        }
        Expr::Cond(c, t, f) => {
            render_expr(c, depth + 1, out);
            out.push_str(" ? ");
            render_expr(t, depth + 1, out);
            out.push_str(" : ");
            render_expr(f, depth + 1, out);
        }
        Expr::For(c, v) => {
            out.push_str("[for x in ");
            render_expr(c, depth + 1, out);
            out.push_str(" : ");
            render_expr(v, depth + 1, out);
            out.push(']');
        }
    }
}

fn render_items(items: &[Item], depth: usize, out: &mut String) {
    for it in items.iter().take(12) {
        match it {
            Item::Attr(k, e) => {
                out.push_str(w(*k));
                out.push_str(" = ");
                render_expr(e, 0, out);
                out.push('\n');
            }
            Item::Block(k, labels, body) if depth < 4 => {
                out.push_str(w(*k));
                for l in labels.iter().take(2) {
                    out.push_str(&format!(" {:?}", w(*l)));
                }
                out.push_str(" {\n");
                render_items(body, depth + 1, out);
                out.push_str("}\n");
            }
            Item::Block(..) => {}
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Tree {
    files: Vec<(u8, Vec<Item>)>,
}

const PATHS: &[&str] = &[
    "live/app/main.tf",
    "live/net/main.tf",
    "live/app/prod.tfvars",
    "root.hcl",
    "tg/vpc/terragrunt.hcl",
    "tg/eks/terragrunt.hcl",
    "tm/stacks/a/stack.tm.hcl",
    "tm/stacks/a/main.tf",
    "modules/m/main.tf",
];

fuzz_target!(|tree: Tree| {
    let files: Vec<(String, Vec<u8>)> = tree
        .files
        .iter()
        .take(9)
        .map(|(p, items)| {
            let mut text = String::new();
            render_items(items, 0, &mut text);
            (PATHS[*p as usize % PATHS.len()].to_string(), text.into_bytes())
        })
        .collect();
    let a = stacklint::pipeline::analyze_in_memory(std::path::Path::new("/nonexistent/fuzz"), files);
    let _ = lint(&a, &Config::empty(), &Selection::default());
});
