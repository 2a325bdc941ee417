//! Error and not-found states, with the HTTP status set during server rendering.

use leptos::prelude::*;

use crate::api::error::StoreError;

/// Sets the response status of the page being rendered on the server.
pub fn set_status(status: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(options), Ok(code)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        http::StatusCode::from_u16(status),
    ) {
        options.set_status(code);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
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
