//! Cart actions for server functions: the badge, the cart page, add/update/remove, checkout.

use std::{collections::HashMap, future::Future};

use axum::http::request::Parts;
use leptos::prelude::use_context;

use wix_headless::{
    cart::{assess_add, AddOutcome, Callbacks, Cart, CartTotals, CatalogReference, LineItemInput},
    ErrorCode, Money, WixClient, WixError,
};

use super::{
    calls::{
        app_state, current_session, fail, fail_change, is_plain_form_request, visitor_call, Mint,
    },
    catalog::{image_view, products_by_ids, CART_LINE},
    limits::current_client_address,
    security::form_may_reach,
    session::{CartSize, Session},
    state::AppState,
};
use crate::{
    api::{
        cart::{
            parse_quantity, AddToCartOutcome, CartLineView, CartNotice, CartSummary, CartView,
            TotalKind, TotalLine, MAX_COUPON_LENGTH,
        },
        catalog::ImageView,
        error::StoreError,
    },
    url::{safe_return_path, with_query_param, CART_PAGE},
};

/// How long the cart's size remembered in the session answers for the header badge before the
/// cart is read again (it changes without the store seeing only through Wix's hosted checkout,
/// whose return is read at once).
const CART_SIZE_FRESH_SECS: i64 = 300;
/// Pages whose header reads the cart from Wix whatever the session remembers: the cart page
/// (it shows the lines, so the badge must agree with them) and the page Wix's hosted checkout
/// returns to (the cart may have become an order there).
const PAGES_READING_THE_CART: [&str; 2] = [CART_PAGE, "/thank-you"];

/// The visitor's cart, without minting a visitor; its size is remembered in the session.
async fn current_cart(state: &AppState, session: &Session) -> Result<Option<Cart>, WixError> {
    let wix = state.wix.clone();
    let cart = visitor_call(state, session, Mint::Never, |token| {
        let wix = wix.clone();
        async move { wix.current_cart(&token).await }
    })
    .await?;
    if let Some(cart) = &cart {
        remember_size(state, session, cart.as_ref());
    }
    Ok(cart.flatten())
}

/// Remembers what the cart holds now (`None`: no cart, so nothing).
fn remember_size(state: &AppState, session: &Session, cart: Option<&Cart>) {
    let items = cart.map_or(0, Cart::item_count);
    session.remember_cart_size(items, state.wix.now(), CART_SIZE_FRESH_SECS / 2);
}

/// What the badge may show of the cart's size the session remembers without reading the cart
/// again: `None` once that reading is older than [`CART_SIZE_FRESH_SECS`].
pub fn badge_count(known: CartSize, now: i64) -> Option<u32> {
    (now - known.seen_at < CART_SIZE_FRESH_SECS).then_some(known.items)
}

/// The header: the cart's size (0 without a session, and no Wix call either; from the session
/// while what it remembers is fresh) and who is signed in.
pub async fn summary() -> Result<CartSummary, StoreError> {
    let state = app_state()?;
    let session = current_session();
    let reads_the_cart = use_context::<Parts>()
        .is_some_and(|parts| PAGES_READING_THE_CART.contains(&parts.uri.path()));
    let known = session
        .cart_size()
        .and_then(|known| badge_count(known, state.wix.now()))
        .filter(|_| !reads_the_cart);
    let item_count = match known {
        Some(items) => items,
        None => current_cart(&state, &session)
            .await
            .map_err(fail)?
            .map_or(0, |c| c.item_count()),
    };
    Ok(CartSummary {
        item_count,
        member_name: session.member_name(),
    })
}

/// Without JavaScript, a form post returns to the page it came from, the outcome in its URL.
fn redirect_plain_form(return_to: &str, notice: CartNotice) {
    if is_plain_form_request() {
        let target = with_query_param(&safe_return_path(return_to), "cart", notice.code());
        leptos_axum::redirect(&target);
    }
}

/// Reports a cart action: a plain form is sent back with its notice, and a failure becomes that
/// notice (`failed` makes the answer from it); a fetch gets the result as it is.
fn report<T>(
    return_to: &str,
    result: Result<T, StoreError>,
    notice: impl Fn(&T) -> CartNotice,
    failed: impl FnOnce(CartNotice) -> T,
) -> Result<T, StoreError> {
    if result.is_err() {
        // The change may have been applied (a timeout): the next page reads the cart again.
        current_session().forget_cart_size();
    }
    match result {
        Ok(value) => {
            redirect_plain_form(return_to, notice(&value));
            Ok(value)
        }
        Err(error) if is_plain_form_request() => {
            let notice = CartNotice::after_failure(error);
            redirect_plain_form(return_to, notice);
            tracing::debug!(%error, "cart action failed");
            Ok(failed(notice))
        }
        Err(error) => Err(error),
    }
}

pub async fn add(
    product_id: String,
    variant_id: String,
    quantity: String,
    return_to: String,
) -> Result<AddToCartOutcome, StoreError> {
    let result = add_inner(product_id, variant_id, &quantity).await;
    report(
        &return_to,
        result,
        |outcome| outcome.notice(),
        |_| AddToCartOutcome::NotAdded { item_count: 0 },
    )
}

async fn add_inner(
    product_id: String,
    variant_id: String,
    quantity: &str,
) -> Result<AddToCartOutcome, StoreError> {
    let Some(quantity) = parse_quantity(quantity) else {
        return Ok(AddToCartOutcome::InvalidQuantity);
    };
    if product_id.is_empty() || product_id.len() > 100 || variant_id.len() > 100 {
        return Ok(AddToCartOutcome::ProductUnavailable);
    }
    let variant = Some(variant_id.as_str()).filter(|v| !v.is_empty());
    let state = app_state()?;
    let session = current_session();
    // A first add mints a visitor (a Wix identity): held to a rate per client address.
    if session.tokens().is_none() {
        state.limits.check_new_visitor(current_client_address())?;
    }
    // The cart before, to tell what this add really did (Wix answers 200 either way).
    let before = current_cart(&state, &session).await.map_err(fail)?;
    let items = [LineItemInput {
        quantity,
        catalog_reference: CatalogReference::stores_product(&product_id, variant),
    }];
    let wix = state.wix.clone();
    let added = visitor_call(&state, &session, Mint::IfMissing, |token| {
        let wix = wix.clone();
        let items = items.clone();
        async move { wix.add_to_cart(&token, &items).await }
    })
    .await;
    let cart = match added {
        // Wix refused the item itself (unknown product or variant): nothing was added.
        Err(WixError::Refused { code, .. })
            if matches!(
                code,
                ErrorCode::ItemNotFoundInCatalog | ErrorCode::Validation
            ) =>
        {
            tracing::info!(?code, "add to cart refused");
            return Ok(AddToCartOutcome::ProductUnavailable);
        }
        Err(WixError::Refused {
            code: ErrorCode::InsufficientInventory,
            ..
        }) => {
            let item_count = before.as_ref().map_or(0, Cart::item_count);
            return Ok(AddToCartOutcome::NotAdded { item_count });
        }
        other => other.map_err(fail_change)?.ok_or(StoreError::Session)?,
    };
    remember_size(&state, &session, Some(&cart));
    let outcome = assess_add(before.as_ref(), &cart, &product_id, variant, quantity);
    if let AddOutcome::Refused(refusal) = outcome {
        tracing::info!(?refusal, "Wix answered 200 but added nothing");
        discard_refused_line(
            &state,
            &session,
            before.as_ref(),
            &cart,
            &product_id,
            variant,
        )
        .await;
    }
    Ok(add_outcome(outcome, cart.item_count()))
}

/// What the shopper is told about an add, from what Wix confirmed.
fn add_outcome(outcome: AddOutcome, item_count: u32) -> AddToCartOutcome {
    match outcome {
        AddOutcome::Added { quantity } => AddToCartOutcome::Added {
            quantity,
            item_count,
        },
        AddOutcome::Partial { added, requested } => AddToCartOutcome::PartlyAdded {
            added,
            requested,
            item_count,
        },
        AddOutcome::Refused(_) => AddToCartOutcome::NotAdded { item_count },
    }
}

/// A refused add can leave a new line that confirms nothing (§9.2): it is removed again, so the
/// cart holds only what the shopper can buy. Best effort: a failure is only logged.
async fn discard_refused_line(
    state: &AppState,
    session: &Session,
    before: Option<&Cart>,
    after: &Cart,
    product_id: &str,
    variant: Option<&str>,
) {
    let Some(line) = after.line_for(product_id, variant) else {
        return;
    };
    let existed = before.is_some_and(|b| b.line(&line.id).is_some());
    if existed || line.quantity > 0 {
        return;
    }
    let wix = state.wix.clone();
    let ids = vec![line.id.clone()];
    let removed = visitor_call(state, session, Mint::Never, |token| {
        let (wix, ids) = (wix.clone(), ids.clone());
        async move { wix.remove_cart_lines(&token, &ids).await }
    })
    .await;
    if let Err(error) = removed {
        tracing::warn!(%error, "could not remove a refused cart line");
    }
}

/// A change to the visitor's cart, as every one goes: nothing to change without a session (no
/// visitor is minted for it), Wix called with their token, the cart's new size remembered, and
/// Wix's answer (`None`: no session, or no cart) told as a notice, then reported.
async fn change_cart<F, Fut>(
    return_to: &str,
    call: F,
    told: impl FnOnce(Result<Option<Cart>, WixError>) -> Result<CartNotice, WixError>,
) -> Result<CartNotice, StoreError>
where
    F: Fn(WixClient, String) -> Fut,
    Fut: Future<Output = Result<Option<Cart>, WixError>>,
{
    let result = async {
        let state = app_state()?;
        let session = current_session();
        let answer = visitor_call(&state, &session, Mint::Never, |token| {
            call(state.wix.clone(), token)
        })
        .await
        .map(Option::flatten);
        if let Ok(Some(cart)) = &answer {
            remember_size(&state, &session, Some(cart));
        }
        told(answer).map_err(fail_change)
    }
    .await;
    tell(return_to, result)
}

/// Reports a cart change whose answer is a notice.
fn tell(return_to: &str, result: Result<CartNotice, StoreError>) -> Result<CartNotice, StoreError> {
    report(return_to, result, |notice| *notice, |notice| notice)
}

pub async fn set_quantity(
    line_id: String,
    quantity: String,
    return_to: String,
) -> Result<CartNotice, StoreError> {
    let Some(quantity) = parse_quantity(&quantity) else {
        return tell(&return_to, Ok(CartNotice::InvalidQuantity));
    };
    let call = |wix: WixClient, token: String| {
        let line_id = line_id.clone();
        async move {
            wix.update_cart_quantity(&token, &line_id, quantity)
                .await
                .map(Some)
        }
    };
    change_cart(&return_to, call, |answer| {
        Ok(match answer {
            Ok(Some(cart)) => {
                CartNotice::after_quantity_change(quantity, cart.line(&line_id).map(|l| l.quantity))
            }
            Ok(None) => CartNotice::LineGone,
            Err(error) if is_gone(&error) => CartNotice::LineGone,
            Err(error) => return Err(error),
        })
    })
    .await
}

pub async fn remove(line_id: String, return_to: String) -> Result<CartNotice, StoreError> {
    let call = |wix: WixClient, token: String| {
        let ids = vec![line_id.clone()];
        async move { wix.remove_cart_lines(&token, &ids).await.map(Some) }
    };
    change_cart(&return_to, call, |answer| {
        Ok(match answer {
            Ok(Some(_)) => CartNotice::Removed,
            // Removed already (a double click, another tab): the cart is as the shopper wants it.
            Ok(None) => CartNotice::LineGone,
            Err(error) if is_gone(&error) => CartNotice::LineGone,
            Err(error) => return Err(error),
        })
    })
    .await
}

pub async fn apply_coupon(code: String, return_to: String) -> Result<CartNotice, StoreError> {
    let code = code.trim().to_owned();
    if code.is_empty() {
        return tell(&return_to, Ok(CartNotice::CouponMissing));
    }
    // Wix refuses longer codes as malformed; no such code exists, which is what to say.
    if code.chars().count() > MAX_COUPON_LENGTH {
        return tell(&return_to, Ok(CartNotice::CouponUnknown));
    }
    let call = |wix: WixClient, token: String| {
        let code = code.clone();
        async move { wix.add_coupon(&token, &code).await.map(Some) }
    };
    change_cart(&return_to, call, |answer| {
        Ok(match answer {
            Ok(Some(_)) => CartNotice::CouponApplied,
            // No session yet, or no cart: nothing to take a coupon.
            Ok(None) => CartNotice::CartEmpty,
            Err(error) => match coupon_refusal(&error) {
                Some(notice) => notice,
                None if is_gone(&error) => CartNotice::CartEmpty,
                None => return Err(error),
            },
        })
    })
    .await
}

/// What the shopper is told when Wix refused a coupon, if it did.
fn coupon_refusal(error: &WixError) -> Option<CartNotice> {
    Some(match error.code()? {
        ErrorCode::CouponUnknown => CartNotice::CouponUnknown,
        ErrorCode::CouponExpired => CartNotice::CouponExpired,
        ErrorCode::CouponNotApplicable => CartNotice::CouponNotApplicable,
        ErrorCode::CouponAlreadyApplied => CartNotice::CouponAlreadyApplied,
        // A code Wix found malformed (too long, odd characters) is no code it knows.
        ErrorCode::Validation => CartNotice::CouponUnknown,
        _ => return None,
    })
}

pub async fn remove_coupon(return_to: String) -> Result<CartNotice, StoreError> {
    // Cart V2 removes a coupon by its id, so the cart is read first.
    let call = |wix: WixClient, token: String| async move {
        let Some(cart) = wix.current_cart(&token).await? else {
            return Ok(None);
        };
        match &cart.coupon {
            Some(coupon) => wix.remove_coupon(&token, coupon).await.map(Some),
            // Already without a coupon (a double click, another tab): as the shopper wants it.
            None => Ok(Some(cart)),
        }
    };
    change_cart(&return_to, call, |answer| {
        Ok(match answer {
            Ok(Some(_)) => CartNotice::CouponRemoved,
            Ok(None) => CartNotice::CartEmpty,
            Err(error) if is_gone(&error) => CartNotice::CouponRemoved,
            Err(error) => return Err(error),
        })
    })
    .await
}

/// The line or the cart no longer exists.
fn is_gone(error: &WixError) -> bool {
    matches!(
        error,
        WixError::NoCart
            | WixError::NotFound { .. }
            | WixError::Refused {
                code: ErrorCode::LineItemNotFound,
                ..
            }
    )
}

pub async fn view() -> Result<Option<CartView>, StoreError> {
    let state = app_state()?;
    let session = current_session();
    let Some(cart) = current_cart(&state, &session).await.map_err(fail)? else {
        return Ok(None);
    };
    let wix = state.wix.clone();
    // Wix's client estimates only a cart with lines; a failed estimate leaves the cart's own
    // subtotal (§9.4).
    let totals = if cart.lines.is_empty() {
        None
    } else {
        visitor_call(&state, &session, Mint::Never, |token| {
            let wix = wix.clone();
            async move { wix.cart_totals(&token).await }
        })
        .await
        .inspect_err(|error| tracing::warn!(%error, "cart estimate unavailable"))
        .ok()
        .flatten()
        .flatten()
    };
    let images = missing_images(&state, &session, &cart).await;
    let lines = cart
        .lines
        .iter()
        .map(|line| CartLineView {
            id: line.id.clone(),
            name: line.name.clone(),
            slug: line.slug.clone(),
            image: line
                .image
                .as_ref()
                .map(|image| image_view(image, CART_LINE))
                .or_else(|| images.get(&line.product_id).cloned()),
            options: line.options.clone(),
            // A line Wix cannot sell in full shows what was asked for, beside what is left.
            quantity: if line.available() {
                line.quantity
            } else {
                line.requested_quantity.max(1)
            },
            available_quantity: line.available_quantity,
            unit_price: line.unit_price.formatted.clone(),
            full_price: line.full_price.as_ref().map(|p| p.formatted.clone()),
            line_total: line.line_total.formatted.clone(),
            available: line.available(),
        })
        .collect();
    let (subtotal, total) = match &totals {
        Some(t) => (t.subtotal.formatted.clone(), t.total.formatted.clone()),
        None => (
            cart.subtotal.formatted.clone(),
            cart.subtotal.formatted.clone(),
        ),
    };
    Ok(Some(CartView {
        lines,
        item_count: cart.item_count(),
        subtotal,
        adjustments: totals.as_ref().map(total_lines).unwrap_or_default(),
        total,
        coupon: cart.coupon.map(|c| c.code),
        delivery_and_tax_known: totals
            .as_ref()
            .is_some_and(|t| t.delivery.is_some() && t.tax.is_some()),
    }))
}

/// The lines between subtotal and total, each only when Wix calculated it: an amount Wix did
/// not calculate reads 0 and must never show as "Free" (wix-api.md §9.2).
fn total_lines(totals: &CartTotals) -> Vec<TotalLine> {
    let line = |label: &str, amount: &Money, kind| TotalLine {
        label: label.to_owned(),
        amount: amount.formatted.clone(),
        kind,
    };
    let mut lines: Vec<TotalLine> = totals
        .discounts
        .iter()
        .filter(|d| !d.amount.is_zero())
        .map(|d| {
            line(
                non_empty(&d.name, "Discount"),
                &d.amount,
                TotalKind::Discount,
            )
        })
        .collect();
    // A discount Wix totalled without naming its parts.
    if lines.is_empty() && !totals.discount.is_zero() {
        lines.push(line("Discount", &totals.discount, TotalKind::Discount));
    }
    lines.extend(
        totals
            .fees
            .iter()
            .map(|f| line(non_empty(&f.name, "Fee"), &f.amount, TotalKind::Fee)),
    );
    if let Some(delivery) = &totals.delivery {
        lines.push(line("Delivery", delivery, TotalKind::Delivery));
    }
    if let Some(tax) = &totals.tax {
        let label = if totals.prices_include_tax {
            "Tax (included)"
        } else {
            "Tax"
        };
        lines.push(line(label, tax, TotalKind::Tax));
    }
    lines
}

fn non_empty<'a>(text: &'a str, otherwise: &'a str) -> &'a str {
    if text.trim().is_empty() {
        otherwise
    } else {
        text
    }
}

/// Cart V2 lines come without images (wix-api.md §9.2): they are joined from the catalog, as
/// Wix's own client does. A failure only costs the pictures.
async fn missing_images(
    state: &AppState,
    session: &Session,
    cart: &Cart,
) -> HashMap<String, ImageView> {
    let mut ids: Vec<&str> = cart
        .lines
        .iter()
        .filter(|l| l.image.is_none())
        .map(|l| l.product_id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return HashMap::new();
    }
    match products_by_ids(state, session, &ids).await {
        Ok(products) => products
            .iter()
            .filter_map(|p| {
                let image = p.images.first()?;
                Some((p.id.clone(), image_view(image, CART_LINE)))
            })
            .collect(),
        Err(error) => {
            tracing::warn!(%error, "cart images unavailable");
            HashMap::new()
        }
    }
}

/// Creates the checkout and sends the browser to Wix's hosted checkout page. Every failure sends
/// it back to the cart with a notice: this is always a plain form post.
pub async fn checkout() -> Result<(), StoreError> {
    let notice = match start_checkout().await {
        Ok(url) => {
            let state = app_state()?;
            leptos_axum::redirect(&hand_off(&state, &url));
            return Ok(());
        }
        Err(notice) => notice,
    };
    leptos_axum::redirect(&with_query_param(CART_PAGE, "cart", notice.code()));
    Ok(())
}

/// Where a form post answered with a redirect to a Wix-hosted page should go: straight there
/// when the page policy's `form-action` names its origin, else through the hand-off page (see
/// `handoff`), which the browser follows whatever `form-action` says.
pub fn hand_off(state: &AppState, url: &str) -> String {
    if form_may_reach(url, &state.csp_sources) {
        return url.to_owned();
    }
    let origin: String = url.splitn(4, '/').take(3).collect::<Vec<_>>().join("/");
    tracing::error!(
        origin,
        "a Wix-hosted page is not on WIX_HOSTED_ORIGINS; add its origin there so forms lead to it directly"
    );
    state.handoff_key.path_to(url)
}

async fn start_checkout() -> Result<String, CartNotice> {
    let state = app_state().map_err(|_| CartNotice::CheckoutFailed)?;
    let session = current_session();
    let cart = current_cart(&state, &session)
        .await
        .map_err(|_| CartNotice::StoreUnavailable)?
        .filter(|c| !c.lines.is_empty())
        .ok_or(CartNotice::CartEmpty)?;
    if cart.lines.iter().any(|l| !l.available()) {
        return Err(CartNotice::UnavailableItems);
    }
    let public = &state.config.public_url;
    let callbacks = Callbacks {
        thank_you_page_url: Some(format!("{public}/thank-you")),
        post_flow_url: Some(format!("{public}/cart")),
        cart_page_url: Some(format!("{public}/cart")),
    };
    let wix = state.wix.clone();
    let url = visitor_call(&state, &session, Mint::Never, |token| {
        let (wix, cart, callbacks) = (wix.clone(), cart.clone(), callbacks.clone());
        async move {
            let checkout_id = wix.checkout_id(&token, &cart).await?;
            wix.checkout_redirect(&token, &checkout_id, &callbacks)
                .await
        }
    })
    .await;
    match url {
        Ok(Some(url)) => Ok(url),
        Ok(None) => Err(CartNotice::CheckoutFailed),
        Err(error) => {
            tracing::warn!(%error, "checkout failed");
            Err(match error.code() {
                Some(ErrorCode::PaymentsNotAccepted) => CartNotice::PaymentsOff,
                Some(ErrorCode::EmptyCheckout) => CartNotice::CartEmpty,
                _ if matches!(error, WixError::NoCart) => CartNotice::CartEmpty,
                _ if error.is_transient() => CartNotice::StoreUnavailable,
                _ => CartNotice::CheckoutFailed,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wix_headless::cart::Refusal;

    #[test]
    fn outcomes_follow_what_wix_confirmed() {
        assert_eq!(
            add_outcome(AddOutcome::Added { quantity: 2 }, 5),
            AddToCartOutcome::Added {
                quantity: 2,
                item_count: 5
            }
        );
        assert_eq!(
            add_outcome(
                AddOutcome::Partial {
                    added: 1,
                    requested: 5
                },
                99
            ),
            AddToCartOutcome::PartlyAdded {
                added: 1,
                requested: 5,
                item_count: 99
            }
        );
        assert_eq!(
            add_outcome(AddOutcome::Refused(Refusal::Unavailable), 2),
            AddToCartOutcome::NotAdded { item_count: 2 }
        );
    }
}
