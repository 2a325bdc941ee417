//! The catalog's filter vocabulary: which options and choices its products have (offered as
//! filters by name), and the Wix choice ids each name stands for (what the search filters by,
//! wix-api.md §9.1).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use wix_headless::catalog::Product;

use crate::api::catalog::OptionFacet;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Facets {
    /// Option names (alphabetical) with their visible choices, in the order products list them.
    pub options: Vec<OptionFacet>,
    /// Option name → choice name → the choice ids products use for it.
    ids: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

impl Facets {
    pub fn collect(products: &[Product]) -> Self {
        let mut order: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        let mut ids: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
        for option in products.iter().flat_map(|p| &p.options) {
            let choices = order.entry(option.name.as_str()).or_default();
            for choice in &option.choices {
                if !choices.contains(&choice.name) {
                    choices.push(choice.name.clone());
                }
                let known = ids
                    .entry(option.name.clone())
                    .or_default()
                    .entry(choice.name.clone())
                    .or_default();
                if !known.contains(&choice.id) {
                    known.push(choice.id.clone());
                }
            }
        }
        Self {
            options: order
                .into_iter()
                .filter(|(_, choices)| !choices.is_empty())
                .map(|(name, choices)| OptionFacet {
                    name: name.to_owned(),
                    choices,
                })
                .collect(),
            ids,
        }
    }

    /// The choice ids behind `option` = `choice`; `None` when the catalog has no such choice.
    pub fn choice_ids(&self, option: &str, choice: &str) -> Option<&[String]> {
        self.ids.get(option)?.get(choice).map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wix_headless::catalog::{Choice, ProductOption};

    fn product(options: Vec<ProductOption>) -> Product {
        let json = serde_json::json!({
            "id": "p", "name": "P", "slug": "p", "description_html": null, "images": [],
            "options": [], "variants": [],
            "price": {"from": {"amount": "1", "currency": "USD", "formatted": "$1.00"}, "to": null, "was": null, "discounted": false},
            "availability": "InStock", "default_variant_id": null, "main_category_id": null,
            "breadcrumbs": [], "info_sections": [], "ribbon": null, "currency": "USD"});
        let mut product: Product = serde_json::from_value(json).expect("product");
        product.options = options;
        product
    }

    fn option(name: &str, choices: &[(&str, &str)]) -> ProductOption {
        ProductOption {
            id: name.into(),
            name: name.into(),
            swatches: false,
            choices: choices
                .iter()
                .map(|(id, name)| Choice {
                    id: (*id).into(),
                    name: (*name).into(),
                    color: None,
                    in_stock: true,
                })
                .collect(),
        }
    }

    #[test]
    fn names_are_offered_and_ids_remembered() {
        let products = [
            product(vec![option("Size", &[("s1", "S"), ("m1", "M")])]),
            product(vec![
                option("Color", &[("black", "Black")]),
                option("Size", &[("m2", "M"), ("l1", "L")]),
            ]),
            product(vec![]),
        ];
        let facets = Facets::collect(&products);
        assert_eq!(
            facets.options,
            [
                OptionFacet {
                    name: "Color".into(),
                    choices: vec!["Black".into()]
                },
                OptionFacet {
                    name: "Size".into(),
                    choices: vec!["S".into(), "M".into(), "L".into()]
                },
            ]
        );
        assert_eq!(
            facets.choice_ids("Size", "M"),
            Some(&["m1".to_owned(), "m2".to_owned()][..])
        );
        assert_eq!(facets.choice_ids("Size", "XXL"), None);
    }
}
