//! `/account`, `/account/orders/{id}` and `/account/sign-in`: the signed-in member, their
//! orders, and why a sign-in did not complete. Signed-out visitors get a sign-in prompt, never
//! an error; no account page is indexed.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::{
    api::account::{
        get_account, get_order, sign_in_href, Account, AccountView, OrderView, SignInProblem,
        SIGN_OUT_PATH,
    },
    components::status::{set_status, Unavailable},
};

#[component]
pub fn AccountPage() -> impl IntoView {
    let account = Resource::new(|| (), |_| get_account());
    view! {
        <Title text="Your account"/>
        <Meta name="robots" content="noindex"/>
        <section class="account">
            <Transition fallback=|| view! { <p class="loading">"Loading your account…"</p> }>
                {move || Suspend::new(async move {
                    match account.await {
                        Ok(AccountView::SignedIn(account)) => view! { <SignedIn account/> }.into_any(),
                        Ok(AccountView::SignedOut) => view! { <SignInPrompt return_to="/account"/> }.into_any(),
                        Err(error) => view! { <Unavailable error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// What a signed-out visitor sees on an account page.
#[component]
fn SignInPrompt(return_to: &'static str) -> impl IntoView {
    view! {
        <h1>"Your account"</h1>
        <div class="sign-in-prompt" data-testid="sign-in-prompt">
            <p>"Sign in to see your details and your orders."</p>
            <p><a class="button primary" rel="external" href=sign_in_href(return_to)>"Sign in"</a></p>
            <p class="hint">"You sign in on Wix's secure page and come straight back here."</p>
        </div>
    }
}

#[component]
fn SignedIn(account: Account) -> impl IntoView {
    let Account {
        name,
        email,
        orders,
        orders_unavailable,
    } = account;
    view! {
        <h1>"Your account"</h1>
        <div class="account-details" data-testid="account-details">
            <p class="account-name" data-testid="account-name">{name}</p>
            {email.map(|email| view! { <p class="account-email" data-testid="account-email">{email}</p> })}
            <SignOut/>
        </div>
        <h2>"Your orders"</h2>
        {if orders_unavailable {
            view! {
                <p class="problem" role="alert">
                    "Your orders could not be loaded right now. Please reload the page in a moment."
                </p>
            }.into_any()
        } else if orders.is_empty() {
            view! {
                <p data-testid="no-orders">"You have no orders yet. " <a href="/search">"Start shopping"</a></p>
            }.into_any()
        } else {
            view! {
                <ul class="orders" data-testid="orders">
                    {orders.into_iter().map(|order| {
                        let href = format!("/account/orders/{}", order.id);
                        let label = format!("Order {}", order.number);
                        view! {
                            <li class="order" data-testid="order">
                                <a href=href class="order-number">{label}</a>
                                {order.placed_on.map(|d| view! { <span class="order-date">{d}</span> })}
                                <span class="order-status">{order.status}</span>
                                {order.total.map(|t| view! { <span class="order-total">{t}</span> })}
                                <p class="order-items">
                                    {order.items} " · "
                                    {match order.item_count { 1 => "1 item".to_owned(), n => format!("{n} items") }}
                                </p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

/// A plain form post (CSRF-checked): the server signs out and sends the browser through Wix's
/// logout page back to the store.
#[component]
pub fn SignOut() -> impl IntoView {
    view! {
        <form method="post" action=SIGN_OUT_PATH class="sign-out">
            <button type="submit" class="secondary">"Sign out"</button>
        </form>
    }
}

#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let order = Resource::new(id, get_order);
    view! {
        <Title text="Your order"/>
        <Meta name="robots" content="noindex"/>
        <section class="account order-page">
            <p><a href="/account">"← Your account"</a></p>
            <Transition fallback=|| view! { <p class="loading">"Loading your order…"</p> }>
                {move || Suspend::new(async move {
                    match order.await {
                        Ok(Some(order)) => view! { <OrderDetails order/> }.into_any(),
                        Ok(None) => view! { <NoSuchOrder/> }.into_any(),
                        Err(error) => view! { <Unavailable error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Not this member's order, or nobody signed in: the page says so without telling which.
#[component]
fn NoSuchOrder() -> impl IntoView {
    set_status(404);
    view! {
        <h1>"Order not found"</h1>
        <p>"We could not find this order in your account. "
           <a rel="external" href=sign_in_href("/account")>"Sign in"</a> " to see your orders, or go back to "
           <a href="/account">"your account"</a> "."</p>
    }
}

#[component]
fn OrderDetails(order: OrderView) -> impl IntoView {
    let title = format!("Order {}", order.number);
    view! {
        <h1 data-testid="order-title">{title}</h1>
        <dl class="order-facts">
            {order.placed_on.map(|d| view! { <dt>"Placed"</dt><dd>{d}</dd> })}
            <dt>"Status"</dt><dd data-testid="order-status">{order.status}</dd>
            <dt>"Payment"</dt><dd>{order.payment}</dd>
            <dt>"Delivery"</dt><dd>{order.fulfillment}</dd>
        </dl>
        <ul class="cart-lines" data-testid="order-lines">
            {order.lines.into_iter().map(|line| view! {
                <li class="cart-line" data-testid="order-line">
                    {line.image.map(|image| view! {
                        <img src=image.url srcset=image.srcset alt="" width=96 height=96 loading="lazy"/>
                    })}
                    <div class="line-info">
                        <span class="line-name">{line.name}</span>
                        {line.options.into_iter().map(|o| view! { <p class="line-option">{o}</p> }).collect_view()}
                        <p class="line-price">
                            {format!("Quantity {}", line.quantity)}
                            {line.price.map(|p| view! { " · " {p} " each" })}
                        </p>
                    </div>
                </li>
            }).collect_view()}
        </ul>
        <dl class="totals" data-testid="order-totals">
            {order.totals.into_iter().map(|(label, amount)| view! { <dt>{label}</dt><dd>{amount}</dd> }).collect_view()}
        </dl>
    }
}

/// `/account/sign-in?problem=<code>`: why the return from Wix did not sign the shopper in.
#[component]
pub fn SignInProblemPage() -> impl IntoView {
    let query = use_query_map();
    let problem = move || {
        query
            .read()
            .get("problem")
            .and_then(|code| SignInProblem::from_code(&code))
    };
    view! {
        <Title text="Sign-in"/>
        <Meta name="robots" content="noindex"/>
        <section class="account">
            {move || match problem() {
                Some(problem) => {
                    set_status(problem.status());
                    view! {
                        <h1>"You are not signed in"</h1>
                        <p class="problem" role="alert" data-testid="sign-in-problem">{problem.message()}</p>
                        <p><a class="button primary" rel="external" href=sign_in_href("/account")>"Sign in again"</a></p>
                        <p><a href="/">"Back to the store"</a></p>
                    }.into_any()
                }
                None => view! { <SignInPrompt return_to="/account"/> }.into_any(),
            }}
        </section>
    }
}
