//! The plan page's reviews panel: how often and when the plan was reviewed,
//! "Record review" for its LRO and plan owner, and the way to its history
//! (for the LRO, plan owner and SIO; others are led to the reviews recorded
//! while they were members).

use crate::present;
use crate::versions::{plan_reviews, RecordReview};
use leptos::prelude::*;

/// "Reviewed 3 times, last on 2 December 2026", or that it never was.
pub fn reviewed_line(reviews: &[plan::versions::ReviewRecord]) -> String {
    match reviews.last() {
        None => "Not yet reviewed in Pillars.".to_string(),
        Some(last) => format!(
            "Reviewed {} {}, last on {} by {}.",
            reviews.len(),
            if reviews.len() == 1 { "time" } else { "times" },
            crate::dates::long(last.reviewed_on),
            last.by
        ),
    }
}

#[component]
pub fn ReviewsPanel(id: uuid::Uuid) -> AnyView {
    let record = ServerAction::<RecordReview>::new();
    let data = crate::wire::resource(move || record.version().get(), move |_| plan_reviews(id.to_string()));
    let versions = format!("/plans/{id}/versions");
    let compare = format!("/plans/{id}/compare");
    view! {
        <section class="reviews-panel" id="reviews" aria-labelledby="reviews-heading">
            <h2 id="reviews-heading">"Reviews and versions"</h2>
            <Transition fallback=|| ()>
                {move || {
                    let (versions, compare) = (versions.clone(), compare.clone());
                    Suspend::new(async move {
                        match data.await {
                            Ok(d) => {
                                let can_review = d.can_review;
                                // Earlier versions are only offered to those who may read them.
                                let links = if d.sees_history {
                                    view! {
                                        <p>
                                            <a href=compare id="changes-since-review">"Changes since the last review"</a>
                                            " · "
                                            <a href=versions id="review-history">"Review history and earlier versions"</a>
                                        </p>
                                    }
                                    .into_any()
                                } else {
                                    view! {
                                        <p><a href=versions id="review-history">"Reviews recorded while you were a member"</a></p>
                                    }
                                    .into_any()
                                };
                                view! {
                                    <p id="reviewed-line">{reviewed_line(&d.reviews)}</p>
                                    {can_review.then(|| view! {
                                        <ActionForm action=record attr:class="record-review">
                                            <input type="hidden" name="plan" value=id.to_string()/>
                                            <button type="submit" id="record-review">"Record review"</button>
                                            <span class="help">" Sets last review to today and keeps a frozen copy of the plan as it stands."</span>
                                        </ActionForm>
                                    })}
                                    {links}
                                }
                                    .into_any()
                            }
                            Err(e) => view! { <p class="error" role="alert">{present::user_message(&e)}</p> }.into_any(),
                        }
                    })
                }}
            </Transition>
            <p class="form-error" role="alert" id="record-review-error">
                {move || record.value().get().and_then(|r| r.err()).map(|e| present::user_message(&e))}
            </p>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reviewed_line_counts_and_dates_reviews() {
        assert_eq!(reviewed_line(&[]), "Not yet reviewed in Pillars.");
        let review = |n| plan::versions::ReviewRecord {
            number: n,
            reviewed_on: chrono::NaiveDate::from_ymd_opt(2026, 12, n as u32).unwrap(),
            at: chrono::Utc::now(),
            by: "Dee Lro".into(),
            lro_update: String::new(),
            upto_seq: 0,
        };
        assert_eq!(
            reviewed_line(&[review(1), review(2), review(3)]),
            "Reviewed 3 times, last on 3 December 2026 by Dee Lro."
        );
        assert_eq!(
            reviewed_line(&[review(2)]),
            "Reviewed 1 time, last on 2 December 2026 by Dee Lro."
        );
    }
}
