//! The HTML report in a real browser (headless Debian Chromium): no console errors,
//! the graph is drawn, the stack table sorts when a header is clicked, it prints to PDF;
//! screenshots (light, dark, the graph alone) are kept under
//! `target/tmp/report-screenshots/` for a person to look at. Skips, saying so, when
//! Chromium is not installed (`.ci/run` installs it).

mod support;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

const FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",
];

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser"].iter().find_map(|name| {
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("command -v {name}"))
            .output()
            .ok()?;
        let p = String::from_utf8_lossy(&out.stdout).trim().to_string();
        (out.status.success() && !p.is_empty()).then(|| PathBuf::from(p))
    })
}

/// Runs Chromium on a file with extra flags; returns (stdout, stderr).
fn run_chromium(bin: &Path, file: &Path, extra: &[String]) -> (String, String) {
    let profile = tempfile::tempdir().expect("profile dir");
    let out = std::process::Command::new("timeout")
        .arg("120")
        .arg(bin)
        .args(FLAGS)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", file.display()))
        .output()
        .expect("chromium starts");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const ERROR_CAPTURE: &str = r#"<script>window.__errs=[];window.addEventListener("error",function(e){window.__errs.push(String(e.message))});</script>"#;

/// Clicks the Resources header twice and records what the page looks like.
const SELF_TEST: &str = r#"<script>(function(){
var out={errors:window.__errs,svg:document.querySelectorAll("svg.graph").length,
nodes:document.querySelectorAll("svg.graph .node").length,asc:false,desc:false,rows:0,first:""};
var t=document.getElementById("stack-table");
var th=t.tHead.rows[0].cells[3];
var col=function(){return Array.prototype.map.call(t.tBodies[0].rows,function(r){return parseFloat(r.cells[3].getAttribute("data-v"))})};
th.querySelector("button").click();
var a=col();out.asc=th.getAttribute("aria-sort")==="ascending"&&a.every(function(v,i){return i===0||a[i-1]<=v});
th.querySelector("button").click();
var d=col();out.desc=th.getAttribute("aria-sort")==="descending"&&d.every(function(v,i){return i===0||d[i-1]>=v});
out.rows=d.length;out.first=t.tBodies[0].rows[0].cells[0].getAttribute("data-v");
var pre=document.createElement("pre");pre.id="selftest";pre.textContent="SELF"+"TEST:"+JSON.stringify(out)+":END"+"TEST";
document.body.appendChild(pre);})();</script>"#;

struct Case {
    name: &'static str,
    dir: PathBuf,
    stacks: usize,
    largest: Option<&'static str>,
    _keep: Option<tempfile::TempDir>,
}

/// `$STACKLINT_SHARED_DIR`, else `../shared` beside the checkout.
fn shared_dir() -> Option<PathBuf> {
    let from_env = std::env::var_os("STACKLINT_SHARED_DIR").map(PathBuf::from);
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    [from_env, Some(beside)]
        .into_iter()
        .flatten()
        .find(|p| p.is_dir())
}

fn shared_acceptance() -> Option<PathBuf> {
    shared_dir()
        .map(|d| d.join("acceptance"))
        .filter(|p| p.is_dir())
}

/// The largest corpus repository by stack count.
fn shared_corpus() -> Option<PathBuf> {
    shared_dir()
        .map(|d| d.join("corpus/brikis98__terraform-up-and-running-code"))
        .filter(|p| p.is_dir())
}

#[test]
fn html_report_renders_in_chromium() {
    let Some(bin) = chromium() else {
        eprintln!("SKIP html_report_renders_in_chromium: chromium is not installed (apt-get install chromium; .ci/run installs it)");
        return;
    };
    let out_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report-screenshots");
    std::fs::create_dir_all(&out_dir).expect("screenshot dir");
    let small = tempfile::tempdir().expect("tempdir");
    support::estate::write_estate(small.path(), &["prod"], 5);
    let big = tempfile::tempdir().expect("tempdir");
    support::estate::write_estate(big.path(), &["dev", "staging", "prod"], 50);
    let mut cases = vec![
        Case {
            name: "estate-5",
            dir: small.path().to_path_buf(),
            stacks: 5,
            largest: Some("live/prod/services/svc-orders"),
            _keep: None,
        },
        Case {
            name: "estate-150",
            dir: big.path().to_path_buf(),
            stacks: 150,
            largest: Some("live/prod/services/svc-orders"),
            _keep: None,
        },
    ];
    match shared_corpus() {
        Some(dir) => cases.push(Case {
            name: "corpus-brikis98",
            dir,
            stacks: 0,
            largest: None,
            _keep: None,
        }),
        None => eprintln!(
            "note: the shared corpus is not beside the checkout; its screenshot is skipped"
        ),
    }
    for case in &cases {
        let html_path = out_dir.join(format!("{}.html", case.name));
        let run = Command::cargo_bin("stacklint")
            .expect("binary")
            .args(["report", "--no-config", "--no-history", "-o"])
            .arg(&html_path)
            .arg(&case.dir)
            .output()
            .expect("report runs");
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let html = std::fs::read_to_string(&html_path).expect("html written");
        // The shared acceptance check for self-contained HTML, when it is beside us.
        if let Some(check) = shared_acceptance().map(|a| a.join("html_selfcontained_check.py")) {
            let status = std::process::Command::new("python3")
                .arg(&check)
                .arg(&html_path)
                .status()
                .expect("python3 runs");
            assert!(status.success(), "{}: not self-contained", case.name);
        }

        // Screenshots to look at: the top of the page, light and dark, and the graph alone.
        let shot = |file: &Path, png: &str, size: &str, extra: &[&str]| {
            let png_path = out_dir.join(png);
            let _ = std::fs::remove_file(&png_path);
            let mut flags = vec![
                format!("--window-size={size}"),
                format!("--screenshot={}", png_path.display()),
            ];
            flags.extend(extra.iter().map(|s| s.to_string()));
            run_chromium(&bin, file, &flags);
            let len = std::fs::metadata(&png_path).map(|m| m.len()).unwrap_or(0);
            assert!(
                len > 10_000,
                "{}: screenshot {png} missing or blank ({len} bytes)",
                case.name
            );
        };
        shot(&html_path, &format!("{}.png", case.name), "1400,1000", &[]);
        shot(
            &html_path,
            &format!("{}-dark.png", case.name),
            "1400,1000",
            &[
                "--force-dark-mode",
                "--blink-settings=preferredColorScheme=0",
            ],
        );
        let graph_only = out_dir.join(format!("{}.graph.html", case.name));
        std::fs::write(
            &graph_only,
            html.replace(
                "</head>",
                "<style>header.top{position:static} section:not(#graph),footer{display:none}</style></head>",
            ),
        )
        .expect("write");
        shot(
            &graph_only,
            &format!("{}-graph.png", case.name),
            "1400,1100",
            &[],
        );

        // Print to PDF.
        let pdf = out_dir.join(format!("{}.pdf", case.name));
        let _ = std::fs::remove_file(&pdf);
        run_chromium(
            &bin,
            &html_path,
            &[
                format!("--print-to-pdf={}", pdf.display()),
                "--no-pdf-header-footer".into(),
            ],
        );
        let len = std::fs::metadata(&pdf).map(|m| m.len()).unwrap_or(0);
        assert!(len > 10_000, "{}: PDF missing ({len} bytes)", case.name);

        // The page's own behaviour: no errors, graph drawn, table sorts.
        let test_page = out_dir.join(format!("{}.selftest.html", case.name));
        let injected = html
            .replacen("<head>", &format!("<head>{ERROR_CAPTURE}"), 1)
            .replace("</body>", &format!("{SELF_TEST}</body>"));
        std::fs::write(&test_page, injected).expect("write");
        let (dom, log) = run_chromium(
            &bin,
            &test_page,
            &[
                "--dump-dom".into(),
                "--enable-logging=stderr".into(),
                "--v=0".into(),
            ],
        );
        let console_errors: Vec<&str> = log
            .lines()
            .filter(|l| l.contains(":CONSOLE") || l.contains("Uncaught"))
            .collect();
        assert!(
            console_errors.is_empty(),
            "{}: console: {console_errors:?}",
            case.name
        );
        // The markers are assembled at run time, so the script's own text never matches.
        let result = dom
            .split("SELFTEST:")
            .nth(1)
            .and_then(|r| r.split(":ENDTEST").next())
            .unwrap_or_else(|| {
                panic!(
                    "{}: self-test did not run; DOM ends {}",
                    case.name,
                    &dom[dom.len().saturating_sub(500)..]
                )
            });
        let v: serde_json::Value = serde_json::from_str(&result.replace("&amp;", "&"))
            .unwrap_or_else(|e| panic!("{}: {e}: {result}", case.name));
        assert_eq!(
            v["errors"],
            serde_json::json!([]),
            "{}: page errors",
            case.name
        );
        assert!(
            v["svg"].as_u64().unwrap_or(0) >= 1,
            "{}: no graph",
            case.name
        );
        assert!(
            v["nodes"].as_u64().unwrap_or(0) >= 1,
            "{}: graph has no nodes",
            case.name
        );
        assert_eq!(v["asc"], true, "{}: ascending sort", case.name);
        assert_eq!(v["desc"], true, "{}: descending sort", case.name);
        if case.stacks > 0 {
            assert_eq!(v["rows"], case.stacks, "{}: rows", case.name);
        }
        if let Some(largest) = case.largest {
            assert_eq!(v["first"], largest, "{}: largest stack first", case.name);
        }
        eprintln!("{}: screenshots in {}", case.name, out_dir.display());
    }
}
