//! Error and not-found states, with the HTTP status set during server rendering.

use leptos::prelude::*;

use crate::api::problem::StoreProblem;

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

/// The store could not answer: say so, with a way forward. A timeout is a 504, the rest 503.
#[component]
pub fn Unavailable(message: String) -> impl IntoView {
    set_status(StoreProblem::from_message(&message).map_or(503, StoreProblem::status));
    view! {
        <section class="notice error" role="alert">
            <h2>"We could not load this page"</h2>
            <p>{message}</p>
            <p><a href="">"Try again"</a></p>
        </section>
    }
}

/// The shopper-facing text of a server function error (never internals: see `server::calls`).
pub fn error_message(error: &ServerFnError) -> String {
    match error {
        ServerFnError::ServerError(message) => message.clone(),
        _ => "The store could not be reached. Please check your connection and try again.".into(),
    }
}
