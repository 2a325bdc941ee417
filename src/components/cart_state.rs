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
    /// The change to the cart's lines or coupon that completed last, whichever action made it
    /// (each action keeps only its own last value), and how many have completed.
    latest: Memo<LatestChange>,
}

/// What [`CartActions::latest`] derives from the four change actions.
#[derive(Clone, PartialEq)]
struct LatestChange {
    /// Each action's completions so far, as last seen.
    completed: [usize; 4],
    /// Which of them completed last.
    speaker: Option<usize>,
    outcome: Option<Result<CartNotice, StoreError>>,
}

impl CartActions {
    /// The outcome of the change to the cart's lines or coupon that completed last.
    pub fn last_change(&self) -> Option<Result<CartNotice, StoreError>> {
        self.latest.with(|latest| latest.outcome)
    }

    /// How many such changes have completed (the drawer says only those made while it is open).
    pub fn changes(&self) -> usize {
        self.latest.with(|latest| latest.completed.iter().sum())
    }

    /// [`Self::changes`], without tracking it.
    pub fn changes_untracked(&self) -> usize {
        self.latest
            .with_untracked(|latest| latest.completed.iter().sum())
    }

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
    let update = ServerAction::<UpdateQuantity>::new();
    let remove = ServerAction::<RemoveLine>::new();
    let apply_coupon = ServerAction::<ApplyCoupon>::new();
    let remove_coupon = ServerAction::<RemoveCoupon>::new();
    let versions = [
        update.version(),
        remove.version(),
        apply_coupon.version(),
        remove_coupon.version(),
    ];
    let outcomes = [
        update.value(),
        remove.value(),
        apply_coupon.value(),
        remove_coupon.value(),
    ];
    // The action whose completions grew since the memo last ran is the one that spoke last;
    // its outcome is read each time (an action counts the completion before it stores the value).
    let latest = Memo::new(move |previous: Option<&LatestChange>| {
        let completed = versions.map(|version| version.get());
        let speaker = last_to_complete(previous.map(|p| (p.completed, p.speaker)), completed);
        LatestChange {
            completed,
            speaker,
            outcome: speaker.and_then(|i| outcomes[i].get()),
        }
    });
    let actions = CartActions {
        add: ServerAction::<AddToCart>::new(),
        update,
        remove,
        apply_coupon,
        remove_coupon,
        drawer_requests: RwSignal::new(0),
        latest,
    };
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

/// Which action completed last, from each one's completions now and as last seen (with the one
/// that had completed last then).
fn last_to_complete(
    seen: Option<([usize; 4], Option<usize>)>,
    completed: [usize; 4],
) -> Option<usize> {
    let (before, speaker) = seen.unwrap_or(([0; 4], None));
    (0..completed.len())
        .find(|&i| completed[i] > before[i])
        .or(speaker)
}

#[cfg(test)]
mod tests {
    use super::last_to_complete;

    #[test]
    fn the_action_that_completed_since_last_seen_speaks() {
        assert_eq!(last_to_complete(None, [0; 4]), None);
        // First seen after a completion.
        assert_eq!(last_to_complete(None, [0, 0, 1, 0]), Some(2));
        // A quantity change after a coupon refusal: the quantity change speaks, though the
        // coupon's outcome is still stored.
        assert_eq!(
            last_to_complete(Some(([0, 0, 1, 0], Some(2))), [1, 0, 1, 0]),
            Some(0)
        );
        // Nothing new (the value arriving after its count): the same one still speaks.
        assert_eq!(
            last_to_complete(Some(([1, 0, 1, 0], Some(0))), [1, 0, 1, 0]),
            Some(0)
        );
    }
}
