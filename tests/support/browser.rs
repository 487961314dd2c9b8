//! Real headless Chromium, driven through ChromeDriver (WebDriver).

use fantoccini::{Client, ClientBuilder, Locator};
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// The site `cargo leptos build --split` produced (WASM bundle, CSS).
pub fn site_root() -> PathBuf {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site"));
    assert!(
        root.join("pkg/pillars.wasm").exists(),
        "no built site at {}: run `cargo leptos build --split` first (scripts/dev test does)",
        root.display()
    );
    root
}

mod accessibility;
mod on_pages;

pub use on_pages::{spawn_site, spawn_site_with_plan};

pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts ChromeDriver (in its own process group, so Chromium can be
    /// killed with it) and a fresh headless Chromium session.
    pub async fn start() -> Browser {
        Browser::start_with(&[]).await
    }

    /// A session with JavaScript switched off, as some locked-down
    /// workstations run.
    pub async fn start_without_javascript() -> Browser {
        Browser::start_with(&["--blink-settings=scriptEnabled=false"]).await
    }

    async fn start_with(extra_args: &[&str]) -> Browser {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("chromedriver runs (scripts/dev test installs it)");
        // ChromeDriver says when it is listening; wait for that line.
        let stdout = driver.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(stdout).lines();
        let ready = lines
            .by_ref()
            .map_while(Result::ok)
            .any(|l| l.contains("started successfully"));
        assert!(ready, "chromedriver did not start");
        std::thread::spawn(move || lines.for_each(drop));

        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,900",
            // The people using Pillars are in the UK: dates read day first.
            "--lang=en-GB",
        ]
        .iter()
        .chain(extra_args)
        .map(|a| a.to_string())
        .chain([format!("--user-data-dir={}", profile.path().display())])
        .collect::<Vec<_>>();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "binary": "/usr/bin/chromium", "args": args }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a Chromium session starts");
        Browser {
            client,
            driver,
            _profile: profile,
        }
    }

    /// Waits (bounded) for an element matching a CSS selector.
    pub async fn wait_for(&self, css: &str) -> fantoccini::elements::Element {
        self.wait_for_within(crate::PATIENCE, css).await
    }

    /// [`Browser::wait_for`], for what takes longer than [`crate::PATIENCE`]
    /// by design (a timeout in the page, say).
    pub async fn wait_for_within(&self, within: std::time::Duration, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(within)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("waiting for {css}: {e}"))
    }

    /// Waits (bounded) until the `value` of the element matching `css`
    /// satisfies `ready`; returns it. Polls the DOM as WebDriver's own
    /// waits do, since a value change has no selector to wait for.
    pub async fn wait_for_value(&self, css: &str, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let deadline = std::time::Instant::now() + crate::PATIENCE;
        let mut last = String::new();
        while std::time::Instant::now() < deadline {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                last = element.prop("value").await.ok().flatten().unwrap_or_default();
                if ready(&last) {
                    return last;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("timed out waiting for {what} in {css}; last value {last:?}");
    }

    /// Waits (bounded) until the visible text of the element matching `css`
    /// satisfies `ready`; returns it.
    pub async fn wait_for_text(&self, css: &str, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let deadline = std::time::Instant::now() + crate::PATIENCE;
        let mut last = String::new();
        while std::time::Instant::now() < deadline {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                last = element.text().await.unwrap_or_default();
                if ready(&last) {
                    return last;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("timed out waiting for {what} in {css}; last text {last:?}");
    }

    /// The computed CSS `property` of the element matching `css`.
    pub async fn style(&self, css: &str, property: &str) -> String {
        let value = self
            .client
            .execute(
                "const e = document.querySelector(arguments[0]); return e ? getComputedStyle(e).getPropertyValue(arguments[1]) : null;",
                vec![css.into(), property.into()],
            )
            .await
            .unwrap_or_else(|e| panic!("style of {css}: {e}"));
        value.as_str().unwrap_or_else(|| panic!("no element {css}")).to_string()
    }

    /// Logs this browser in as the test app's user, on the log-in page.
    pub async fn log_in(&self, app: &crate::TestApp) {
        self.log_in_as(app, crate::USER_EMAIL).await;
    }

    /// Logs in as `email` (password [`crate::USER_PASSWORD`]) through the
    /// log-in form, and waits for the plans list.
    pub async fn log_in_as(&self, app: &crate::TestApp, email: &str) {
        self.client.goto(&app.url("/login")).await.unwrap();
        self.wait_for("#email").await;
        self.fill("email", email).await;
        self.fill("password", crate::USER_PASSWORD).await;
        self.click("#log-in").await;
        let logged_in = self
            .client
            .wait()
            .at_most(crate::PATIENCE)
            .for_element(Locator::Css("#viewer-name"))
            .await;
        if let Err(e) = logged_in {
            let url = self
                .client
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            let text = match self.client.find(Locator::Css("body")).await {
                Ok(body) => body.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            panic!("logging in as {email}: {e}; the browser shows {url}: {text}");
        }
    }

    /// Types into the element with this id.
    pub async fn fill(&self, id: &str, text: &str) {
        let field = self
            .client
            .find(Locator::Id(id))
            .await
            .unwrap_or_else(|e| panic!("#{id}: {e}"));
        field
            .send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("typing into #{id}: {e}"));
    }

    /// Clicks the element matching a CSS selector.
    pub async fn click(&self, css: &str) {
        let target = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        target.click().await.unwrap_or_else(|e| panic!("clicking {css}: {e}"));
    }

    /// The Content-Security-Policy violations this page has reported so
    /// far (each `directive: blocked thing`), read from the page's report
    /// buffer, so violations from before this call count too.
    pub async fn csp_violations(&self) -> Vec<String> {
        let reports = self
            .client
            .execute(
                "const observer = new ReportingObserver(() => {}, { types: ['csp-violation'], buffered: true });
                 observer.observe();
                 const reports = observer.takeRecords();
                 observer.disconnect();
                 return reports.map(r => `${r.body.effectiveDirective}: ${r.body.blockedURL}`);",
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("reading CSP reports: {e}"));
        serde_json::from_value(reports).unwrap_or_default()
    }

    /// Closes the browser, failing the test if the page it was on reported
    /// a Content-Security-Policy violation: every page must work under it.
    pub async fn close(mut self) {
        let violations = self.csp_violations().await;
        let _ = self.client.clone().close().await;
        self.kill();
        assert!(
            violations.is_empty(),
            "the page broke its Content-Security-Policy: {violations:?}"
        );
    }

    fn kill(&mut self) {
        // Killing only ChromeDriver would leave Chromium running.
        unsafe {
            libc::killpg(self.driver.id() as i32, libc::SIGKILL);
        }
        let _ = self.driver.wait();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        self.kill();
    }
}
