//! Variant choice from the URL (`?Color=Black&Size=M`), with the no-trap rule: a choice that
//! makes the combination impossible or sold out moves to the nearest in-stock combination that
//! keeps it, instead of leaving the shopper stuck on a dead end.

use super::catalog::{ProductDetail, VariantView};
use crate::url::encode_component;

/// What the page shows as selected, and the variant the add-to-cart form sends.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection<'a> {
    /// `(option, choice)` for every option, in option order.
    pub choices: Vec<(String, String)>,
    pub variant: Option<&'a VariantView>,
}

impl Selection<'_> {
    pub fn chosen(&self, option: &str) -> Option<&str> {
        self.choices
            .iter()
            .find(|(o, _)| o == option)
            .map(|(_, c)| c.as_str())
    }

    /// `/product/slug?Color=Black&Size=M`.
    pub fn url(&self, slug: &str) -> String {
        let query: Vec<String> = self
            .choices
            .iter()
            .map(|(o, c)| format!("{}={}", encode_component(o), encode_component(c)))
            .collect();
        if query.is_empty() {
            format!("/product/{slug}")
        } else {
            format!("/product/{slug}?{}", query.join("&"))
        }
    }
}

fn matches(variant: &VariantView, option: &str, choice: &str) -> bool {
    variant
        .choices
        .iter()
        .any(|(o, c)| o == option && c == choice)
}

/// Resolves what the URL asked for (`requested`, unknown names ignored). `keep` is a choice the
/// shopper just picked and must stay, when any in-stock variant has it.
pub fn resolve<'a>(
    product: &'a ProductDetail,
    requested: &[(String, String)],
    keep: Option<(&str, &str)>,
) -> Selection<'a> {
    let wanted = |option: &str| -> Option<&str> {
        requested
            .iter()
            .find(|(o, _)| o == option)
            .map(|(_, c)| c.as_str())
    };
    let mut candidates: Vec<&VariantView> =
        product.variants.iter().filter(|v| v.in_stock).collect();
    if let Some((option, choice)) = keep {
        let keeping: Vec<&VariantView> = candidates
            .iter()
            .copied()
            .filter(|v| matches(v, option, choice))
            .collect();
        if !keeping.is_empty() {
            candidates = keeping;
        }
    }
    // The nearest combination: the most requested choices kept, earlier options weighing more.
    let options = &product.options;
    let score = |variant: &VariantView| -> u32 {
        options
            .iter()
            .enumerate()
            .filter(|(_, o)| wanted(&o.name).is_some_and(|c| matches(variant, &o.name, c)))
            .map(|(index, _)| 1 << (options.len() - index))
            .sum()
    };
    let best = candidates.iter().copied().max_by_key(|v| {
        // `max_by_key` keeps the last maximum; prefer the earliest variant on ties.
        (
            score(v),
            std::cmp::Reverse(product.variants.iter().position(|x| x.id == v.id)),
        )
    });
    match best {
        Some(variant) => Selection {
            choices: variant.choices.clone(),
            variant: Some(variant),
        },
        // Everything sold out: show what was asked (where valid), nothing to add.
        None => Selection {
            choices: options
                .iter()
                .filter_map(|o| {
                    let choice = wanted(&o.name)
                        .filter(|c| o.choices.iter().any(|x| x.name == *c))
                        .or_else(|| o.choices.first().map(|c| c.name.as_str()))?;
                    Some((o.name.clone(), choice.to_owned()))
                })
                .collect(),
            variant: None,
        },
    }
}

/// Whether any in-stock variant offers this choice.
pub fn available(product: &ProductDetail, option: &str, choice: &str) -> bool {
    product
        .variants
        .iter()
        .any(|v| v.in_stock && matches(v, option, choice))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::catalog::{ChoiceView, OptionView, PriceView};

    fn price(label: &str) -> PriceView {
        PriceView {
            label: label.into(),
            was: None,
            discounted: false,
            percent_off: None,
        }
    }

    fn product() -> ProductDetail {
        let option = |name: &str, choices: &[&str]| OptionView {
            name: name.into(),
            choices: choices
                .iter()
                .map(|c| ChoiceView {
                    name: (*c).into(),
                    color: None,
                })
                .collect(),
        };
        let variant = |id: &str, color: &str, size: &str, in_stock: bool| VariantView {
            id: id.into(),
            choices: vec![("Color".into(), color.into()), ("Size".into(), size.into())],
            price: price("$10.00"),
            amount: "10".into(),
            in_stock,
            sku: None,
            image: None,
        };
        ProductDetail {
            id: "p".into(),
            slug: "tee".into(),
            name: "Tee".into(),
            description: vec![],
            images: vec![],
            price: price("$10.00"),
            in_stock: true,
            currency: "USD".into(),
            options: vec![
                option("Color", &["Black", "White"]),
                option("Size", &["S", "M", "L"]),
            ],
            variants: vec![
                variant("bs", "Black", "S", true),
                variant("bm", "Black", "M", false),
                variant("bl", "Black", "L", true),
                variant("ws", "White", "S", false),
                variant("wm", "White", "M", true),
                variant("wl", "White", "L", false),
            ],
            info_sections: vec![],
            breadcrumbs: vec![],
            ribbon: None,
            related: vec![],
        }
    }

    fn pick(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(o, c)| (o.to_string(), c.to_string()))
            .collect()
    }

    #[test]
    fn an_available_combination_is_kept() {
        let p = product();
        let s = resolve(&p, &pick(&[("Color", "Black"), ("Size", "L")]), None);
        assert_eq!(s.variant.map(|v| v.id.as_str()), Some("bl"));
        assert_eq!(s.url("tee"), "/product/tee?Color=Black&Size=L");
    }

    #[test]
    fn a_sold_out_combination_moves_to_the_nearest_in_stock_one() {
        let p = product();
        // Black/M is sold out: keep Black (the earlier option), move the size.
        let s = resolve(&p, &pick(&[("Color", "Black"), ("Size", "M")]), None);
        assert_eq!(s.variant.map(|v| v.id.as_str()), Some("bs"));
        // …unless the shopper just picked M: keep M, move the colour.
        let s = resolve(
            &p,
            &pick(&[("Color", "Black"), ("Size", "M")]),
            Some(("Size", "M")),
        );
        assert_eq!(s.variant.map(|v| v.id.as_str()), Some("wm"));
    }

    #[test]
    fn nonsense_in_the_url_falls_back_to_an_in_stock_variant() {
        let p = product();
        let s = resolve(&p, &pick(&[("Color", "Purple"), ("Bogus", "1")]), None);
        assert_eq!(s.variant.map(|v| v.id.as_str()), Some("bs"));
        assert!(available(&p, "Size", "L"));
        let mut sold_out = product();
        sold_out
            .variants
            .iter_mut()
            .for_each(|v| v.in_stock = false);
        let s = resolve(&sold_out, &pick(&[("Color", "White")]), None);
        assert_eq!(s.variant, None);
        assert_eq!(s.chosen("Color"), Some("White"));
        assert!(!available(&sold_out, "Color", "Black"));
    }
}
