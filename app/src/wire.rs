//! How a page's data travels: every server function answers in postcard,
//! and every resource holding such an answer is carried into the page for
//! hydration in postcard too (base64 in the HTML).
//!
//! Why not JSON, leptos' default: serde_json's deserializer is instantiated
//! once per type the browser reads, about 3 KB of WASM each; postcard's is a
//! fraction of that (see the README's "Bundle size"). The REST API stays
//! JSON, and arguments stay form-encoded (forms post them without
//! JavaScript). Postcard is not self-describing, so a server function's
//! answer changes shape only under a new endpoint name (a page opened
//! before an upgrade keeps calling the old one).

use leptos::prelude::*;
use std::future::Future;

/// Every server function's `output`.
pub use leptos::server_fn::codec::Postcard;

/// The codec of resources that hold server functions' answers.
pub type Wire = codee::binary::PostcardCodec;

/// A [`Resource`] carried into the page in postcard: [`Resource::new`]
/// with the [`Wire`] codec.
#[track_caller]
pub fn resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<T, Wire>
where
    T: serde::Serialize + serde::de::DeserializeOwned + Send + Sync + 'static,
    S: Send + Sync + Clone + PartialEq + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

/// Bytes as one run in postcard (a `Vec<u8>` would be a sequence of
/// varints, up to twice as long, and base64 inside postcard would be
/// base64 twice in the page): `#[serde(with = "crate::wire::bytes")]`.
pub mod bytes {
    use serde::{de, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        struct Bytes;
        impl<'de> de::Visitor<'de> for Bytes {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
                Ok(v.to_vec())
            }
            fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
                Ok(v)
            }
        }
        deserializer.deserialize_byte_buf(Bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use codee::{Decoder, Encoder};
    use plan::access::Change;
    use plan::{PlanSummary, SecurityMarking, StatusCounts, Tier};

    fn round_trip<T>(value: &T) -> T
    where
        T: serde::Serialize + serde::de::DeserializeOwned,
    {
        Wire::decode(&Wire::encode(value).expect("encodes")).expect("decodes")
    }

    /// Postcard cannot skip a field or guess a shape, so what pages read
    /// must not ask it to (`skip_serializing_if`, `flatten`, `untagged`).
    #[test]
    fn answers_round_trip_through_the_wire_codec() {
        let summary = PlanSummary {
            id: uuid::Uuid::new_v4(),
            marking: SecurityMarking::OfficialSensitive,
            subject_kind: None,
            subject_name: "Operation Alder".into(),
            subject_ref: "OCG-17".into(),
            tier: Tier::new(2).ok(),
            lro: "Dee Lro".into(),
            next_review: chrono::NaiveDate::from_ymd_opt(2027, 1, 31),
            actions: StatusCounts::default(),
        };
        let answer: Result<Vec<PlanSummary>, ServerFnError> = Ok(vec![summary]);
        assert_eq!(round_trip(&answer), answer);
        let refused: Result<Vec<PlanSummary>, ServerFnError> = Err(ServerFnError::ServerError("plan not found".into()));
        assert_eq!(round_trip(&refused), refused);
        let changes = vec![
            Change {
                field: "aim".into(),
                old: None,
                new: Some("Dismantle".into()),
            },
            Change {
                field: "action:a1".into(),
                old: None,
                new: None,
            },
        ];
        assert_eq!(round_trip(&changes), changes);

        let new = plan::NewPlan {
            subject_kind: plan::SubjectKind::Ocg,
            subject_name: "Operation Alder".into(),
            subject_ref: String::new(),
            tier: Tier::new(1).unwrap(),
            lro: "Dee Lro".into(),
        };
        let plan = plan::PlanDoc::create(&new, chrono::NaiveDate::from_ymd_opt(2026, 12, 4).unwrap());
        let page = crate::api::PlanPageData::new(
            uuid::Uuid::new_v4(),
            &plan,
            plan::ReviewIntervals::default(),
            plan::access::Role::Lro,
            plan::strategy::ControlStrategy::seed(),
        );
        assert_eq!(round_trip(&Some(page.clone())), Some(page));
    }
}
