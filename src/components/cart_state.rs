//! The cart actions every interactive part shares: adding, changing and removing lines. They
//! live in one island wrapping the whole page ([`CartProvider`]), so the islands inside it (the
//! header badge, the add-to-cart forms, the drawer, the cart page) follow each other's actions.

use std::time::Duration;

use leptos::prelude::*;

use crate::api::{
    cart::{AddToCart, ApplyCoupon, CartNotice, RemoveCoupon, RemoveLine, UpdateQuantity},
    error::StoreError,
};

#[derive(Clone, Copy)]
pub struct CartActions {
    pub add: ServerAction<AddToCart>,
    pub update: ServerAction<UpdateQuantity>,
    pub remove: ServerAction<RemoveLine>,
    pub apply_coupon: ServerAction<ApplyCoupon>,
    pub remove_coupon: ServerAction<RemoveCoupon>,
    /// Counts the times something (the header badge) asked the drawer to open.
    pub drawer_requests: RwSignal<usize>,
    /// The outcome of the change to the cart's lines or coupon that completed last, whichever
    /// action made it (each action keeps only its own last value).
    pub last_change: RwSignal<Option<Result<CartNotice, StoreError>>>,
    /// How many such changes have completed (the drawer says only those made while it is open).
    pub changes: RwSignal<usize>,
}

impl CartActions {
    /// Changes whenever any cart action completes: views that show the cart depend on it.
    pub fn version(&self) -> usize {
        self.add.version().get()
            + self.update.version().get()
            + self.remove.version().get()
            + self.apply_coupon.version().get()
            + self.remove_coupon.version().get()
    }
}

/// Provides [`CartActions`] to the islands in `children` (the page: rendered on the server,
/// never hydrated as a whole).
#[island]
pub fn CartProvider(children: Children) -> impl IntoView {
    let actions = CartActions {
        add: ServerAction::<AddToCart>::new(),
        update: ServerAction::<UpdateQuantity>::new(),
        remove: ServerAction::<RemoveLine>::new(),
        apply_coupon: ServerAction::<ApplyCoupon>::new(),
        remove_coupon: ServerAction::<RemoveCoupon>::new(),
        drawer_requests: RwSignal::new(0),
        last_change: RwSignal::new(None),
        changes: RwSignal::new(0),
    };
    for outcome in [
        actions.update.value(),
        actions.remove.value(),
        actions.apply_coupon.value(),
        actions.remove_coupon.value(),
    ] {
        Effect::new(move |_| {
            if let Some(outcome) = outcome.get() {
                actions.last_change.set(Some(outcome));
                actions.changes.update(|n| *n += 1);
            }
        });
    }
    provide_context(actions);
    // Tests (and scripts) wait for this mark before they interact. The islands inside hydrate
    // right after this one, before the next task: a timeout marks the page once all are done.
    Effect::new(move |_| {
        set_timeout(
            || {
                if let Some(body) = document().body() {
                    let _ = body.set_attribute("data-hydrated", "true");
                }
            },
            Duration::ZERO,
        );
    });
    children()
}
