//! What a cart action did, told to the shopper: from the action once hydrated, else from the
//! notice a plain form post brought back in the URL (`?cart=<code>`).

use leptos::prelude::*;

use crate::api::{
    cart::{AddToCartOutcome, CartNotice},
    error::StoreError,
};

/// The live region that says it; `message` is `(text, success)`. `test_id` tells the drawer's
/// apart from the page's.
#[component]
pub fn CartNoticeLine(
    message: impl Fn() -> Option<(String, bool)> + Send + Sync + 'static,
    #[prop(default = "cart-notice")] test_id: &'static str,
) -> impl IntoView {
    view! {
        <p class="cart-notice" role="status" aria-live="polite" data-testid=test_id>
            {move || message().map(|(text, ok)| view! {
                <span class=if ok { "ok" } else { "problem" }>{text}</span>
            })}
        </p>
    }
}

/// The latest outcome of a cart change, else the notice from the URL. `(text, success)`.
pub fn notice_message(
    outcome: Option<Result<CartNotice, StoreError>>,
    from_url: Option<CartNotice>,
) -> Option<(String, bool)> {
    let notice = match outcome {
        Some(Ok(notice)) => notice,
        Some(Err(error)) => return Some((error.message().to_owned(), false)),
        None => from_url?,
    };
    Some((notice.message().to_owned(), notice.is_success()))
}

/// [`notice_message`] for an add.
pub fn add_message(
    outcome: Option<Result<AddToCartOutcome, StoreError>>,
    from_url: Option<CartNotice>,
) -> Option<(String, bool)> {
    notice_message(outcome.map(|o| o.map(AddToCartOutcome::notice)), from_url)
}

/// The `?cart=` notice of the page being rendered (on the server, where pages render).
pub fn notice_in_url() -> Option<CartNotice> {
    leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("cart")
        .and_then(|code| CartNotice::from_code(&code))
}
