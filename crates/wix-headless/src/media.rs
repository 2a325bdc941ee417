//! Images (wix-api.md §9.1). Wix's media host serves a resized copy of a file at exactly one URL
//! form, `<media>/<file>/v1/fill/w_<W>,h_<H>,al_c,q_90/<file>` (Wix's reference client: "any
//! other hand-built form 403s"). A media value is a `wix:image://v1/<file>/…` URI or a URL on the
//! media host (bare, with a query, or already resized); anything else is an external image and
//! is used as it is.

use serde::{Deserialize, Serialize};

/// Widths offered in a `srcset` (Wix's reference client uses the same four).
pub const SRCSET_WIDTHS: [u32; 4] = [320, 480, 640, 960];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    source: Source,
    pub alt: Option<String>,
    /// The original's size, when Wix sent it.
    pub width: Option<u32>,
    pub height: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum Source {
    /// A file on the media host: `base` is its `…/media/` prefix.
    Media {
        base: String,
        file: String,
    },
    External(String),
}

impl Image {
    /// Reads a wire value (`wix:image://…` or a URL); `None` for an empty or unusable one.
    pub(crate) fn parse(value: &str, media_base: &str, alt: Option<String>) -> Option<Self> {
        let value = value.trim();
        let file = media_file(value, media_base);
        let source = match file {
            Some(file) => Source::Media {
                base: media_base.to_owned(),
                file,
            },
            None if value.starts_with("https://") || value.starts_with("http://") => {
                Source::External(value.to_owned())
            }
            None => return None,
        };
        Some(Self {
            source,
            alt: alt.filter(|a| !a.trim().is_empty()),
            width: None,
            height: None,
        })
    }

    pub(crate) fn sized(mut self, width: Option<u32>, height: Option<u32>) -> Self {
        self.width = width.filter(|w| *w > 0);
        self.height = height.filter(|h| *h > 0);
        self
    }

    /// The media file id, which identifies an image across a product's gallery and variants.
    pub fn file_id(&self) -> Option<&str> {
        match &self.source {
            Source::Media { file, .. } => Some(file),
            Source::External(_) => None,
        }
    }

    /// The same picture: the same media file (whatever its alt text or size), or the same image.
    pub fn same_picture(&self, other: &Image) -> bool {
        self == other || (self.file_id().is_some() && self.file_id() == other.file_id())
    }

    /// The original, full-size URL (structured data, `og:image`).
    pub fn original_url(&self) -> String {
        match &self.source {
            Source::Media { base, file } => format!("{base}{file}"),
            Source::External(url) => url.clone(),
        }
    }

    /// The image cropped to fill `width` × `height`, centred (§9.1); external images as they are.
    pub fn fill(&self, width: u32, height: u32) -> String {
        match &self.source {
            Source::Media { base, file } => {
                format!("{base}{file}/v1/fill/w_{width},h_{height},al_c,q_90/{file}")
            }
            Source::External(url) => url.clone(),
        }
    }

    /// A `srcset` of [`SRCSET_WIDTHS`] keeping `width`:`height`; `None` for external images,
    /// which cannot be resized.
    pub fn srcset(&self, width: u32, height: u32) -> Option<String> {
        if !matches!(self.source, Source::Media { .. }) || width == 0 || height == 0 {
            return None;
        }
        let entries: Vec<String> = SRCSET_WIDTHS
            .iter()
            .map(|&w| {
                let h = (u64::from(w) * u64::from(height) / u64::from(width)).max(1) as u32;
                format!("{} {w}w", self.fill(w, h))
            })
            .collect();
        Some(entries.join(", "))
    }
}

/// The file id of a media value, if it is one.
fn media_file(value: &str, media_base: &str) -> Option<String> {
    let rest = value
        .strip_prefix("wix:image://v1/")
        .or_else(|| value.strip_prefix(media_base))
        .or_else(|| value.strip_prefix(crate::client::DEFAULT_MEDIA_BASE_URL))?;
    let file: String = rest
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .to_owned();
    let safe = !file.is_empty()
        && file != "."
        && file != ".."
        && file
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'~'));
    safe.then_some(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIX: &str = "https://static.wixstatic.com/media/";

    #[test]
    fn every_media_form_becomes_the_one_resizing_form() {
        let forms = [
            "wix:image://v1/22e53e_abc~mv2.jpg/vase.jpg#originWidth=3000&originHeight=3000",
            "https://static.wixstatic.com/media/22e53e_abc~mv2.jpg",
            "https://static.wixstatic.com/media/22e53e_abc~mv2.jpg/v1/fill/w_100,h_100,al_c,q_80/22e53e_abc~mv2.jpg",
        ];
        for form in forms {
            let image = Image::parse(form, WIX, None).expect("media");
            assert_eq!(
                image.fill(800, 800),
                "https://static.wixstatic.com/media/22e53e_abc~mv2.jpg/v1/fill/w_800,h_800,al_c,q_90/22e53e_abc~mv2.jpg",
                "{form}"
            );
            assert_eq!(image.file_id(), Some("22e53e_abc~mv2.jpg"));
        }
    }

    #[test]
    fn another_media_host_is_resized_the_same_way() {
        let base = "http://127.0.0.1:3001/media/";
        let image =
            Image::parse("http://127.0.0.1:3001/media/p-1.svg?hue=3", base, None).expect("media");
        assert_eq!(
            image.fill(300, 300),
            "http://127.0.0.1:3001/media/p-1.svg/v1/fill/w_300,h_300,al_c,q_90/p-1.svg"
        );
        assert_eq!(image.original_url(), "http://127.0.0.1:3001/media/p-1.svg");
    }

    #[test]
    fn srcsets_keep_the_aspect_and_external_images_pass_through() {
        let image =
            Image::parse("https://static.wixstatic.com/media/a.jpg", WIX, None).expect("media");
        let set = image.srcset(1200, 600).expect("srcset");
        assert!(set.starts_with(
            "https://static.wixstatic.com/media/a.jpg/v1/fill/w_320,h_160,al_c,q_90/a.jpg 320w, "
        ));
        assert!(set.ends_with("/v1/fill/w_960,h_480,al_c,q_90/a.jpg 960w"));
        let external =
            Image::parse("https://cdn.example.com/x.png", WIX, Some("A".into())).expect("external");
        assert_eq!(external.fill(800, 800), "https://cdn.example.com/x.png");
        assert_eq!(external.srcset(800, 800), None);
        assert_eq!(Image::parse("javascript:alert(1)", WIX, None), None);
        assert_eq!(Image::parse("", WIX, None), None);
        assert!(
            Image::parse("https://static.wixstatic.com/media/../x", WIX, None)
                .is_some_and(|i| i.file_id().is_none()),
            "not a media file: used as an external URL"
        );
    }
}
