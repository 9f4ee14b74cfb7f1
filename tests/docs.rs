//! The README's rule table is generated from the rules' metadata; this test keeps them
//! in step. Run with `STACKLINT_BLESS=1` to rewrite the table.

use stacklint::rules;

fn table() -> String {
    let mut out = String::from("| rule | category | default | summary |\n|---|---|---|---|\n");
    for m in rules::all_meta() {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            m.id,
            m.category.as_str(),
            m.default_severity.as_str(),
            m.summary
        ));
    }
    out
}

#[test]
fn readme_rule_table_matches_the_rules() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/README.md");
    let readme = std::fs::read_to_string(path).expect("README.md");
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let i = readme.find(start).expect("rules:start marker") + start.len();
    let j = readme.find(end).expect("rules:end marker");
    let want = table();
    if readme[i..j] != want {
        if std::env::var_os("STACKLINT_BLESS").is_some() {
            let updated = format!("{}{}{}", &readme[..i], want, &readme[j..]);
            std::fs::write(path, updated).expect("write README.md");
        } else {
            panic!("README rule table is out of date; run `STACKLINT_BLESS=1 cargo test --test docs`. Expected:\n{want}");
        }
    }
}
