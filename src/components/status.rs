//! Error and not-found states, with the HTTP status set during server rendering.

use std::sync::Arc;

use leptos::prelude::*;

use crate::api::error::StoreError;

/// Sets the status of the response being rendered. The server provides it for every page; in
/// the browser there is no response to set, and no context either.
#[derive(Clone)]
pub struct ResponseStatus(Arc<dyn Fn(u16) + Send + Sync>);

impl ResponseStatus {
    pub fn new(set: impl Fn(u16) + Send + Sync + 'static) -> Self {
        Self(Arc::new(set))
    }
}

/// Sets the response status of the page being rendered on the server (nothing in the browser).
pub fn set_status(status: u16) {
    if let Some(ResponseStatus(set)) = use_context::<ResponseStatus>() {
        set(status);
    }
}

/// The store could not answer: say so, with a way forward. The status comes from the error
/// (a timeout is a 504, the rest 503).
#[component]
pub fn Unavailable(error: StoreError) -> impl IntoView {
    set_status(error.status());
    view! {
        <section class="notice error" role="alert">
            <h2>"We could not load this page"</h2>
            <p>{error.message()}</p>
            <p><a href="">"Try again"</a></p>
        </section>
    }
}
