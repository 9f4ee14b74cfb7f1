//! Just enough Markdown to HTML for the rule pages' sections shown in the report:
//! paragraphs, fenced code, bullet and numbered lists, `code`, **bold** and *emphasis*.
//! Everything is escaped first; nothing from the input becomes markup by accident.

use super::svg::esc;

pub fn to_html(md: &str) -> String {
    let mut out = String::new();
    let mut para: Vec<&str> = Vec::new();
    let mut list: Option<&'static str> = None;
    let mut code: Option<Vec<&str>> = None;
    let flush_para = |para: &mut Vec<&str>, out: &mut String| {
        if !para.is_empty() {
            out.push_str("<p>");
            out.push_str(&inline(&para.join(" ")));
            out.push_str("</p>\n");
            para.clear();
        }
    };
    let close_list = |list: &mut Option<&'static str>, out: &mut String| {
        if let Some(tag) = list.take() {
            out.push_str(&format!("</{tag}>\n"));
        }
    };
    for line in md.lines() {
        if let Some(buf) = code.as_mut() {
            if line.trim_start().starts_with("```") {
                out.push_str("<pre class=\"doc\"><code>");
                out.push_str(&esc(&buf.join("\n")));
                out.push_str("</code></pre>\n");
                code = None;
            } else {
                buf.push(line);
            }
            continue;
        }
        let t = line.trim();
        if t.starts_with("```") {
            flush_para(&mut para, &mut out);
            close_list(&mut list, &mut out);
            code = Some(Vec::new());
            continue;
        }
        if t.is_empty() {
            flush_para(&mut para, &mut out);
            close_list(&mut list, &mut out);
            continue;
        }
        let bullet = t.strip_prefix("- ").or_else(|| t.strip_prefix("* "));
        let numbered = t
            .split_once(". ")
            .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
            .map(|(_, rest)| rest);
        if let Some((tag, item)) = bullet.map(|b| ("ul", b)).or(numbered.map(|n| ("ol", n))) {
            flush_para(&mut para, &mut out);
            if list != Some(tag) {
                close_list(&mut list, &mut out);
                out.push_str(&format!("<{tag}>\n"));
                list = Some(tag);
            }
            out.push_str(&format!("<li>{}</li>\n", inline(item)));
            continue;
        }
        if list.is_some() && line.starts_with("  ") {
            // A continuation line of a list item: append to the last item.
            if let Some(pos) = out.rfind("</li>") {
                out.insert_str(pos, &format!(" {}", inline(t)));
            }
            continue;
        }
        close_list(&mut list, &mut out);
        para.push(t);
    }
    if let Some(buf) = code {
        out.push_str("<pre class=\"doc\"><code>");
        out.push_str(&esc(&buf.join("\n")));
        out.push_str("</code></pre>\n");
    }
    flush_para(&mut para, &mut out);
    close_list(&mut list, &mut out);
    out
}

/// Inline markup: `code` first (its content stays literal), then **bold**, *em*.
pub fn inline(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find('`') {
        let Some(len) = rest[start + 1..].find('`') else {
            break;
        };
        out.push_str(&emphasis(&esc(&rest[..start])));
        out.push_str("<code>");
        out.push_str(&esc(&rest[start + 1..start + 1 + len]));
        out.push_str("</code>");
        rest = &rest[start + 2 + len..];
    }
    out.push_str(&emphasis(&esc(rest)));
    out
}

fn emphasis(s: &str) -> String {
    let s = wrap_pairs(s, "**", "strong");
    wrap_pairs(&s, "*", "em")
}

fn wrap_pairs(s: &str, mark: &str, tag: &str) -> String {
    let parts: Vec<&str> = s.split(mark).collect();
    if parts.len() < 3 {
        return s.to_string();
    }
    let mut out = String::new();
    let pairs = (parts.len() - 1) / 2 * 2;
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            if i <= pairs {
                out.push_str(&if i % 2 == 1 {
                    format!("<{tag}>")
                } else {
                    format!("</{tag}>")
                });
            } else {
                out.push_str(mark);
            }
        }
        out.push_str(p);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_subset() {
        let html = to_html(
            "Break the **cycle** at `a<b`.\n\n- one\n- two `x`\n\n```hcl\nx = \"<y>\"\n```\n",
        );
        assert_eq!(
            html,
            "<p>Break the <strong>cycle</strong> at <code>a&lt;b</code>.</p>\n<ul>\n<li>one</li>\n<li>two <code>x</code></li>\n</ul>\n<pre class=\"doc\"><code>x = &quot;&lt;y&gt;&quot;</code></pre>\n"
        );
    }

    #[test]
    fn a_lone_star_stays() {
        assert_eq!(inline("a * b"), "a * b");
        assert_eq!(inline("*em* and *"), "<em>em</em> and *");
    }
}
