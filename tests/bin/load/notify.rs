//! `pillars-load notify`: the notifications' two costs.
//!
//! - **Outbox throughput**: a burst of EMAILS notifications (one each to as
//!   many people, written in one transaction through the outbox, as an
//!   action assigned to a large agency would be) emailed to the real SMTP
//!   server of the tests (aiosmtpd, `tests/smtp`) by SENDERS senders, as
//!   that many nodes would: emails per second from the first claim until
//!   the last is marked sent, and each checked received exactly once.
//! - **The daily sweep** over PLANS plans of ACTIONS actions (a quarter of
//!   them overdue, owned by a member's agency), with an LRO and a partner
//!   on each: its time, the day's first run, then a second day's (every
//!   event already told).

use chrono::Utc;
use integration_tests::smtp::SmtpServer;
use integration_tests::spawn_app;
use integration_tests::stores::plan_with_lro;
use plan::notifications::Kind;
use plan::portfolio::{ActionFacts, PlanFacts};
use plan::{RagStatus, P};
use server::notifications::sender::{Sender, SenderSettings};
use server::notifications::{Notify, Outbox, Recipients};
use server::portfolio::{AllFacts, PortfolioStore};
use server::store::PgStore;
use std::sync::Arc;
use std::time::{Duration, Instant};
use uuid::Uuid;

pub async fn notify(emails: usize, senders: usize, plans: usize, actions: usize) {
    throughput(emails, senders).await;
    sweep(plans, actions).await;
}

async fn throughput(emails: usize, senders: usize) {
    let app = spawn_app().await;
    let store = PgStore::from_pool(app.pool.clone());
    let lro = app.user_id(integration_tests::USER_EMAIL).await;
    let plan = plan_with_lro(&store, lro).await.unwrap();
    // EMAILS people, each a viewer of the plan, in one statement each.
    let agency = app.agency_id(integration_tests::USER_AGENCY).await;
    sqlx::query(
        "INSERT INTO users (id, email, name, agency_id, password_hash) \
         SELECT gen_random_uuid(), 'person' || n || '@force.police.uk', 'Person ' || n, $1, 'x' \
         FROM generate_series(1, $2) AS n",
    )
    .bind(agency)
    .bind(emails as i64)
    .execute(&app.pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO plan_members (plan_id, user_id, role) SELECT $1, id, 'viewer' FROM users WHERE id <> $2")
        .bind(plan)
        .bind(lro)
        .execute(&app.pool)
        .await
        .unwrap();
    let written = Instant::now();
    let mut tx = app.pool.begin().await.unwrap();
    let link = plan::notifications::action_link(plan, "burst");
    let note = Notify {
        kind: Kind::ActionAssignedAgency,
        plan,
        link: &link,
        to: Recipients::Roles(&[plan::access::Role::Viewer]),
        by: Some(lro),
        event: None,
    };
    let told = tx.write_notifications(&[note], Utc::now()).await.unwrap();
    tx.commit().await.unwrap();
    println!(
        "outbox: {} notifications written in one transaction in {:.0} ms",
        told.len(),
        written.elapsed().as_secs_f64() * 1000.0
    );

    let smtp = SmtpServer::start().await;
    let mut config = server::Config::for_database(None);
    smtp.configure(&mut config);
    config.email.email_claim_secs = 120;
    let settings = SenderSettings {
        smtp: config.email.smtp().unwrap().unwrap(),
        origin: "https://pillars.example".into(),
        lease: Duration::from_secs(120),
        retry_max: Duration::from_secs(1),
        poll: Duration::from_secs(1),
    };
    let started = Instant::now();
    let mut running = Vec::new();
    for _ in 0..senders {
        let sender = Sender::new(Arc::new(PgStore::from_pool(app.pool.clone())), settings.clone()).unwrap();
        running.push(tokio::spawn(async move {
            let mut sent = 0;
            loop {
                let round = sender.round(Utc::now()).await.unwrap();
                if round.sent == 0 && round.failed == 0 {
                    return sent;
                }
                sent += round.sent;
            }
        }));
    }
    let mut per_sender = Vec::new();
    for r in running {
        per_sender.push(r.await.unwrap());
    }
    let took = started.elapsed().as_secs_f64();
    let total: usize = per_sender.iter().sum();
    let messages = smtp
        .wait_within(Duration::from_secs(60), "every email", |m| m.len() >= total)
        .await;
    let mut ids: Vec<i64> = messages.iter().flat_map(|m| m.notification_ids()).collect();
    let received = ids.len();
    ids.sort();
    ids.dedup();
    println!(
        "outbox: {total} emails sent by {senders} sender(s) ({per_sender:?}) in {took:.1} s: {:.0} emails/s; \
         {received} notifications received, {} distinct",
        total as f64 / took,
        ids.len()
    );
}

async fn sweep(plans: usize, actions: usize) {
    let app = spawn_app().await;
    let store = PgStore::from_pool(app.pool.clone());
    let lro = app.user_id(integration_tests::USER_EMAIL).await;
    let partner = app
        .add_user("pat@council.gov.uk", "Pat Partner", "Northshire Council")
        .await
        .id;
    let today = Utc::now().date_naive();
    let seeded = Instant::now();
    for n in 0..plans {
        let plan = plan_with_lro(&store, lro).await.unwrap();
        sqlx::query("INSERT INTO plan_members (plan_id, user_id, role) VALUES ($1, $2, 'partner')")
            .bind(plan)
            .bind(partner)
            .execute(&app.pool)
            .await
            .unwrap();
        let facts = PlanFacts {
            subject_kind: None,
            tier: None,
            // Every tenth plan's review is due within the week.
            next_review: Some(today + chrono::Days::new(if n % 10 == 0 { 3 } else { 60 })),
            threats: Vec::new(),
        };
        let list: Vec<ActionFacts> = (0..actions).map(|a| action(a, today)).collect();
        let all = AllFacts {
            plan,
            seq: 0,
            facts: &facts,
            actions: &list,
        };
        store.replace_facts(all, false).await.unwrap();
    }
    println!(
        "sweep: seeded {plans} plans of {actions} actions in {:.1} s",
        seeded.elapsed().as_secs_f64()
    );
    let notifications = &app.state.notifications;
    for (label, day) in [("first", today), ("next day's", today + chrono::Days::new(1))] {
        let started = Instant::now();
        let swept = notifications.sweep(day).await.unwrap().expect("the day's sweep");
        println!(
            "sweep: the {label} run took {:.0} ms: {} notifications, {} digests",
            started.elapsed().as_secs_f64() * 1000.0,
            swept.notified,
            swept.digests
        );
    }
    let again = Instant::now();
    assert!(notifications.sweep(today).await.unwrap().is_none());
    println!(
        "sweep: a node finding the day swept already: {:.1} ms",
        again.elapsed().as_secs_f64() * 1000.0
    );
}

/// A quarter overdue and the partner's agency's; the rest due later.
fn action(a: usize, today: chrono::NaiveDate) -> ActionFacts {
    let overdue = a % 4 == 0;
    ActionFacts {
        id: Uuid::new_v4().to_string(),
        status: Some(if a % 8 == 1 { RagStatus::Green } else { RagStatus::Amber }),
        date: None,
        target_date: Some(if overdue {
            today - chrono::Days::new(5)
        } else {
            today + chrono::Days::new(30)
        }),
        disruption: None,
        owner_agency: if overdue {
            "Northshire Council"
        } else {
            "Northshire Police"
        }
        .into(),
        ps: [P::Pursue].into(),
        submitted: false,
        text: format!("Action {a}"),
        owner_name: String::new(),
        update: String::new(),
    }
}
