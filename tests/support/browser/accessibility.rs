//! axe-core (npm, installed by `scripts/dev test`), run in the page the
//! browser shows: every page must pass WCAG 2.2 AA as axe checks it.

use super::Browser;

/// The rules run: WCAG 2.0, 2.1 and 2.2, levels A and AA.
const TAGS: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']";

fn axe_source() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("reading {path} ({e}): run `scripts/dev test`, which installs axe-core"))
}

impl Browser {
    /// What axe finds wrong with the page as it is now: one line per rule
    /// broken (its id, impact, help and the elements at fault).
    pub async fn accessibility_violations(&self) -> Vec<String> {
        // Loaded by WebDriver, so the page's Content-Security-Policy (which
        // allows no such script) is not in the way.
        self.client
            .execute(&axe_source(), vec![])
            .await
            .unwrap_or_else(|e| panic!("loading axe-core into the page: {e}"));
        let script = format!(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {{ runOnly: {{ type: 'tag', values: {TAGS} }} }})
               .then(r => done(r.violations.map(v =>
                   `${{v.id}} (${{v.impact}}): ${{v.help}} at ${{v.nodes.map(n => n.target.join(' ')).join(', ')}}`)))
               .catch(e => done([`axe failed: ${{e}}`]));"
        );
        let found = self
            .client
            .execute_async(&script, vec![])
            .await
            .unwrap_or_else(|e| panic!("running axe-core: {e}"));
        serde_json::from_value(found).unwrap_or_else(|e| panic!("reading axe's answer: {e}"))
    }

    /// Fails the test, naming each fault, unless the page passes axe.
    pub async fn assert_accessible(&self, page: &str) {
        let violations = self.accessibility_violations().await;
        assert!(
            violations.is_empty(),
            "{page} fails WCAG 2.2 AA (axe-core):\n{}",
            violations.join("\n")
        );
    }
}
