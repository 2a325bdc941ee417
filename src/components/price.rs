//! A price as the shopper reads it: the selling price, the struck price before a sale or
//! discount, and a badge for a sale: how much is saved where a price is struck, else "Sale" for
//! an automatic discount (marked `automatic`: Wix filters and sorts on the price before it).

use leptos::prelude::*;

use crate::api::catalog::PriceView;

#[component]
pub fn Price(price: PriceView) -> impl IntoView {
    view! {
        <span class="amount">{price.label}</span>
        {price.was.map(|was| view! {
            " " <s class="compare-at" aria-label=format!("was {was}")>{was.clone()}</s>
        })}
        {match (price.percent_off, price.discounted) {
            (Some(percent), automatic) => Some(view! {
                " " <span class="discount-badge" class:automatic=automatic>{format!("{percent}% off")}</span>
            }.into_any()),
            (None, true) => Some(view! {
                " " <span class="discount-badge automatic">"Sale"</span>
            }.into_any()),
            (None, false) => None,
        }}
    }
}
