//! The product gallery: the images in a row that scrolls one image at a time (a finger swipes
//! it; arrow keys move it once it has focus), with thumbnails below. Without JavaScript the
//! thumbnails are links to their image and swiping and arrow keys are the browser's own
//! scrolling; hydrated ([`GalleryControls`]), the thumbnails and keys move the row smoothly and
//! the thumbnail of the image in view is marked. The variant picker shows a variant's image with
//! [`show_image`].

use leptos::{ev, html, prelude::*};

use crate::api::catalog::GalleryImage;

/// The slide of the image at `position` in the product's images (thumbnails link to it).
fn slide_id(position: usize) -> String {
    format!("image-{}", position + 1)
}

/// `images` in the order shown: the product's images, with the one at `first` (the chosen
/// variant's) moved to the front, so the page a choice links to opens on that variant's image.
/// Each keeps its position in `images`.
pub fn gallery_order(images: &[GalleryImage], first: Option<usize>) -> Vec<(usize, &GalleryImage)> {
    let mut order: Vec<(usize, &GalleryImage)> = images.iter().enumerate().collect();
    if let Some(index) = first.and_then(|f| order.iter().position(|(at, _)| *at == f)) {
        let chosen = order.remove(index);
        order.insert(0, chosen);
    }
    order
}

/// The gallery of `images`, opening on the image at `first`.
#[component]
pub fn Gallery(images: Vec<GalleryImage>, first: Option<usize>, name: String) -> impl IntoView {
    let order = gallery_order(&images, first);
    let thumbs: Vec<(usize, String)> = order
        .iter()
        .map(|(at, image)| (*at, image.thumb_url.clone()))
        .collect();
    let slides = order
        .iter()
        .enumerate()
        .map(|(shown_at, (at, image))| {
            let image = &image.image;
            view! {
                <figure class="gallery-slide" id=slide_id(*at) data-image=*at>
                    <img
                        src=image.url.clone()
                        srcset=image.srcset.clone()
                        sizes="(max-width: 40rem) 100vw, 50vw"
                        alt=image.alt.clone()
                        width=image.width
                        height=image.height
                        loading=if shown_at == 0 { "eager" } else { "lazy" }
                    />
                </figure>
            }
        })
        .collect_view();
    if thumbs.len() < 2 {
        return view! { <div class="gallery" data-testid="gallery">{slides}</div> }.into_any();
    }
    view! {
        <GalleryControls thumbs label=format!("Images of {name}")>
            {slides}
        </GalleryControls>
    }
    .into_any()
}

/// The scrolling row around `children` (the slides, rendered on the server) and the thumbnails,
/// `(position in the product's images, thumbnail URL)` in the order shown.
#[island]
pub fn GalleryControls(
    thumbs: Vec<(usize, String)>,
    label: String,
    children: Children,
) -> impl IntoView {
    let track = NodeRef::<html::Div>::new();
    let count = thumbs.len();
    // The slide in view, in the order shown; follows the row's scrolling, whatever moved it.
    // `None` until hydrated: without JavaScript nothing would keep a marked thumbnail true.
    let current = RwSignal::new(None::<usize>);
    Effect::new(move |_| current.set(Some(0)));
    // Where the row is going: keys count from here, so quick presses during a smooth scroll
    // each move one image.
    let target = StoredValue::new(0usize);
    // The slide a move started here is heading for, while it is under way: the row rests on
    // other slides only in passing (its start among them), which must not reset `target`.
    let heading = StoredValue::new(None::<usize>);
    let go = move |shown_at: usize| {
        target.set_value(shown_at);
        if let Some(track) = track.get_untracked() {
            let moving =
                row_position(&track, count).is_none_or(|(_, rests_on)| rests_on != Some(shown_at));
            heading.set_value(moving.then_some(shown_at));
            scroll_to_slide(&track, shown_at);
        }
    };
    let on_scroll = move |_| {
        let Some((at, rests_on)) = track.get_untracked().and_then(|t| row_position(&t, count))
        else {
            return;
        };
        current.set(Some(at));
        // Settled on a slide (a swipe, the browser's own scrolling or this island's move ended
        // there), unless a move from here passes it.
        if let Some(at) = rests_on {
            if heading.get_value().is_none_or(|to| to == at) {
                target.set_value(at);
                heading.set_value(None);
            }
        }
    };
    // A finger (or a pointer) on the row takes over from any move under way.
    let on_touch = move |_| heading.set_value(None);
    let on_key = move |event: ev::KeyboardEvent| {
        let now = target.get_value();
        let to = match event.key().as_str() {
            "ArrowRight" => (now + 1).min(count - 1),
            "ArrowLeft" => now.saturating_sub(1),
            "Home" => 0,
            "End" => count - 1,
            _ => return,
        };
        event.prevent_default();
        go(to);
    };
    view! {
        <div class="gallery" role="region" aria-roledescription="carousel" aria-label=label data-testid="gallery">
            <div class="gallery-track" node_ref=track tabindex="0" role="group" aria-label="Images: use the arrow keys to move"
                on:scroll=on_scroll on:keydown=on_key on:pointerdown=on_touch>
                {children()}
            </div>
            <ol class="gallery-thumbs">
                {thumbs.into_iter().enumerate().map(|(shown_at, (at, url))| view! {
                    <li>
                        <a
                            href=format!("#{}", slide_id(at))
                            aria-label=format!("Image {} of {count}", shown_at + 1)
                            aria-current=move || (current.get() == Some(shown_at)).then_some("true")
                            on:click=move |event: ev::MouseEvent| {
                                event.prevent_default();
                                go(shown_at);
                            }
                        >
                            <img src=url alt="" width=72 height=72 loading="lazy"/>
                        </a>
                    </li>
                }).collect_view()}
            </ol>
        </div>
    }
}

/// The slide nearest the row's scroll position, and the slide it rests on exactly, if it does.
fn row_position(track: &web_sys::Element, count: usize) -> Option<(usize, Option<usize>)> {
    let (left, width) = (
        f64::from(track.scroll_left()),
        f64::from(track.client_width()),
    );
    if width <= 0.0 || count == 0 {
        return None;
    }
    let at = ((left / width).round() as usize).min(count - 1);
    let rests = (left - at as f64 * width).abs() < 1.0;
    Some((at, rests.then_some(at)))
}

/// Scrolls `track` (not the page) to its slide at `shown_at`.
fn scroll_to_slide(track: &web_sys::Element, shown_at: usize) {
    let options = web_sys::ScrollToOptions::new();
    // The behaviour is the stylesheet's: smooth, unless the shopper asked for reduced motion.
    options.set_left(shown_at as f64 * f64::from(track.client_width()));
    track.scroll_to_with_scroll_to_options(&options);
}

/// Brings the image at `position` in the product's images into view, where the page has a
/// gallery with it (in the browser only: the variant picker calls it when a choice changes).
pub fn show_image(position: usize) {
    use leptos::wasm_bindgen::JsCast;
    let Some(track) = document().query_selector(".gallery-track").ok().flatten() else {
        return;
    };
    let Ok(slides) = track.query_selector_all(".gallery-slide") else {
        return;
    };
    let position = position.to_string();
    let shown_at = (0..slides.length()).find(|i| {
        slides
            .item(*i)
            .and_then(|slide| slide.dyn_into::<web_sys::Element>().ok())
            .and_then(|slide| slide.get_attribute("data-image"))
            .is_some_and(|at| at == position)
    });
    if let Some(shown_at) = shown_at {
        scroll_to_slide(&track, shown_at as usize);
    }
}

#[cfg(test)]
mod tests {
    use super::gallery_order;
    use crate::api::catalog::{GalleryImage, ImageView};

    fn image(name: &str) -> GalleryImage {
        GalleryImage {
            image: ImageView {
                url: name.to_owned(),
                alt: String::new(),
                width: 1,
                height: 1,
                srcset: None,
            },
            thumb_url: name.to_owned(),
        }
    }

    #[test]
    fn the_chosen_variants_image_comes_first_and_keeps_its_position() {
        let images = [image("a"), image("b"), image("c")];
        let shown = |first| {
            gallery_order(&images, first)
                .into_iter()
                .map(|(at, i)| (at, i.thumb_url.as_str()))
                .collect::<Vec<_>>()
        };
        assert_eq!(shown(None), [(0, "a"), (1, "b"), (2, "c")]);
        assert_eq!(shown(Some(2)), [(2, "c"), (0, "a"), (1, "b")]);
        assert_eq!(shown(Some(0)), [(0, "a"), (1, "b"), (2, "c")]);
        // A position that is not there (a stale page) changes nothing.
        assert_eq!(shown(Some(9)), [(0, "a"), (1, "b"), (2, "c")]);
    }
}
