//! The Control Strategy service: the current strategy (in memory, read
//! from storage at start and replaced on publish, observable through
//! [`Strategies::subscribe`]), every published version, and publishing a
//! new one. Its rules live here; the REST routes ([`routes`]) and the
//! pages' port (`app::strategy::ssr::StrategyPort`) only call it.
//!
//! When no version is stored yet, the May 2024 strategy
//! ([`ControlStrategy::seed`]) is stored as version 1.

pub mod routes;
pub mod store;

use anyhow::Context;
use app::service_error::ServiceError;
use app::session::Viewer;
use chrono::{SubsecRound, Utc};
use plan::strategy::{ControlStrategy, PublishedStrategy, StrategyDraft, StrategyVersion};
use std::sync::Arc;
use store::{NewVersion, StrategyStore};
use tokio::sync::watch;

/// The strategy service. Cheap to clone.
#[derive(Clone)]
pub struct Strategies {
    store: Arc<dyn StrategyStore>,
    current: Arc<watch::Sender<Arc<PublishedStrategy>>>,
    /// Tells other server nodes of a new version.
    others: crate::cluster::Publisher,
}

fn meanwhile(version: i64) -> ServiceError {
    ServiceError::Invalid(format!("someone published version {version} meanwhile; reload"))
}

impl Strategies {
    /// Stores the default strategy as version 1 if there is no version yet
    /// (safe when several servers start at once: only one insert lands),
    /// then reads the latest.
    pub async fn start(store: Arc<dyn StrategyStore>) -> anyhow::Result<Strategies> {
        let now = Utc::now().trunc_subsecs(6);
        let seed = NewVersion {
            after: 0,
            strategy: &ControlStrategy::seed(),
            by: None,
            at: now,
        };
        if store.insert_strategy(seed).await? {
            tracing::info!("stored the default Control Strategy (May 2024) as version 1");
        }
        let latest = store
            .latest_strategy()
            .await?
            .context("no Control Strategy stored, even after seeding")?;
        Ok(Strategies {
            store,
            current: Arc::new(watch::channel(Arc::new(latest)).0),
            others: crate::cluster::Publisher::none(),
        })
    }

    /// The current (latest published) strategy.
    pub fn current(&self) -> Arc<PublishedStrategy> {
        self.current.borrow().clone()
    }

    /// Sees each new version as soon as it is published.
    pub fn subscribe(&self) -> watch::Receiver<Arc<PublishedStrategy>> {
        self.current.subscribe()
    }

    /// Every published version, newest first.
    pub async fn versions(&self) -> Result<Vec<StrategyVersion>, ServiceError> {
        Ok(self.store.strategy_versions().await?)
    }

    pub async fn version(&self, version: i64) -> Result<PublishedStrategy, ServiceError> {
        self.store
            .strategy_version(version)
            .await?
            .ok_or(ServiceError::NotFound("strategy version"))
    }

    /// Publishes `draft` as the next version. Only administrators and
    /// strategic leads may; the draft must build on the latest version.
    pub async fn publish(&self, viewer: &Viewer, draft: StrategyDraft) -> Result<Arc<PublishedStrategy>, ServiceError> {
        if !app::strategy::may_publish(viewer) {
            return Err(ServiceError::Forbidden(
                "only administrators and strategic leads can publish the Control Strategy".into(),
            ));
        }
        // The stored latest, not this server's copy: another may have published.
        let latest = self
            .store
            .latest_strategy()
            .await?
            .ok_or(ServiceError::NotFound("strategy version"))?;
        if draft.base_version != latest.version {
            self.replace(Arc::new(latest.clone()));
            return Err(meanwhile(latest.version));
        }
        let next = draft
            .resolve(&latest.strategy)
            .map_err(|e| ServiceError::Invalid(e.0))?;
        let at = Utc::now().trunc_subsecs(6); // what the database keeps
        let version = NewVersion {
            after: latest.version,
            strategy: &next,
            by: Some(viewer.id),
            at,
        };
        if !self.store.insert_strategy(version).await? {
            return Err(meanwhile(latest.version + 1));
        }
        let published = Arc::new(PublishedStrategy {
            version: latest.version + 1,
            strategy: next,
            published_at: at,
            published_by: viewer.name.clone(),
        });
        tracing::info!(user = %viewer.id, version = published.version, title = %published.strategy.title, "Control Strategy published");
        self.replace(published.clone());
        self.others.publish(crate::cluster::Notice::Strategy);
        Ok(published)
    }

    /// Publishes that other server nodes hear of too.
    pub fn published_by(mut self, others: crate::cluster::Publisher) -> Self {
        self.others = others;
        self
    }

    /// Re-reads the latest version (another node published one).
    pub async fn reload(&self) {
        match self.store.latest_strategy().await {
            Ok(Some(latest)) => self.replace(Arc::new(latest)),
            Ok(None) => {}
            Err(e) => tracing::error!(error = ?e, "could not re-read the Control Strategy another node published"),
        }
    }

    /// Makes `published` current unless a later version already is.
    fn replace(&self, published: Arc<PublishedStrategy>) {
        self.current.send_if_modified(|current| {
            let newer = published.version > current.version;
            if newer {
                *current = published;
            }
            newer
        });
    }
}

/// The pages' port: the same operations as the REST routes.
#[async_trait::async_trait]
impl app::strategy::ssr::StrategyPort for Strategies {
    fn current(&self) -> Arc<PublishedStrategy> {
        Strategies::current(self)
    }

    async fn versions(&self) -> Result<Vec<StrategyVersion>, ServiceError> {
        Strategies::versions(self).await
    }

    async fn version(&self, version: i64) -> Result<PublishedStrategy, ServiceError> {
        Strategies::version(self, version).await
    }

    async fn publish(&self, viewer: &Viewer, draft: StrategyDraft) -> Result<Arc<PublishedStrategy>, ServiceError> {
        Strategies::publish(self, viewer, draft).await
    }
}
