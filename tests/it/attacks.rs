//! A partner can run any Yjs client and send any bytes. Each attack here is
//! sent through a real websocket as hand-built update bytes; each test
//! checks that it is refused with the protocol's permission-denied message,
//! that nothing of it is stored or reaches another client, and that the
//! room goes on serving everyone else.

use integration_tests::raw::{edit, refused, replica_as};
use integration_tests::{spawn_app_with_plan, Client, TestApp, WsTarget};
use plan::{ActionChange, NewAction, PlanDoc, Section, P};
use uuid::Uuid;
use yrs::{ReadTxn, Text};

mod structure;

const COUNCIL: &str = "Northshire Council";

/// A plan with a police and a council action, the LRO's client, an
/// observer, and a council partner's websocket address.
struct Scene {
    app: TestApp,
    plan: Uuid,
    police: String,
    council: String,
    lro: Client,
    observer: Client,
    partner: WsTarget,
}

impl Scene {
    /// Asserts that exactly one edit (one log entry, one change) was
    /// stored since `before`, a [`Scene::stored`].
    async fn assert_one_edit_stored_since(&self, before: (i64, i64), what: &str) {
        assert_eq!(self.stored().await, (before.0 + 1, before.1 + 1), "{what}");
    }
}

async fn scene() -> Scene {
    let (app, plan) = spawn_app_with_plan("Operation Rowan").await;
    let lro = Client::connect(&app.ws_url(plan)).await;
    let add = |agency: &str| {
        let action = NewAction {
            owner_agency: agency.into(),
            ..NewAction::new([P::Pursue], format!("{agency} task"))
        };
        lro.edit(|p, t| p.add_action(t, &action).unwrap())
    };
    let (police, council) = (add(integration_tests::USER_AGENCY), add(COUNCIL));
    app.add_member(plan, "pat@council.gov.uk", "Pat", COUNCIL, "partner")
        .await;
    let partner = app.ws_as(plan, &app.session_for("pat@council.gov.uk").await);
    let observer = Client::connect(&app.ws_url(plan)).await;
    observer
        .wait_for_doc("both actions", |p| p.actions(&p.transact()).len() == 2)
        .await;
    Scene {
        app,
        plan,
        police,
        council,
        lro,
        observer,
        partner,
    }
}

impl Scene {
    /// Stored log entries and audit entries of the plan.
    async fn stored(&self) -> (i64, i64) {
        sqlx::query_as(
            "SELECT (SELECT count(*) FROM plan_updates WHERE plan_id = $1), \
                    (SELECT count(*) FROM plan_changes WHERE plan_id = $1)",
        )
        .bind(self.plan)
        .fetch_one(&self.app.pool)
        .await
        .expect("counting stored rows")
    }

    /// The council partner, from a fresh connection, updates the council
    /// action (an edit its role may make) but writes it under `client`, an
    /// id someone else uses; returns why it was refused.
    async fn partner_updates_council_action_as(&self, client: u64) -> String {
        let forged = replica_as(&self.observer.plan.encode_state(), client);
        let update = edit(&forged, |p, t| {
            p.change_action(t, &self.council, &ActionChange::Update("Visited".into()))
                .unwrap();
        });
        refused(&self.partner, forged, update).await
    }

    /// The LRO types a marker into the aim and the observer receives it:
    /// the room handles frames in order, so anything sent before it that
    /// was going to reach the observer has.
    async fn flush(&self, marker: &str) {
        self.lro.edit(|p, t| {
            let aim = p.section_ref(Section::Aim);
            let end = aim.len(t);
            aim.insert(t, end, marker);
        });
        self.observer
            .wait_for_doc(marker, |p| p.section_text(&p.transact(), Section::Aim).contains(marker))
            .await;
    }
}

fn var(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            return out.push(byte);
        }
        out.push(byte | 0x80);
    }
}

/// An update with no structs that deletes `len` ids of `client` from `clock`.
fn delete_only(client: u64, clock: u32, len: u32) -> Vec<u8> {
    let mut out = vec![0];
    for n in [1, client, 1, u64::from(clock), u64::from(len)] {
        var(&mut out, n);
    }
    out
}

#[tokio::test]
async fn a_delete_set_for_someone_elses_next_characters_is_refused_and_their_typing_survives() {
    let s = scene().await;
    s.flush("Dismantle").await;
    let before = s.stored().await;
    // The LRO's client id and next clock are visible to every member.
    let victim = s.lro.plan.doc().client_id();
    let next = s.lro.plan.transact().state_vector().get(&victim);
    let replica = PlanDoc::from_state(&s.observer.plan.encode_state()).unwrap();
    let denial = refused(&s.partner, replica, delete_only(victim.get(), next, 40)).await;
    assert!(denial.contains("which the plan does not have"), "{denial}");
    s.flush(" the Red Kings").await;
    let aim = s.observer.plan.section_text(&s.observer.plan.transact(), Section::Aim);
    assert_eq!(aim, "Dismantle the Red Kings", "the LRO's next words arrive whole");
    s.assert_one_edit_stored_since(before, "only the LRO's edit is stored")
        .await;
}

#[tokio::test]
async fn an_honest_replica_seeded_from_the_page_is_no_edit_on_connect() {
    let s = scene().await;
    // The plan has seen deletions: the aim rewritten, an action's status set.
    s.lro.edit(|p, t| p.set_section_text(t, Section::Aim, "Disrupt"));
    s.lro.edit(|p, t| p.set_section_text(t, Section::Aim, "Dismantle"));
    s.flush(" now").await;
    s.app
        .add_member(s.plan, "vic@schools.org", "Vic", "Schools", "viewer")
        .await;
    let viewer = s.app.ws_as(s.plan, &s.app.session_for("vic@schools.org").await);
    let before = s.stored().await;
    // What the page embeds is the server's whole state: its sync step 2
    // carries the plan's whole delete set.
    let page_state = s.observer.plan.encode_state();
    let as_viewer = Client::connect_with(&viewer, PlanDoc::from_state(&page_state).unwrap()).await;
    let as_lro = Client::connect_with(&s.app.ws_url(s.plan), PlanDoc::from_state(&page_state).unwrap()).await;
    s.flush(".").await;
    for client in [&as_viewer, &as_lro] {
        client
            .wait_for_doc("the marker", |p| {
                p.section_text(&p.transact(), Section::Aim).ends_with('.')
            })
            .await;
        assert!(client.seen().denied.is_empty(), "{:?}", client.seen().denied);
    }
    s.assert_one_edit_stored_since(before, "connecting stored nothing")
        .await;
}

#[tokio::test]
async fn writing_under_another_users_client_id_is_refused() {
    let s = scene().await;
    s.flush("Dismantle").await;
    let lro_client = s.lro.plan.doc().client_id().get();
    let denial = s.partner_updates_council_action_as(lro_client).await;
    assert!(denial.contains("belongs to another user"), "{denial}");
    // The LRO goes on writing under its own id.
    s.flush(" now").await;
    let action = s.observer.plan.action(&s.observer.plan.transact(), &s.council).unwrap();
    assert_eq!(action.update, "");
}

/// Presence shows every member a newcomer's client id before the newcomer
/// types anything. A partner who copies it and writes under it first is
/// refused, and the newcomer's typing still goes in.
#[tokio::test]
async fn writing_first_under_a_client_id_seen_in_presence_is_refused() {
    let s = scene().await;
    let newcomer = Client::connect(&s.app.ws_url(s.plan)).await;
    newcomer.announce(r#"{"user":{"name":"New"}}"#);
    let id = newcomer.plan.doc().client_id().get();
    s.observer
        .wait_until("the newcomer's presence", |seen| seen.presence.contains_key(&id))
        .await;
    let denial = s.partner_updates_council_action_as(id).await;
    assert!(denial.contains("belongs to another user"), "{denial}");

    newcomer.edit(|p, t| p.section_ref(Section::Aim).insert(t, 0, "Newcomer's words "));
    s.observer
        .wait_for_doc("the newcomer's words", |p| {
            p.section_text(&p.transact(), Section::Aim).contains("Newcomer's words")
        })
        .await;
    assert!(newcomer.seen().denied.is_empty(), "{:?}", newcomer.seen().denied);
    let action = s.observer.plan.action(&s.observer.plan.transact(), &s.council).unwrap();
    assert_eq!(action.update, "");
}
