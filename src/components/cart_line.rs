//! A cart line with its quantity steppers and remove button: the cart page and the drawer show
//! lines with this one component, so both update alike.

use leptos::{form::ActionForm, prelude::*};

use crate::{
    api::cart::{CartLineView, UpdateQuantity, MAX_QUANTITY},
    components::cart_state::CartActions,
    url::CART_PAGE,
};

/// Where a plain cart form returns to: the cart page (the drawer is there only with JavaScript).
pub const RETURN_TO: &str = CART_PAGE;
/// Quiet time after the last stepper click before the quantity goes to Wix.
const QUANTITY_DEBOUNCE: std::time::Duration = std::time::Duration::from_millis(400);

/// Why a line blocks checkout: only a few left, or none.
fn unavailable_text(left: Option<u32>) -> String {
    match left {
        Some(n) if n > 0 => format!("{}: lower the quantity to check out.", left_text(n)),
        _ => "No longer available".to_owned(),
    }
}

/// Said when the quantity reaches what is left, so a "+" that stops is explained.
fn left_text(left: u32) -> String {
    format!("Only {left} left")
}

#[component]
pub fn CartLine(line: CartLineView) -> impl IntoView {
    let actions = expect_context::<CartActions>();
    let (update, remove) = (actions.update, actions.remove);
    let busy = move || update.pending().get() || remove.pending().get();
    let href = line.slug.as_ref().map(|s| format!("/product/{s}"));
    let quantity_id = format!("quantity-{}", line.id);
    let name = line.name.clone();
    let line_id = line.id.clone();
    // Hydrated, the steppers are optimistic and debounced: clicks change the shown quantity at
    // once and one update goes to Wix after a pause; the cart Wix returns then replaces the
    // line, reconciling it. Without JavaScript each stepper is a form posting n ± 1.
    let shown = RwSignal::new(line.quantity);
    let timer = StoredValue::new(None::<TimeoutHandle>);
    let schedule = {
        let line_id = line_id.clone();
        move |quantity: u32| {
            shown.set(quantity);
            if let Some(handle) = timer.get_value() {
                handle.clear();
            }
            let line_id = line_id.clone();
            let handle = set_timeout_with_handle(
                move || {
                    update.dispatch(UpdateQuantity {
                        line_id,
                        quantity: quantity.to_string(),
                        return_to: RETURN_TO.to_owned(),
                    });
                },
                QUANTITY_DEBOUNCE,
            )
            .ok();
            timer.set_value(handle);
        }
    };
    // The steppers stop at what is left, when Wix says how many that is.
    let most = line
        .available_quantity
        .filter(|left| *left > 0)
        .map_or(MAX_QUANTITY, |left| left.min(MAX_QUANTITY));
    let step = |delta: i32, label: &'static str, text: &'static str| {
        let bounded = move |quantity: u32| (quantity as i32 + delta).clamp(1, most as i32) as u32;
        let schedule = schedule.clone();
        let (form_line_id, aria_label) = (line_id.clone(), format!("{label} {name}"));
        view! {
            <ActionForm action=update>
                <input type="hidden" name="line_id" value=form_line_id/>
                <input type="hidden" name="quantity" value=bounded(line.quantity)/>
                <input type="hidden" name="return_to" value=RETURN_TO/>
                <button
                    type="submit"
                    class="step"
                    aria-label=aria_label
                    disabled=move || bounded(shown.get()) == shown.get() || remove.pending().get()
                    on:click=move |ev: leptos::ev::MouseEvent| {
                        ev.prevent_default();
                        schedule(bounded(shown.get_untracked()));
                    }
                >
                    {text}
                </button>
            </ActionForm>
        }
    };
    let fewer = step(-1, "One fewer", "−");
    let more = step(1, "One more", "+");
    let (update_id, remove_id) = (line_id.clone(), line_id);
    view! {
        <li class="cart-line" class:unavailable=!line.available data-testid="cart-line">
            {line.image.map(|image| view! {
                <img src=image.url alt="" width=96 height=96 loading="lazy"/>
            })}
            <div class="line-info">
                {match href {
                    Some(href) => view! { <a href=href class="line-name">{line.name.clone()}</a> }.into_any(),
                    None => view! { <span class="line-name">{line.name.clone()}</span> }.into_any(),
                }}
                {line.options.iter().map(|o| view! { <p class="line-option">{o.clone()}</p> }).collect_view()}
                <p class="line-price">
                    {line.unit_price.clone()} " each"
                    {line.full_price.clone().map(|was| view! { " " <s class="compare-at">{was}</s> })}
                </p>
                {(!line.available).then(|| view! { <p class="problem">{unavailable_text(line.available_quantity)}</p> })}
                {line.available.then_some(line.available_quantity).flatten().filter(|left| *left > 0).map(|left| {
                    view! {
                        <p class="line-limit" data-testid="line-limit" hidden=move || shown.get() < left>
                            {left_text(left)}
                        </p>
                    }
                })}
            </div>
            <div class="line-quantity">
                {fewer}
                <ActionForm action=update>
                    <input type="hidden" name="line_id" value=update_id/>
                    <input type="hidden" name="return_to" value=RETURN_TO/>
                    <label for=quantity_id.clone() class="visually-hidden">{format!("Quantity of {}", line.name)}</label>
                    <input id=quantity_id name="quantity" type="number" min="1" max=most value=line.quantity
                        prop:value=move || shown.get().to_string() inputmode="numeric" required/>
                    <button type="submit" disabled=busy>"Update"</button>
                </ActionForm>
                {more}
            </div>
            <p class="line-total" data-testid="line-total">{line.line_total}</p>
            <ActionForm action=remove>
                <input type="hidden" name="line_id" value=remove_id/>
                <input type="hidden" name="return_to" value=RETURN_TO/>
                <button type="submit" class="remove" aria-label=format!("Remove {name}") disabled=busy>"Remove"</button>
            </ActionForm>
        </li>
    }
}
