//! Answers read in the browser after the page loaded. A `LocalResource` would do, but reading
//! one while the server renders makes the enclosing `<Suspense>` give up and send its fallback
//! (leptos marks the chunk incomplete), so a page without JavaScript would show "Loading…".

use std::future::Future;

use leptos::{prelude::*, task::spawn_local};

/// The answer to the latest request: `request` is tracked and, when it returns a future (only in
/// the browser: effects never run on the server), that future runs; its answer is kept unless a
/// later request started meanwhile, so a slow early answer never replaces a newer one.
pub fn latest_answer<T, Fut>(request: impl Fn() -> Option<Fut> + 'static) -> ReadSignal<Option<T>>
where
    T: Send + Sync + 'static,
    Fut: Future<Output = T> + 'static,
{
    let (answer, set_answer) = signal(None);
    let started = StoredValue::new(0_u64);
    Effect::new(move |_| {
        if let Some(pending) = request() {
            started.update_value(|n| *n += 1);
            let this = started.get_value();
            spawn_local(async move {
                let value = pending.await;
                if started.try_get_value() == Some(this) {
                    set_answer.set(Some(value));
                }
            });
        }
    });
    answer
}
