//! Terraform built-in functions that matter for names and addresses, evaluated where
//! their inputs are static. Anything that reads files, the network, the clock or
//! randomness stays unknown.

use super::value::{number_to_string, Pattern, Value};
use std::collections::BTreeMap;

pub fn call(name: &str, args: &[Value]) -> Value {
    match name {
        "format" => format(args),
        "join" => join(args),
        "lower" => map_str(args, |s| s.to_lowercase()),
        "upper" => map_str(args, |s| s.to_uppercase()),
        "title" => map_str(args, title),
        "trimspace" => str_fn(args, |s| s.trim().to_string()),
        "chomp" => str_fn(args, |s| s.trim_end_matches(['\n', '\r']).to_string()),
        "trimsuffix" => str2(args, |s, x| s.strip_suffix(x).unwrap_or(s).to_string()),
        "trimprefix" => str2(args, |s, x| s.strip_prefix(x).unwrap_or(s).to_string()),
        "trim" => str2(args, |s, x| s.trim_matches(|c| x.contains(c)).to_string()),
        "replace" => replace(args),
        "split" => match (arg_str(args, 0), arg_str(args, 1)) {
            (Some(sep), Some(s)) if !sep.is_empty() => {
                Value::List(s.split(&*sep).map(|p| Value::Str(p.to_string())).collect())
            }
            _ => Value::Unknown,
        },
        "substr" => substr(args),
        "basename" => str_fn(args, |s| s.rsplit('/').next().unwrap_or("").to_string()),
        "dirname" => str_fn(args, |s| match s.rfind('/') {
            Some(0) => "/".to_string(),
            Some(i) => s[..i].to_string(),
            None => ".".to_string(),
        }),
        "tostring" | "tonumber" | "tobool" | "tolist" | "tomap" | "sensitive" | "nonsensitive" => {
            args.first().cloned().unwrap_or(Value::Unknown)
        }
        "toset" | "distinct" => match args.first() {
            Some(Value::List(items)) => {
                let mut out: Vec<Value> = Vec::new();
                for i in items {
                    if !out.contains(i) {
                        out.push(i.clone());
                    }
                }
                Value::List(out)
            }
            _ => Value::Unknown,
        },
        "concat" => {
            let mut out = Vec::new();
            for a in args {
                match a {
                    Value::List(items) => out.extend(items.iter().cloned()),
                    _ => return Value::Unknown,
                }
            }
            Value::List(out)
        }
        "flatten" => match args.first() {
            Some(v @ Value::List(_)) => {
                let mut out = Vec::new();
                flatten_into(v, &mut out);
                Value::List(out)
            }
            _ => Value::Unknown,
        },
        "compact" => match args.first() {
            Some(Value::List(items)) => Value::List(
                items
                    .iter()
                    .filter(|v| !matches!(v, Value::Null) && v.as_str().as_deref() != Some(""))
                    .cloned()
                    .collect(),
            ),
            _ => Value::Unknown,
        },
        "merge" => {
            let mut out = BTreeMap::new();
            for a in args {
                match a {
                    Value::Map(m) => out.extend(m.iter().map(|(k, v)| (k.clone(), v.clone()))),
                    Value::Null => {}
                    _ => return Value::Unknown,
                }
            }
            Value::Map(out)
        }
        "lookup" => match (args.first(), arg_str(args, 1)) {
            (Some(Value::Map(m)), Some(k)) => m
                .get(&k)
                .cloned()
                .or_else(|| args.get(2).cloned())
                .unwrap_or(Value::Unknown),
            _ => Value::Unknown,
        },
        "element" => match (args.first(), args.get(1).and_then(Value::as_number)) {
            (Some(Value::List(items)), Some(i)) if !items.is_empty() && i >= 0.0 => {
                items[(i as usize) % items.len()].clone()
            }
            _ => Value::Unknown,
        },
        "keys" => match args.first() {
            Some(Value::Map(m)) => Value::List(m.keys().map(|k| Value::Str(k.clone())).collect()),
            _ => Value::Unknown,
        },
        "values" => match args.first() {
            Some(Value::Map(m)) => Value::List(m.values().cloned().collect()),
            _ => Value::Unknown,
        },
        "length" => match args.first() {
            Some(Value::List(l)) => Value::Number(l.len() as f64),
            Some(Value::Map(m)) => Value::Number(m.len() as f64),
            Some(Value::Str(s)) => Value::Number(s.chars().count() as f64),
            _ => Value::Unknown,
        },
        "contains" => match (args.first(), args.get(1)) {
            (Some(Value::List(l)), Some(v)) if l.iter().all(Value::is_fully_known) => {
                if !v.is_fully_known() {
                    Value::Unknown
                } else {
                    Value::Bool(l.contains(v))
                }
            }
            _ => Value::Unknown,
        },
        "startswith" => match (arg_str(args, 0), arg_str(args, 1)) {
            (Some(s), Some(p)) => Value::Bool(s.starts_with(&*p)),
            _ => Value::Unknown,
        },
        "endswith" => match (arg_str(args, 0), arg_str(args, 1)) {
            (Some(s), Some(p)) => Value::Bool(s.ends_with(&*p)),
            _ => Value::Unknown,
        },
        "coalesce" => {
            for a in args {
                match a {
                    Value::Null => continue,
                    Value::Str(s) if s.is_empty() => continue,
                    Value::Unknown | Value::Pattern(_) => return a.clone(),
                    other => return other.clone(),
                }
            }
            Value::Unknown
        }
        "coalescelist" => {
            for a in args {
                match a {
                    Value::List(l) if l.is_empty() => continue,
                    other => return other.clone(),
                }
            }
            Value::Unknown
        }
        "min" | "max" => {
            let nums: Option<Vec<f64>> = args.iter().map(Value::as_number).collect();
            match nums {
                Some(n) if !n.is_empty() => Value::Number(if name == "min" {
                    n.into_iter().fold(f64::INFINITY, f64::min)
                } else {
                    n.into_iter().fold(f64::NEG_INFINITY, f64::max)
                }),
                _ => Value::Unknown,
            }
        }
        _ => Value::Unknown,
    }
}

fn flatten_into(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::List(items) => items.iter().for_each(|i| flatten_into(i, out)),
        other => out.push(other.clone()),
    }
}

fn arg_str(args: &[Value], i: usize) -> Option<String> {
    args.get(i).and_then(Value::as_str)
}

fn str_fn(args: &[Value], f: impl Fn(&str) -> String) -> Value {
    match arg_str(args, 0) {
        Some(s) => Value::Str(f(&s)),
        None => Value::Unknown,
    }
}

/// Case functions apply to the known parts of a partial string too.
fn map_str(args: &[Value], f: impl Fn(&str) -> String) -> Value {
    match args.first() {
        Some(Value::Pattern(p)) => Value::from_pattern(p.map_literals(f)),
        _ => str_fn(args, f),
    }
}

fn str2(args: &[Value], f: impl Fn(&str, &str) -> String) -> Value {
    match (args.first(), arg_str(args, 1)) {
        (Some(v), Some(x)) => match v.as_str() {
            Some(s) => Value::Str(f(&s, &x)),
            None => Value::Unknown,
        },
        _ => Value::Unknown,
    }
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if start && c.is_alphabetic() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric();
    }
    out
}

fn replace(args: &[Value]) -> Value {
    let (Some(s), Some(old), Some(new)) = (arg_str(args, 0), arg_str(args, 1), arg_str(args, 2))
    else {
        return Value::Unknown;
    };
    if old.len() > 1 && old.starts_with('/') && old.ends_with('/') {
        // A regular expression: not evaluated.
        return Value::Unknown;
    }
    if old.is_empty() {
        return Value::Str(s);
    }
    Value::Str(s.replace(&*old, &new))
}

fn substr(args: &[Value]) -> Value {
    let (Some(s), Some(off), Some(len)) = (
        arg_str(args, 0),
        args.get(1).and_then(Value::as_number),
        args.get(2).and_then(Value::as_number),
    ) else {
        return Value::Unknown;
    };
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len() as i64;
    let mut start = off as i64;
    if start < 0 {
        start += n;
    }
    let start = start.clamp(0, n) as usize;
    let end = if len < 0.0 {
        chars.len()
    } else {
        (start + len as usize).min(chars.len())
    };
    Value::Str(chars[start..end].iter().collect())
}

fn join(args: &[Value]) -> Value {
    let (Some(sep), Some(Value::List(items))) = (arg_str(args, 0), args.get(1)) else {
        return Value::Unknown;
    };
    let mut p = Pattern::literal("");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            p.push_lit(&sep);
        }
        p.append(&item.to_pattern());
    }
    Value::from_pattern(p)
}

/// `format` with the verbs that occur in names: `%s`, `%d`, `%v`, `%q`, `%%`, widths ignored.
fn format(args: &[Value]) -> Value {
    let Some(fmt) = arg_str(args, 0) else {
        return Value::Unknown;
    };
    let mut p = Pattern::literal("");
    let mut next = 1;
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            let mut b = [0u8; 4];
            p.push_lit(c.encode_utf8(&mut b));
            continue;
        }
        // Skip flags, width and precision.
        let mut verb = None;
        for d in chars.by_ref() {
            if d.is_ascii_alphabetic() || d == '%' {
                verb = Some(d);
                break;
            }
        }
        match verb {
            Some('%') => p.push_lit("%"),
            Some(v) => {
                let arg = args.get(next).cloned().unwrap_or(Value::Unknown);
                next += 1;
                match (v, &arg) {
                    ('d', Value::Number(n)) => p.push_lit(&number_to_string(n.trunc())),
                    ('q', a) => {
                        p.push_lit("\"");
                        p.append(&a.to_pattern());
                        p.push_lit("\"");
                    }
                    (_, a) => p.append(&a.to_pattern()),
                }
            }
            None => return Value::Unknown,
        }
    }
    Value::from_pattern(p)
}
