//! The release's weight on the wire, measured in real headless Chromium
//! against budgets: the main WASM module gzipped (every page loads it; the
//! pages in `app::lazy_pages` are modules of their own, loaded when first
//! shown), every WASM module a plan page needs, gzipped, and everything a
//! first visit to a plan page transfers (the page, JS, every WASM module it
//! needs, CSS; the websocket aside).
//!
//! It runs the release exactly as a node does (the binary with `hash.txt`
//! beside it, the site with hashed, precompressed files, SQLite in a
//! temporary directory), so it needs `scripts/dev release` first, and is
//! ignored otherwise: `scripts/dev bundle` builds and runs it. The release
//! is looked for in `$PILLARS_RELEASE_DIR`, else `pillars-release` in the
//! target directory.

use fantoccini::cookies::Cookie;
use integration_tests::browser::Browser;
use integration_tests::{Fetch, PATIENCE, USER_PASSWORD};
use serde_json::{json, Value};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};

/// The most the main WASM module, and all a plan page needs, may weigh
/// gzipped (as a client without brotli is sent them).
const WASM_GZIP_BUDGET: u64 = 600 * 1024;
/// The most a first visit to a plan page may transfer.
const FIRST_LOAD_BUDGET: u64 = 800 * 1024;

const EMAIL: &str = "lro@northshire.police.uk";

fn release_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("PILLARS_RELEASE_DIR") {
        return dir.into();
    }
    let target = option_env!("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("pillars-release")
}

/// The release server on a free port, stopped (process group and all) on drop.
struct Release {
    base: String,
    process: Child,
    _data: tempfile::TempDir,
}

impl Release {
    fn command(dir: &Path, data: &Path) -> Command {
        let mut command = Command::new(dir.join("bin/server"));
        command
            .env_remove("DATABASE_URL")
            .env("PILLARS_DATA_DIR", data)
            .env("LEPTOS_SITE_ROOT", dir.join("site"))
            .env("LEPTOS_HASH_FILES", "true")
            .env("LEPTOS_ENV", "PROD")
            .env("RUST_LOG", "warn");
        command
    }

    async fn start() -> Release {
        let dir = release_dir();
        assert!(
            dir.join("bin/server").is_file() && dir.join("bin/hash.txt").is_file(),
            "no release at {}: run `scripts/dev release` first",
            dir.display()
        );
        let data = tempfile::tempdir().unwrap();
        let created = Release::command(&dir, data.path())
            .args([
                "create-admin",
                "--email",
                EMAIL,
                "--name",
                "Dee Lro",
                "--agency",
                "Northshire Police",
            ])
            .env("PILLARS_ADMIN_PASSWORD", USER_PASSWORD)
            .stdout(std::process::Stdio::null())
            .status()
            .expect("the release binary runs");
        assert!(created.success(), "create-admin");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let process = Release::command(&dir, data.path())
            .env("PILLARS_ADDR", format!("127.0.0.1:{port}"))
            .process_group(0)
            .spawn()
            .expect("the release server starts");
        let release = Release {
            base: format!("http://127.0.0.1:{port}"),
            process,
            _data: data,
        };
        let deadline = std::time::Instant::now() + PATIENCE;
        loop {
            let health = reqwest::get(release.url("/healthz")).await;
            if health.is_ok_and(|r| r.status() == 200) {
                return release;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the release server never answered"
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

impl Drop for Release {
    fn drop(&mut self) {
        unsafe {
            libc::killpg(self.process.id() as i32, libc::SIGKILL);
        }
        let _ = self.process.wait();
    }
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .len()
}

fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

/// Everything the page loaded, as Resource Timing saw it: the navigation,
/// then each resource.
const ENTRIES: &str = r#"
    const pick = e => ({ name: e.name, type: e.initiatorType || 'navigation',
        transfer: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize });
    return performance.getEntriesByType('navigation').map(pick)
        .concat(performance.getEntriesByType('resource').map(pick));
"#;

#[tokio::test]
#[ignore = "needs the release build: scripts/dev bundle"]
async fn a_first_visit_to_a_plan_page_stays_within_budget() {
    let release = Release::start().await;
    let pkg = release_dir().join("site/pkg");
    let wasm = std::fs::read_dir(&pkg)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("pillars.") && name.ends_with(".wasm")
        })
        .expect("the main module, pillars.<hash>.wasm, in the release site");
    let name = wasm.file_name().unwrap().to_string_lossy().to_string();
    assert!(
        server::routes::assets::is_hashed(&name),
        "{name}: built without hashed names"
    );
    let gz_path = wasm.with_file_name(format!("{name}.gz"));
    let br_path = wasm.with_file_name(format!("{name}.br"));
    let (raw, gz, br) = (size(&wasm), size(&gz_path), size(&br_path));
    println!(
        "main WASM module {name}: raw {}, gzip {}, brotli {}",
        kib(raw),
        kib(gz),
        kib(br)
    );

    // What a browser is sent for it: brotli, cached for good.
    let http = reqwest::Client::new();
    let response = http
        .get(release.url(&format!("/pkg/{name}")))
        .header("accept-encoding", "gzip, deflate, br")
        .sent()
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );

    // A plan, made through the API as its LRO.
    let session = http
        .post(release.url("/api/session"))
        .json(&json!({ "email": EMAIL, "password": USER_PASSWORD }))
        .sent()
        .await;
    assert_eq!(session.status(), 200, "logging in");
    let set_cookie = session.headers()["set-cookie"].to_str().unwrap().to_string();
    let token = set_cookie
        .split(';')
        .next()
        .and_then(|c| c.strip_prefix("pillars_session="))
        .expect("the session cookie")
        .to_string();
    let plan: Value = http.post(release.url("/api/plans")).header("cookie", format!("pillars_session={token}")) .json(&json!({"subject_kind": "OCG", "subject_name": "Operation Larch", "subject_ref": "OCG-1", "tier": 2, "lro": "DI Okafor"})).json_body().await;
    let plan = plan["id"].as_str().expect("a plan id");

    // A fresh browser profile (nothing cached) holding only the session:
    // the cookie is set on a plain-text page that loads nothing.
    let browser = Browser::start().await;
    let page = &browser.client;
    page.goto(&release.url("/healthz")).await.unwrap();
    // The very cookie the server set (HttpOnly, SameSite=Strict, Path=/).
    let mut cookie = Cookie::parse(set_cookie).expect("a cookie");
    cookie.set_domain("127.0.0.1");
    page.add_cookie(cookie).await.unwrap();
    page.goto(&release.url(&format!("/plans/{plan}"))).await.unwrap();
    browser.wait_for("body[data-hydrated]").await;
    browser.wait_for("#connection-state[data-state='live']").await;

    let entries = page.execute(ENTRIES, vec![]).await.unwrap();
    let entries = entries.as_array().expect("entries").clone();
    let mut total = 0;
    println!("first load of /plans/{{id}}:");
    println!("{:>12} {:>12} {:>12}  what", "on the wire", "body", "decoded");
    for e in &entries {
        let field = |k: &str| e[k].as_u64().unwrap_or(0);
        total += field("transfer");
        let path = e["name"].as_str().unwrap_or_default().replace(&release.base, "");
        println!(
            "{:>12} {:>12} {:>12}  {} ({})",
            kib(field("transfer")),
            kib(field("encoded")),
            kib(field("decoded")),
            path,
            e["type"].as_str().unwrap_or_default()
        );
    }
    println!("{:>12}  in all ({} entries)", kib(total), entries.len());
    // Every module the plan page needed, as a client without brotli gets it.
    let modules: Vec<&str> = entries
        .iter()
        .filter_map(|e| e["name"].as_str())
        .filter(|n| n.ends_with(".wasm"))
        .filter_map(|n| n.rsplit('/').next())
        .collect();
    // A file too small to be worth compressing has no compressed copy.
    let sent_as = |m: &str, ext: &str| {
        let compressed = pkg.join(format!("{m}.{ext}"));
        size(&if compressed.is_file() { compressed } else { pkg.join(m) })
    };
    let modules_gz: u64 = modules.iter().map(|m| sent_as(m, "gz")).sum();
    let modules_br: u64 = modules.iter().map(|m| sent_as(m, "br")).sum();
    println!(
        "the plan page's WASM: {} modules, gzip {}, brotli {}",
        modules.len(),
        kib(modules_gz),
        kib(modules_br)
    );
    let wasm_entry = entries
        .iter()
        .find(|e| e["name"].as_str().is_some_and(|n| n.ends_with(&name)))
        .expect("the page loaded the WASM");
    // Chromium takes brotli; a client that does not gets the .gz.
    let sent = wasm_entry["encoded"].as_u64();
    assert!(
        sent == Some(br) || sent == Some(gz),
        "the browser was sent a precompressed file ({sent:?} bytes; br {br}, gz {gz})"
    );
    browser.close().await;

    let mut over = Vec::new();
    if gz > WASM_GZIP_BUDGET {
        over.push(format!("WASM gzipped {} > budget {}", kib(gz), kib(WASM_GZIP_BUDGET)));
    }
    if modules_gz > WASM_GZIP_BUDGET {
        over.push(format!(
            "the plan page's WASM gzipped {} > budget {}",
            kib(modules_gz),
            kib(WASM_GZIP_BUDGET)
        ));
    }
    if total > FIRST_LOAD_BUDGET {
        over.push(format!("first load {} > budget {}", kib(total), kib(FIRST_LOAD_BUDGET)));
    }
    assert!(over.is_empty(), "{}", over.join("; "));
}
