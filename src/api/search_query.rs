//! The search URL (`/search?q=&sort=&category=&min=&max=&in_stock=&<Option>=<choice>&cursor=`)
//! parsed into what a shopper asked for. Anything invalid is ignored or clamped, never an error
//! page.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::catalog::MAX_QUERY_CHARS;

/// Highest price filter accepted (whole currency units).
pub const MAX_PRICE: u32 = 100_000;
/// Option filters (`Color=Black`) kept from one URL; a shopper narrows by a few, not dozens.
pub const MAX_OPTION_FILTERS: usize = 4;
/// Longest option name or choice accepted in a URL.
const MAX_OPTION_TEXT: usize = 60;
/// Parameters with a meaning of their own; every other one may name a product option.
const RESERVED: [&str; 8] = [
    "q", "sort", "category", "min", "max", "in_stock", "cursor", "cart",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Sort {
    #[default]
    Relevance,
    PriceAscending,
    PriceDescending,
    Newest,
    Name,
}

impl Sort {
    pub const ALL: [Self; 5] = [
        Self::Relevance,
        Self::PriceAscending,
        Self::PriceDescending,
        Self::Newest,
        Self::Name,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::PriceAscending => "price-asc",
            Self::PriceDescending => "price-desc",
            Self::Newest => "newest",
            Self::Name => "name",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Relevance => "Best match",
            Self::PriceAscending => "Price: low to high",
            Self::PriceDescending => "Price: high to low",
            Self::Newest => "Newest",
            Self::Name => "Name",
        }
    }

    fn parse(code: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
// Form encoding leaves empty collections out entirely.
#[serde(default)]
pub struct SearchQuery {
    pub q: String,
    pub sort: Sort,
    /// A category slug.
    pub category: Option<String>,
    pub min: Option<u32>,
    pub max: Option<u32>,
    pub in_stock: bool,
    /// Option name → choice (`Color` → `Black`). The server keeps only options the catalog has.
    pub options: BTreeMap<String, String>,
    pub cursor: Option<String>,
}

fn price(text: Option<String>) -> Option<u32> {
    let value: f64 = text?.trim().parse().ok()?;
    (value.is_finite() && value >= 0.0)
        .then(|| (value.floor() as u64).min(u64::from(MAX_PRICE)) as u32)
}

fn slug(text: Option<String>) -> Option<String> {
    text.map(|s| s.trim().to_owned()).filter(|s| {
        !s.is_empty() && s.len() <= 100 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

fn option_text(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()
        && text.chars().count() <= MAX_OPTION_TEXT
        && !text.chars().any(char::is_control))
    .then(|| text.to_owned())
}

impl SearchQuery {
    /// Reads URL parameters; when a name repeats, the last value counts.
    pub fn parse<K: AsRef<str>, V: AsRef<str>>(pairs: impl IntoIterator<Item = (K, V)>) -> Self {
        let mut latest: HashMap<String, String> = HashMap::new();
        let mut options = BTreeMap::new();
        for (key, value) in pairs {
            let (key, value) = (key.as_ref(), value.as_ref());
            if RESERVED.contains(&key) {
                latest.insert(key.to_owned(), value.to_owned());
            } else if let (Some(name), Some(choice)) = (option_text(key), option_text(value)) {
                // ` category` trims to a reserved name: as an option it would come back as the
                // real parameter when the query is read again (`clamped`), overriding it.
                if !RESERVED.contains(&name.as_str()) {
                    options.insert(name, choice);
                }
            }
        }
        options = options.into_iter().take(MAX_OPTION_FILTERS).collect();
        let get = |key: &str| latest.get(key).cloned();
        let (mut min, mut max) = (price(get("min")), price(get("max")));
        if let (Some(low), Some(high)) = (min, max) {
            if low > high {
                (min, max) = (Some(high), Some(low));
            }
        }
        Self {
            q: get("q")
                .map(|q| q.trim().chars().take(MAX_QUERY_CHARS).collect())
                .unwrap_or_default(),
            sort: get("sort").map(|s| Sort::parse(&s)).unwrap_or_default(),
            category: slug(get("category")),
            min,
            max,
            in_stock: get("in_stock").is_some_and(|v| matches!(v.as_str(), "1" | "true" | "on")),
            options,
            cursor: get("cursor").filter(|c| !c.is_empty() && c.len() <= 4096),
        }
    }

    /// The same search held to the limits of a URL-borne one ([`Self::parse`]): a server
    /// function receives it straight from the request body, which may hold anything.
    pub fn clamped(&self) -> Self {
        let mut pairs: Vec<(String, String)> = vec![
            ("q".into(), self.q.clone()),
            ("sort".into(), self.sort.code().into()),
        ];
        let optional = [
            ("category", self.category.clone()),
            ("min", self.min.map(|m| m.to_string())),
            ("max", self.max.map(|m| m.to_string())),
            ("cursor", self.cursor.clone()),
            ("in_stock", self.in_stock.then(|| "1".to_owned())),
        ];
        pairs.extend(
            optional
                .into_iter()
                .filter_map(|(k, v)| Some((k.to_owned(), v?))),
        );
        pairs.extend(self.options.iter().map(|(k, v)| (k.clone(), v.clone())));
        Self::parse(pairs)
    }

    /// Any narrowing beyond the free text.
    pub fn has_filters(&self) -> bool {
        self.category.is_some()
            || self.min.is_some()
            || self.max.is_some()
            || self.in_stock
            || !self.options.is_empty()
    }

    /// The same search with one option filter changed (`None`: removed), from the first page.
    pub fn with_option(&self, name: &str, choice: Option<&str>) -> Self {
        let mut next = self.at(None);
        match choice {
            Some(choice) => next.options.insert(name.to_owned(), choice.to_owned()),
            None => next.options.remove(name),
        };
        next
    }

    /// The query string of this search (defaults left out), without `?`.
    pub fn query_string(&self, include_category: bool) -> String {
        use crate::url::encode_component as enc;
        let mut parts = Vec::new();
        if !self.q.is_empty() {
            parts.push(format!("q={}", enc(&self.q)));
        }
        if self.sort != Sort::Relevance {
            parts.push(format!("sort={}", self.sort.code()));
        }
        if let Some(category) = self.category.as_ref().filter(|_| include_category) {
            parts.push(format!("category={}", enc(category)));
        }
        if let Some(min) = self.min {
            parts.push(format!("min={min}"));
        }
        if let Some(max) = self.max {
            parts.push(format!("max={max}"));
        }
        if self.in_stock {
            parts.push("in_stock=1".into());
        }
        for (name, choice) in &self.options {
            parts.push(format!("{}={}", enc(name), enc(choice)));
        }
        if let Some(cursor) = &self.cursor {
            parts.push(format!("cursor={}", enc(cursor)));
        }
        parts.join("&")
    }

    /// The same search on another page of results (`None`: the first).
    pub fn at(&self, cursor: Option<&str>) -> Self {
        Self {
            cursor: cursor.map(str::to_owned),
            ..self.clone()
        }
    }
}

/// `path` plus the query string, if any.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> SearchQuery {
        SearchQuery::parse(pairs.iter().copied())
    }

    #[test]
    fn invalid_parameters_are_ignored_or_clamped() {
        let q = parse(&[
            ("min", "-5"),
            ("max", "abc"),
            ("sort", "cheapest"),
            ("category", "<script>"),
        ]);
        assert_eq!(q, SearchQuery::default());
        let q = parse(&[("min", "80"), ("max", "20.7"), ("max", "20")]);
        assert_eq!((q.min, q.max), (Some(20), Some(80)), "swapped");
        assert_eq!(parse(&[("max", "1e12")]).max, Some(MAX_PRICE));
        assert_eq!(
            parse(&[("q", &"x".repeat(10_000))]).q.len(),
            MAX_QUERY_CHARS
        );
        assert_eq!(parse(&[("max", "NaN")]).max, None);
    }

    #[test]
    fn urls_round_trip_and_leave_defaults_out() {
        let q = parse(&[
            ("q", "linen tee"),
            ("sort", "price-asc"),
            ("category", "apparel"),
            ("min", "10"),
            ("in_stock", "on"),
        ]);
        let text = q.query_string(true);
        assert_eq!(
            text,
            "q=linen+tee&sort=price-asc&category=apparel&min=10&in_stock=1"
        );
        let pairs: Vec<(String, String)> = text
            .split('&')
            .map(|p| p.split_once('=').expect("pair"))
            .map(|(k, v)| (k.to_owned(), v.replace('+', " ")))
            .collect();
        assert_eq!(SearchQuery::parse(pairs), q);
        assert_eq!(SearchQuery::default().query_string(true), "");
        assert_eq!(
            q.query_string(false),
            "q=linen+tee&sort=price-asc&min=10&in_stock=1"
        );
    }

    #[test]
    fn a_padded_reserved_name_is_no_option_and_overrides_nothing() {
        // Found by the fuzzer: `/category/accessories?%20category=x` answered 404, the server
        // reading the option ` category` back as the category `x`.
        let mut q = parse(&[(" category", "x"), ("category\r\n", "y"), ("Color", "Red")]);
        assert_eq!(q.options.keys().collect::<Vec<_>>(), ["Color"]);
        q.category = Some("accessories".into());
        assert_eq!(q.clamped().category.as_deref(), Some("accessories"));
    }

    #[test]
    fn a_search_from_a_request_body_is_held_to_the_url_limits() {
        let huge = SearchQuery {
            q: "x".repeat(5_000_000),
            sort: Sort::Name,
            category: Some("<script>".into()),
            min: Some(u32::MAX),
            max: Some(3),
            in_stock: true,
            options: (0..1000)
                .map(|i| (format!("O{i}"), "y".repeat(100)))
                .collect(),
            cursor: Some("c".repeat(1_000_000)),
        };
        let clamped = huge.clamped();
        assert_eq!(clamped.q.chars().count(), MAX_QUERY_CHARS);
        assert_eq!(clamped.category, None);
        assert_eq!(
            (clamped.min, clamped.max),
            (Some(3), Some(MAX_PRICE)),
            "clamped, then ordered"
        );
        assert_eq!(clamped.cursor, None);
        assert!(
            clamped.options.is_empty(),
            "choices over 60 characters are not options"
        );
        assert!(clamped.in_stock && clamped.sort == Sort::Name);
        let fine = SearchQuery::parse([("q", "mug"), ("Color", "Black"), ("cursor", "abc")]);
        assert_eq!(fine.clamped(), fine);
    }

    #[test]
    fn other_parameters_are_option_filters() {
        let q = parse(&[
            ("Color", "Black"),
            ("Size", " M "),
            ("Color", "White"),
            ("cart", "added"),
            ("Empty", ""),
            (&"N".repeat(61), "long name"),
            ("Bad", "a\u{0}b"),
        ]);
        assert_eq!(
            q.options.iter().collect::<Vec<_>>(),
            [(&"Color".to_owned(), &"White".to_owned()), (&"Size".to_owned(), &"M".to_owned())],
            "last value wins; reserved, empty, long and control-character parameters are not options"
        );
        assert!(q.has_filters());
        assert_eq!(q.query_string(true), "Color=White&Size=M");
        let many: Vec<(String, String)> =
            (0..50).map(|i| (format!("O{i:02}"), "x".into())).collect();
        assert_eq!(SearchQuery::parse(many).options.len(), MAX_OPTION_FILTERS);
        let narrowed = q
            .at(Some("abc"))
            .with_option("Size", None)
            .with_option("Fit", Some("Slim"));
        assert_eq!(
            narrowed.query_string(true),
            "Color=White&Fit=Slim",
            "back to the first page"
        );
    }
}
