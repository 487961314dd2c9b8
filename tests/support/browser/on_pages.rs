//! The app serving the built site, and browsers logged in and on its
//! pages: the starting points most browser tests share.

use super::{site_root, Browser};
use fantoccini::Locator;

/// The app serving the built site ([`site_root`]), as the browser tests
/// need it.
pub async fn spawn_site() -> crate::TestApp {
    crate::spawn_app_with(|c| c.site_root = Some(site_root())).await
}

/// [`spawn_site`], with a plan about `subject`.
pub async fn spawn_site_with_plan(subject: &str) -> (crate::TestApp, uuid::Uuid) {
    let app = spawn_site().await;
    let plan = app.create_plan(subject).await;
    (app, plan)
}

impl Browser {
    /// A fresh browser ([`Browser::start`]) logged in as the test app's user.
    pub async fn logged_in(app: &crate::TestApp) -> Browser {
        let browser = Browser::start().await;
        browser.log_in(app).await;
        browser
    }

    /// [`Browser::logged_in`], then gone to `path` of the app.
    pub async fn logged_in_at(app: &crate::TestApp, path: &str) -> Browser {
        let browser = Browser::logged_in(app).await;
        browser.client.goto(&app.url(path)).await.unwrap();
        browser
    }

    /// The `value` of the element with this id, found at once.
    pub async fn value_of(&self, id: &str) -> Option<String> {
        let field = self.client.find(Locator::Id(id)).await.unwrap();
        field.prop("value").await.unwrap()
    }

    /// Sends keys to the element with this id, found at once.
    pub async fn send_keys_to(&self, id: &str, keys: &str) {
        let field = self.client.find(Locator::Id(id)).await.unwrap();
        field.send_keys(keys).await.unwrap();
    }

    /// Two fresh browsers on the page at `url`, live: the first logged in
    /// as `first` (an email), the second as the test app's user.
    pub async fn pair_on(app: &crate::TestApp, url: &str, first: &str) -> (Browser, Browser) {
        let (one, two) = (Browser::start().await, Browser::start().await);
        one.log_in_as(app, first).await;
        two.log_in(app).await;
        one.open_live(url).await;
        two.open_live(url).await;
        (one, two)
    }

    /// Opens the plan page at `url` and waits until it is live.
    pub async fn open_live(&self, url: &str) {
        self.client.goto(url).await.unwrap();
        self.wait_for("#connection-state[data-state='live']").await;
    }

    /// Puts the caret at the start of the aim's text box.
    pub async fn caret_to_start_of_aim(&self) {
        let script = "const t = document.getElementById('text-aim'); t.focus(); t.setSelectionRange(0, 0);";
        self.client.execute(script, vec![]).await.unwrap();
    }
}
