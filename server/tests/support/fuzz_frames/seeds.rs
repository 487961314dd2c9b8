//! The seed inputs: a plan with actions and the frames and updates that
//! real replicas of it make, under fixed client ids.

use super::*;

/// A seed input: a whole frame, or a raw update (fed to the gate directly
/// and, wrapped in an update message, to the room).
#[derive(Clone)]
pub enum Seed {
    Frame(Vec<u8>),
    Update(Vec<u8>),
}

pub(super) const LRO: u128 = 1;
pub(super) const COUNCIL: u128 = 2;
pub(super) const VIEWER: u128 = 3;
pub(super) const SIO: u128 = 4;

pub(super) fn user(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n)
}

pub(super) fn doc_as(client: u64) -> yrs::Doc {
    yrs::Doc::with_options(yrs::Options {
        client_id: ClientID::new(client),
        offset_kind: yrs::OffsetKind::Utf16,
        ..Default::default()
    })
}

/// A replica of `plan` writing under `client`.
pub(super) fn replica_as(plan: &PlanDoc, client: u64) -> PlanDoc {
    let doc = doc_as(client);
    let update = Update::decode_v1(&plan.encode_state()).unwrap();
    doc.transact_mut().apply_update(update).unwrap();
    PlanDoc::new(doc)
}

/// Adds an action as [`PlanDoc::add_action`] does, under a given id and
/// field by field in a fixed order (`add_action` writes a `MapPrelim`,
/// whose entries yrs integrates in hash order, different on every run).
pub(super) fn add_action(t: &mut yrs::TransactionMut, id: &str, action: &NewAction) -> String {
    let actions = MapRef::root("actions").get_or_create(t);
    let map = actions.insert(t, id, MapPrelim::default());
    let ps = map.insert(t, "ps", MapPrelim::default());
    for p in &action.ps {
        ps.insert(t, p.as_str(), true);
    }
    map.insert(t, "text", TextPrelim::new(action.text.as_str()));
    map.insert(t, "owner_name", TextPrelim::new(action.owner_name.as_str()));
    map.insert(t, "owner_agency", action.owner_agency.as_str());
    map.insert(t, "update", TextPrelim::new(action.update.as_str()));
    map.insert(t, "status", action.status.as_str());
    map.insert(t, "submitted", action.submitted);
    id.to_string()
}

pub(super) fn edit(plan: &PlanDoc, change: impl FnOnce(&PlanDoc, &mut yrs::TransactionMut)) -> Vec<u8> {
    let before = plan.transact().state_vector();
    change(plan, &mut plan.transact_mut());
    plan.transact().encode_state_as_update_v1(&before)
}

pub(super) fn update_frame(update: Vec<u8>) -> Vec<u8> {
    Message::Sync(SyncMessage::Update(update)).encode_v1()
}

/// A presence message, encoded by hand (as y-protocols does) so that its
/// entries keep their order: yrs keeps them in a hash map.
pub(super) fn awareness_frame(entries: &[(u64, u32, &str)]) -> Vec<u8> {
    let mut payload = Vec::new();
    var(&mut payload, entries.len() as u64);
    for (client, clock, json) in entries {
        var(&mut payload, *client);
        var(&mut payload, u64::from(*clock));
        var(&mut payload, json.len() as u64);
        payload.extend_from_slice(json.as_bytes());
    }
    let mut frame = vec![1];
    var(&mut frame, payload.len() as u64);
    frame.extend(payload);
    // It is what yrs reads.
    let message = Message::decode_v1(&frame).expect("a presence message");
    assert!(matches!(message, Message::Awareness(ref u) if u.clients.len() == entries.len()));
    frame
}

/// The plan every room and gate starts from (two agencies' actions, some
/// deleted text), and the seeds made by replicas of it.
pub struct Corpus {
    pub state: Vec<u8>,
    /// Client ids in `state` and who owns them.
    pub owners: Vec<(u64, uuid::Uuid)>,
    pub seeds: Vec<Seed>,
}

pub fn corpus() -> Corpus {
    // Everything here is made under fixed client ids and in a fixed order,
    // so that a seed replays the same run.
    let origin = PlanDoc::new(doc_as(10));
    {
        let mut t = origin.transact_mut();
        origin.set_subject_kind(&mut t, SubjectKind::Ocg);
        origin.set_tier(&mut t, Tier::new(2).unwrap());
        origin.set_marking(&mut t, SecurityMarking::default());
        MapRef::root("header")
            .get_or_create(&mut t)
            .insert(&mut t, "created", "2026-01-01");
        origin.set_header_text(&mut t, HeaderText::SubjectName, "Red Kings");
        origin.set_header_text(&mut t, HeaderText::Lro, "DI Jones");
    }
    let lro = replica_as(&origin, 11);
    let mut ids = Vec::new();
    let mut seeds = Vec::new();
    let setup = edit(&lro, |p, t| {
        for (id, agency, text) in [
            ("action-police", "Police", "Raid"),
            ("action-council", "Council", "Licensing"),
            ("action-council-2", "Council", "Youth work"),
        ] {
            let action = NewAction {
                owner_agency: agency.into(),
                update: "Started".into(),
                ..NewAction::new([P::Pursue, P::Prevent], text)
            };
            ids.push(add_action(t, id, &action));
        }
        p.set_section_text(t, Section::Aim, "Disrupt supply 🚓");
        p.set_section_text(t, Section::Aim, "Dismantle the group");
    });
    seeds.push(Seed::Update(setup.clone()));
    let base = replica_as(&lro, 12);
    let owners = vec![(11, user(LRO))];
    let (police, council) = (ids[0].clone(), ids[1].clone());

    // Updates from every role, honest and not, each from a fresh replica.
    let mut client = 100;
    let mut from = |change: &dyn Fn(&PlanDoc, &mut yrs::TransactionMut)| {
        client += 1;
        edit(&replica_as(&base, client), |p, t| change(p, t))
    };
    let c = council.clone();
    seeds.push(Seed::Update(from(&|p, t| {
        p.change_action(t, &c, &ActionChange::Update("Visited the venue".into()))
            .unwrap();
        p.change_action(t, &c, &ActionChange::Status(RagStatus::Amber)).unwrap();
    })));
    let c = council.clone();
    seeds.push(Seed::Update(from(&|p, t| {
        p.change_action(t, &c, &ActionChange::Disruption(None)).unwrap();
        p.change_action(t, &c, &ActionChange::Date(Some("2026-02-03".parse().unwrap())))
            .unwrap();
    })));
    seeds.push(Seed::Update(from(&|_, t| {
        let action = NewAction {
            owner_agency: "Council".into(),
            ..NewAction::new([P::Protect], "CCTV")
        };
        add_action(t, "action-cctv", &action);
    })));
    let pol = police.clone();
    seeds.push(Seed::Update(from(&|p, t| {
        p.change_action(t, &pol, &ActionChange::Text("Raid the depot".into()))
            .unwrap();
        p.change_action(t, &pol, &ActionChange::OwnerAgency("Council".into()))
            .unwrap();
    })));
    let pol = police.clone();
    seeds.push(Seed::Update(from(&|p, t| p.delete_action(t, &pol).unwrap())));
    seeds.push(Seed::Update(from(&|p, t| {
        p.set_section_text(t, Section::Partnerships, "Council, Fire, Schools");
        p.select_objective(t, "pursue-1", true).unwrap();
        p.tag_threat(t, &plan::strategy::ThreatKey::parse("county-lines").unwrap(), true);
        let objective = MapRef::root("custom_objectives").get_or_create(t);
        let entry = objective.insert(t, "objective-retaliation", MapPrelim::default());
        entry.insert(t, "p", P::Prepare.as_str());
        entry.insert(t, "text", TextPrelim::new("Plan for retaliation"));
        entry.insert(t, "selected", true);
    })));
    let c = council.clone();
    seeds.push(Seed::Update(from(&|p, t| {
        p.action_ref(t, &c).unwrap().insert(t, "colour", "red");
    })));
    // Several updates from one replica, in order: the later ones build on
    // the earlier (a gap when sent alone).
    let partner = replica_as(&base, 200);
    for word in ["one", "one two", "one two three"] {
        let c = council.clone();
        seeds.push(Seed::Update(edit(&partner, |p, t| {
            p.change_action(t, &c, &ActionChange::Update(word.into())).unwrap();
        })));
    }
    // Whole states and differences, as sync step 2 carries them.
    let whole = partner.encode_state();
    let diff = partner
        .transact()
        .encode_state_as_update_v1(&base.transact().state_vector());
    seeds.push(Seed::Update(whole.clone()));
    seeds.push(Seed::Update(diff.clone()));
    seeds.push(Seed::Update(delete_only(11, 0, 5)));
    seeds.push(Seed::Update(delete_only(200, 40, 9)));

    // Frames.
    let updates: Vec<Vec<u8>> = seeds
        .iter()
        .filter_map(|s| match s {
            Seed::Update(u) => Some(u.clone()),
            Seed::Frame(_) => None,
        })
        .collect();
    for update in &updates {
        seeds.push(Seed::Frame(update_frame(update.clone())));
    }
    seeds.push(Seed::Frame(
        Message::Sync(SyncMessage::SyncStep2(diff.clone())).encode_v1(),
    ));
    for sv in [
        StateVector::default(),
        base.transact().state_vector(),
        partner.transact().state_vector(),
    ] {
        seeds.push(Seed::Frame(Message::Sync(SyncMessage::SyncStep1(sv)).encode_v1()));
    }
    seeds.push(Seed::Frame(awareness_frame(&[(
        200,
        1,
        r##"{"user":{"name":"Pat","color":"#30bced"},"cursor":{"anchor":1,"head":3}}"##,
    )])));
    seeds.push(Seed::Frame(awareness_frame(&[(200, 2, "null"), (201, 7, "{}")])));
    seeds.push(Seed::Frame(Message::AwarenessQuery.encode_v1()));
    seeds.push(Seed::Frame(Message::Auth(Some("permission denied".into())).encode_v1()));
    // Several messages in one frame: step 1, an update, presence.
    let mut multi = Message::Sync(SyncMessage::SyncStep1(StateVector::default())).encode_v1();
    multi.extend(update_frame(updates[1].clone()));
    multi.extend(awareness_frame(&[(300, 1, r#"{"user":{"name":"X"}}"#)]));
    seeds.push(Seed::Frame(multi));
    let mut two = update_frame(updates[updates.len() - 6].clone());
    two.extend(update_frame(updates[updates.len() - 5].clone()));
    seeds.push(Seed::Frame(two));
    Corpus {
        state: lro.encode_state(),
        owners,
        seeds,
    }
}

pub(super) fn var(out: &mut Vec<u8>, mut n: u64) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

pub(super) fn delete_only(client: u64, clock: u32, len: u32) -> Vec<u8> {
    let mut out = vec![0];
    for n in [1, client, 1, u64::from(clock), u64::from(len)] {
        var(&mut out, n);
    }
    out
}
