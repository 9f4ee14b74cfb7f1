use super::*;
use crate::parse::parse_body_str;

struct Vars(Vec<(&'static str, Value)>);

impl Scope for Vars {
    fn resolve(&self, root: &str, attr: Option<&str>) -> Option<(Value, usize)> {
        if root != "var" {
            return None;
        }
        let name = attr?;
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| (v.clone(), 1))
    }
}

fn ev(src: &str, scope: &dyn Scope) -> Value {
    let body = parse_body_str(&format!("x = {src}\n")).expect("test expression parses");
    eval(&body.attrs[0].expr, scope)
}

fn s(v: &str) -> Value {
    Value::Str(v.to_string())
}

#[test]
fn interpolation_and_functions() {
    let vars = Vars(vec![("env", s("prod")), ("name", s("Net"))]);
    assert_eq!(
        ev(r#""${var.env}/network.tfstate""#, &vars),
        s("prod/network.tfstate")
    );
    assert_eq!(
        ev(r#"format("%s-%s-%d", var.env, lower(var.name), 3)"#, &vars),
        s("prod-net-3")
    );
    assert_eq!(
        ev(r#"join("/", ["a", var.env, "b"])"#, &vars),
        s("a/prod/b")
    );
    assert_eq!(ev(r#"replace("a-b-c", "-", "_")"#, &vars), s("a_b_c"));
    assert_eq!(
        ev(r#"trimsuffix("net.tfstate", ".tfstate")"#, &vars),
        s("net")
    );
    assert_eq!(ev(r#"lookup({a = "x"}, "b", "y")"#, &vars), s("y"));
    assert_eq!(ev(r#"var.env == "prod" ? "p" : "np""#, &vars), s("p"));
    assert_eq!(ev(r#"try({a = 1}.b, "fallback")"#, &vars), s("fallback"));
    assert_eq!(
        ev(r#"merge({a = 1}, {b = 2})["b"]"#, &vars),
        Value::Number(2.0)
    );
    assert_eq!(
        ev(
            r#"[for k, v in {a = "1", b = "2"} : "${k}=${v}" if k != "a"]"#,
            &vars
        ),
        Value::List(vec![s("b=2")])
    );
}

#[test]
fn unknown_parts_become_wildcards() {
    let vars = Vars(vec![]);
    let v = ev(r#""${var.env}/network.tfstate""#, &vars);
    assert_eq!(v.to_string(), "*/network.tfstate");
    assert!(!v.is_known());
    assert_eq!(ev(r#"upper("${var.x}-a")"#, &vars).to_string(), "*-A");
    assert_eq!(
        ev("data.aws_caller_identity.me.account_id", &vars),
        Value::Unknown
    );
    assert_eq!(
        ev(r#"replace(var.x, "/[a-z]/", "")"#, &vars),
        Value::Unknown
    );
}

#[test]
fn self_referencing_locals_do_not_recurse_forever() {
    struct Loop;
    impl Scope for Loop {
        fn resolve(&self, _root: &str, _attr: Option<&str>) -> Option<(Value, usize)> {
            let body = parse_body_str("x = local.a\n").ok()?;
            Some((eval(&body.attrs[0].expr, self), 1))
        }
    }
    // Evaluations run on 8 MiB threads in stacklint (see pipeline::THREAD_STACK).
    let v = std::thread::Builder::new()
        .stack_size(crate::pipeline::THREAD_STACK)
        .spawn(|| ev("local.a", &Loop))
        .expect("spawn")
        .join()
        .expect("no panic");
    assert_eq!(v, Value::Unknown);
}

#[test]
fn try_skips_errors_but_not_unknown_inputs() {
    let vars = Vars(vec![(
        "cfg",
        Value::Map([("a".to_string(), s("x"))].into()),
    )]);
    // A missing attribute of a known object is an error: try() falls through.
    assert_eq!(
        ev(r#"try(var.cfg.backend_type, "azurerm")"#, &vars),
        s("azurerm")
    );
    assert_eq!(ev(r#"try(var.cfg.a, "b")"#, &vars), s("x"));
    assert_eq!(ev(r#"can(var.cfg.nope)"#, &vars), Value::Bool(false));
    // An unknown input is not an error: the result stays unknown.
    assert_eq!(
        ev(r#"try(var.missing.tfstates, {})"#, &vars),
        Value::Unknown
    );
    assert_eq!(ev(r#"can(var.missing)"#, &vars), Value::Unknown);
    // An inner try that recovered does not make the outer one fall through.
    assert_eq!(ev(r#"try(try(var.cfg.nope, "in"), "out")"#, &vars), s("in"));
}
