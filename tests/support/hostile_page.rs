//! Looking at a page for hostile text that escaped: in the HTML the server
//! sent, and in the document Chromium built from it (before and after
//! hydration). Pairs with the corpus of [`crate::hostile`].

use crate::browser::Browser;
use fantoccini::wd::WebDriverCompatibleCommand;
use reqwest::{Method, Url};
use serde_json::{json, Value};

/// Set up in every document before the page's own scripts run: records
/// every marker an injected script sets as `window.__pwned`, and every
/// Content-Security-Policy violation the page reports.
const WATCH: &str = r#"
window.__pwnedBy = [];
Object.defineProperty(window, '__pwned', {
  configurable: true,
  get() { return window.__pwnedBy.length ? window.__pwnedBy : undefined; },
  set(v) { window.__pwnedBy.push(String(v)); },
});
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}: ${e.sample || ''}`);
});
"#;

/// Markup the corpus's payloads make if they become elements, attributes
/// or script: each finding as a short description with the element.
const FIND_INJECTED: &str = r#"
const findings = [];
const show = el => el.outerHTML.slice(0, 160);
for (const el of document.querySelectorAll('*')) {
  for (const a of Array.from(el.attributes)) {
    const name = a.name.toLowerCase();
    if (name === 'data-pwned') findings.push('element injected: ' + show(el));
    else if (name.startsWith('on') && a.value.includes('__pwned')) findings.push('handler injected: ' + show(el));
    else if (/^(href|src|action|formaction|xlink:href|data)$/.test(name) && /^\s*javascript:/i.test(a.value))
      findings.push('javascript: URL: ' + show(el));
  }
  if (el.tagName.toLowerCase() === 'script' && el.textContent.trim().startsWith('window.__pwned'))
    findings.push('script injected: ' + show(el));
  if (el.tagName.toLowerCase() === 'img' && el.getAttribute('src') === 'x') findings.push('image injected: ' + show(el));
}
return findings;
"#;

/// The text a page shows: its title, its body's text (not scripts' or
/// styles'), and the values of its fields.
const SHOWN_TEXT: &str = r#"
const body = document.body.cloneNode(true);
body.querySelectorAll('script, style, template, noscript').forEach(e => e.remove());
const parts = [document.title, body.textContent];
for (const e of document.querySelectorAll('input, textarea')) parts.push(e.value);
return parts.join('\n');
"#;

/// What a document holds after hostile text was put into it.
#[derive(Debug, Default)]
pub struct Inspection {
    /// Elements, attributes or scripts the corpus made.
    pub injected: Vec<String>,
    /// Markers of injected scripts that ran.
    pub ran: Vec<String>,
    /// Content-Security-Policy violations the page reported.
    pub csp_violations: Vec<String>,
    /// The text the page shows.
    pub shown: String,
    /// The document's title, as the browser shows it.
    pub title: String,
}

/// `Page.addScriptToEvaluateOnNewDocument` through ChromeDriver's DevTools
/// endpoint: the only way to listen before the page's first script runs.
#[derive(Debug)]
struct OnNewDocument(&'static str);

impl WebDriverCompatibleCommand for OnNewDocument {
    fn endpoint(&self, base: &Url, session: Option<&str>) -> Result<Url, <Url as std::str::FromStr>::Err> {
        base.join(&format!("session/{}/goog/cdp/execute", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &Url) -> (Method, Option<String>) {
        let body = json!({ "cmd": "Page.addScriptToEvaluateOnNewDocument", "params": { "source": self.0 } });
        (Method::POST, Some(body.to_string()))
    }
}

/// Makes every page this browser opens from now on record what
/// [`inspect`] reports as run and as CSP violations.
pub async fn watch(browser: &Browser) {
    browser
        .client
        .issue_cmd(OnNewDocument(WATCH))
        .await
        .expect("ChromeDriver runs a script in every new document");
}

async fn run(browser: &Browser, script: &str) -> Value {
    browser
        .client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("running a check in the page: {e}"))
}

fn strings(value: Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .into_iter()
            .map(|i| i.as_str().unwrap_or_default().to_string())
            .collect(),
        _ => Vec::new(),
    }
}

/// What the page open in `browser` holds now.
pub async fn inspect(browser: &Browser) -> Inspection {
    Inspection {
        injected: strings(run(browser, FIND_INJECTED).await),
        ran: strings(
            run(
                browser,
                "return window.__pwnedBy || (window.__pwned === undefined ? [] : [String(window.__pwned)]);",
            )
            .await,
        ),
        csp_violations: strings(run(browser, "return window.__cspViolations || [];").await),
        shown: run(browser, SHOWN_TEXT).await.as_str().unwrap_or_default().to_string(),
        title: run(browser, "return document.title;")
            .await
            .as_str()
            .unwrap_or_default()
            .to_string(),
    }
}

/// Waits (bounded by [`crate::PATIENCE`]) until the page shows every
/// payload of the fields `codes` (text a page fills in once live arrives
/// after hydration); then inspects it. The inspection is returned either
/// way: the caller reports what is missing.
pub async fn inspect_when_shown(browser: &Browser, corpus: &crate::hostile::Corpus, codes: &[&str]) -> Inspection {
    let deadline = std::time::Instant::now() + crate::PATIENCE;
    loop {
        let page = inspect(browser).await;
        if corpus.missing_from(codes, &page.shown).is_empty() || std::time::Instant::now() > deadline {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The payloads found as they are (unescaped) in a page's HTML.
pub fn raw_in_html(corpus: &crate::hostile::Corpus, html: &str) -> Vec<String> {
    corpus
        .raw_forbidden()
        .filter(|(_, p)| html.contains(p.as_str()))
        .map(|(w, p)| format!("{}: {p:?}", w.name))
        .collect()
}
