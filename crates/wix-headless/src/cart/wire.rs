//! Wire pieces Cart v1 and V2 share (wix-api.md §5.3, §5b.4).

use serde::Deserialize;

#[derive(Deserialize, Default)]
pub(super) struct Translatable {
    #[serde(default)]
    original: String,
    #[serde(default)]
    translated: Option<String>,
}

impl Translatable {
    pub(super) fn text(&self) -> &str {
        self.translated
            .as_deref()
            .filter(|t| !t.is_empty())
            .unwrap_or(&self.original)
    }
}

/// A variant choice shown on a line: `Color: Black`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct DescriptionLine {
    #[serde(default)]
    name: Translatable,
    #[serde(default)]
    plain_text: Option<Translatable>,
    #[serde(default)]
    color_info: Option<Translatable>,
}

impl DescriptionLine {
    pub(super) fn text(&self) -> String {
        let value = self
            .plain_text
            .as_ref()
            .or(self.color_info.as_ref())
            .map(Translatable::text)
            .unwrap_or_default();
        format!("{}: {value}", self.name.text())
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct PageUrl {
    #[serde(default)]
    pub(super) relative_path: Option<String>,
}

#[derive(Deserialize, Default)]
pub(super) struct Image {
    #[serde(default)]
    pub(super) url: Option<String>,
}
