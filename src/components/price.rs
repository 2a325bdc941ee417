//! A price as the shopper reads it: the selling price, the struck price before a sale or
//! discount, and a badge when an automatic discount applies.

use leptos::prelude::*;

use crate::api::catalog::PriceView;

#[component]
pub fn Price(price: PriceView) -> impl IntoView {
    view! {
        <span class="amount">{price.label}</span>
        {price.was.map(|was| view! {
            " " <s class="compare-at" aria-label=format!("was {was}")>{was.clone()}</s>
        })}
        {price.discounted.then(|| view! { " " <span class="discount-badge">"Sale"</span> })}
    }
}
