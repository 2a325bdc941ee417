//! Query and Search Products (wix-api.md §4.2): filters, sorts, free text and cursor paging over
//! products in their REST JSON shape.

use std::cmp::Ordering;

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::error::ApiError;

pub const MAX_LIMIT: usize = 100;
/// The SDK's default page size (wix-api.md §4.2).
pub const DEFAULT_LIMIT: usize = 50;

/// Fields Query Products accepts in filters and sorts (§4.2); Search accepts any product field.
const QUERY_FILTERABLE: &[&str] = &[
    "id",
    "handle",
    "slug",
    "createdDate",
    "updatedDate",
    "visible",
    "options.id",
];
const QUERY_SORTABLE: &[&str] = &["slug", "createdDate", "updatedDate", "visible"];
/// Fields Search Products filters on: the documented ones (wix-api.md §4.2) and those Wix's own
/// storefront clients filter on (§9.1). Anything else is refused, as Wix refuses undeclared fields.
const SEARCH_FILTERABLE: &[&str] = &[
    "id",
    "handle",
    "slug",
    "name",
    "visible",
    "productType",
    "createdDate",
    "updatedDate",
    "mainCategoryId",
    "directCategoriesInfo.categories",
    "directCategoriesInfo.categories.id",
    "allCategoriesInfo.categories",
    "allCategoriesInfo.categories.id",
    "inventory.availabilityStatus",
    "inventory.preorderStatus",
    "options.id",
    "options.name",
    "options.choicesSettings.choices.name",
    "options.choicesSettings.choices.choiceId",
    "modifiers.id",
    "modifiers.choicesSettings.choices.choiceId",
    "brand.id",
    "actualPriceRange.minValue.amount",
    "actualPriceRange.maxValue.amount",
    "compareAtPriceRange.minValue.amount",
    "compareAtPriceRange.maxValue.amount",
];
/// Fields free text may search: `name` is the one Wix's docs and clients search (§4.2, §9.1);
/// whether others (a gated HTML description, say) are accepted is UNCONFIRMED, so they are refused.
const SEARCHABLE: &[&str] = &["name"];
const OPERATORS: &[&str] = &[
    "$eq",
    "$ne",
    "$in",
    "$nin",
    "$lt",
    "$lte",
    "$gt",
    "$gte",
    "$startsWith",
    "$hasSome",
    "$hasAll",
    "$matchItems",
    "$exists",
    "$isEmpty",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Query,
    Search,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SortSpec {
    pub field_name: String,
    #[serde(default)]
    pub order: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FreeText {
    #[serde(default)]
    pub expression: Option<String>,
    #[serde(default)]
    pub fields: Vec<String>,
    #[serde(default)]
    pub mode: Option<String>,
    #[serde(default)]
    pub fuzzy: bool,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CursorPaging {
    #[serde(default)]
    pub limit: Option<i64>,
    #[serde(default)]
    pub cursor: Option<String>,
}

/// The body of `query` (Query Products) or `search` (Search Products).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CursorSearch {
    #[serde(default)]
    pub filter: Option<Value>,
    #[serde(default)]
    pub sort: Vec<SortSpec>,
    #[serde(default)]
    pub search: Option<FreeText>,
    #[serde(default)]
    pub cursor_paging: Option<CursorPaging>,
}

/// What a cursor remembers: the whole query, so the next page needs only the cursor (§4.2).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct CursorState {
    kind: Kind,
    filter: Option<Value>,
    sort: Vec<SortSpec>,
    search: Option<FreeText>,
    offset: usize,
}

pub struct Page<'a> {
    pub items: Vec<&'a Value>,
    pub paging_metadata: Value,
}

/// Runs a query or search over `products`.
pub fn run<'a>(
    kind: Kind,
    request: CursorSearch,
    products: impl Iterator<Item = &'a Value>,
) -> Result<Page<'a>, ApiError> {
    let paging = request.cursor_paging.clone().unwrap_or_default();
    let limit = match paging.limit {
        None => DEFAULT_LIMIT,
        Some(n) if (1..=MAX_LIMIT as i64).contains(&n) => n as usize,
        Some(_) => {
            return Err(ApiError::validation(
                "cursorPaging.limit",
                format!("must be between 1 and {MAX_LIMIT}"),
            ))
        }
    };
    let state = match paging.cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(cursor) => decode_cursor(cursor, kind)?,
        None => CursorState {
            kind,
            filter: request.filter,
            sort: request.sort,
            search: request.search,
            offset: 0,
        },
    };
    match kind {
        Kind::Query => validate_query_fields(&state)?,
        Kind::Search => validate_search(&state)?,
    }
    let matched = select(&state, products)?;
    let total = matched.len();
    // A crafted cursor may name any offset: the arithmetic saturates instead of overflowing.
    let end = state.offset.saturating_add(limit).min(total);
    let items: Vec<&Value> = matched.into_iter().skip(state.offset).take(limit).collect();
    let next = (end < total).then(|| {
        encode_cursor(&CursorState {
            offset: end,
            ..state.clone()
        })
    });
    let prev = (state.offset > 0).then(|| {
        encode_cursor(&CursorState {
            offset: state.offset.saturating_sub(limit),
            ..state.clone()
        })
    });
    Ok(Page {
        paging_metadata: json!({
            "count": items.len(),
            "cursors": {"next": next, "prev": prev},
            "hasNext": end < total,
        }),
        items,
    })
}

/// Count Products: the number of products a filter and free-text search match.
pub fn count<'a>(
    filter: Option<Value>,
    search: Option<FreeText>,
    products: impl Iterator<Item = &'a Value>,
) -> Result<usize, ApiError> {
    let state = CursorState {
        kind: Kind::Search,
        filter,
        sort: Vec::new(),
        search,
        offset: 0,
    };
    validate_search(&state)?;
    Ok(select(&state, products)?.len())
}

fn select<'a>(
    state: &CursorState,
    products: impl Iterator<Item = &'a Value>,
) -> Result<Vec<&'a Value>, ApiError> {
    let text = state
        .search
        .as_ref()
        .and_then(|s| s.expression.as_deref().map(|e| (s, e.trim())))
        .filter(|(_, e)| !e.is_empty());
    let mut scored = Vec::new();
    for product in products {
        if let Some(filter) = &state.filter {
            if !matches(filter, product)? {
                continue;
            }
        }
        let score = match text {
            Some((spec, expression)) => match text_score(spec, expression, product) {
                Some(score) => score,
                None => continue,
            },
            None => 0,
        };
        scored.push((score, product));
    }
    // Explicit sorts first; relevance for free text; newest first otherwise (UNCONFIRMED default).
    scored.sort_by(|(score_a, a), (score_b, b)| {
        for spec in &state.sort {
            let ordering =
                compare_values(&lookup(a, &spec.field_name), &lookup(b, &spec.field_name));
            let ordering = if spec.order.as_deref() == Some("DESC") {
                ordering.reverse()
            } else {
                ordering
            };
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        if text.is_some() {
            let ordering = score_b.cmp(score_a);
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        let newest = compare_values(&lookup(b, "createdDate"), &lookup(a, "createdDate"));
        newest.then_with(|| compare_values(&lookup(a, "id"), &lookup(b, "id")))
    });
    Ok(scored.into_iter().map(|(_, p)| p).collect())
}

fn validate_query_fields(state: &CursorState) -> Result<(), ApiError> {
    if let Some(filter) = &state.filter {
        let mut fields = Vec::new();
        filter_fields(filter, &mut fields);
        if let Some(field) = fields
            .iter()
            .find(|f| !QUERY_FILTERABLE.contains(&f.as_str()))
        {
            return Err(ApiError::validation(
                "query.filter",
                format!("Field '{field}' is not declared as filterable"),
            ));
        }
    }
    if let Some(spec) = state
        .sort
        .iter()
        .find(|s| !QUERY_SORTABLE.contains(&s.field_name.as_str()))
    {
        return Err(ApiError::validation(
            "query.sort",
            format!("Field '{}' is not declared as sortable", spec.field_name),
        ));
    }
    Ok(())
}

/// Search's rules (§9.1): declared fields only, one operator per field object (Wix's client:
/// "Search rejects two operators in ONE field object"), known operators, and free text only
/// over searchable fields.
fn validate_search(state: &CursorState) -> Result<(), ApiError> {
    if let Some(filter) = &state.filter {
        validate_conditions(filter)?;
    }
    if let Some(text) = &state.search {
        if text.fields.is_empty() {
            return Err(ApiError::validation(
                "search.search.fields",
                "must name the fields to search",
            ));
        }
        if let Some(field) = text
            .fields
            .iter()
            .find(|f| !SEARCHABLE.contains(&f.as_str()))
        {
            return Err(ApiError::validation(
                "search.search.fields",
                format!("Field '{field}' is not searchable"),
            ));
        }
        if let Some(mode) = text.mode.as_deref().filter(|m| !matches!(*m, "OR" | "AND")) {
            return Err(ApiError::validation(
                "search.search.mode",
                format!("unknown mode '{mode}'"),
            ));
        }
    }
    Ok(())
}

fn validate_conditions(filter: &Value) -> Result<(), ApiError> {
    let Some(map) = filter.as_object() else {
        return Err(ApiError::validation("filter", "must be an object"));
    };
    for (key, condition) in map {
        match key.as_str() {
            "$and" | "$or" => {
                for item in condition.as_array().into_iter().flatten() {
                    validate_conditions(item)?;
                }
            }
            "$not" => validate_conditions(condition)?,
            field if !SEARCH_FILTERABLE.contains(&field) => {
                return Err(ApiError::validation(
                    "search.filter",
                    format!("Field '{field}' is not declared as filterable"),
                ))
            }
            field => {
                let Some(operators) = condition
                    .as_object()
                    .filter(|m| m.keys().any(|k| k.starts_with('$')))
                else {
                    continue; // `{"visible": true}`: an implicit $eq
                };
                if operators.len() > 1 {
                    return Err(ApiError::validation(
                        format!("search.filter.{field}"),
                        "only one operator per field object; combine conditions with $and",
                    ));
                }
                if let Some(unknown) = operators.keys().find(|k| !OPERATORS.contains(&k.as_str())) {
                    return Err(ApiError::validation(
                        format!("search.filter.{field}"),
                        format!("unsupported operator {unknown}"),
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Refuses filter fields outside `allowed` (for APIs with a short declared list).
pub fn validate_filter_fields(
    filter: &Value,
    allowed: &[&str],
    name: &str,
) -> Result<(), ApiError> {
    let mut fields = Vec::new();
    filter_fields(filter, &mut fields);
    match fields.iter().find(|f| !allowed.contains(&f.as_str())) {
        Some(field) => Err(ApiError::validation(
            name.to_owned(),
            format!("Field '{field}' is not declared as filterable"),
        )),
        None => Ok(()),
    }
}

fn filter_fields(filter: &Value, out: &mut Vec<String>) {
    let Some(map) = filter.as_object() else {
        return;
    };
    for (key, value) in map {
        match key.as_str() {
            "$and" | "$or" => value
                .as_array()
                .into_iter()
                .flatten()
                .for_each(|f| filter_fields(f, out)),
            "$not" => filter_fields(value, out),
            field => out.push(field.to_owned()),
        }
    }
}

fn encode_cursor(state: &CursorState) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(state).unwrap_or_default())
}

fn decode_cursor(cursor: &str, kind: Kind) -> Result<CursorState, ApiError> {
    let invalid = || ApiError::validation("cursorPaging.cursor", "is not a valid cursor");
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let state: CursorState = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if state.kind != kind {
        return Err(invalid());
    }
    Ok(state)
}

/// All values at a dot path; arrays along the way are flattened (`options.choicesSettings.choices.name`).
pub fn lookup(value: &Value, path: &str) -> Vec<Value> {
    let mut current = vec![value];
    for segment in path.split('.') {
        let mut next = Vec::new();
        for v in current {
            let child = match v {
                Value::Object(map) => map.get(segment),
                _ => None,
            };
            match child {
                Some(Value::Array(items)) => next.extend(items.iter()),
                Some(other) => next.push(other),
                None => {}
            }
        }
        current = next;
    }
    current.into_iter().cloned().collect()
}

/// Evaluates a Wix filter object (`$and $or $not` over field conditions) against a product.
pub fn matches(filter: &Value, product: &Value) -> Result<bool, ApiError> {
    let Some(map) = filter.as_object() else {
        return Err(ApiError::validation("filter", "must be an object"));
    };
    for (key, condition) in map {
        let ok = match key.as_str() {
            "$and" => all_of(condition, product, true)?,
            "$or" => all_of(condition, product, false)?,
            "$not" => !matches(condition, product)?,
            field => field_matches(
                &lookup(product, field),
                &field_and_array(product, field),
                condition,
            )?,
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

fn all_of(list: &Value, product: &Value, all: bool) -> Result<bool, ApiError> {
    let Some(filters) = list.as_array() else {
        return Err(ApiError::validation("filter", "$and and $or take an array"));
    };
    for filter in filters {
        if matches(filter, product)? != all {
            return Ok(!all);
        }
    }
    Ok(all)
}

/// The raw value at a path, whether it is an array or not (for `$isEmpty`, `$matchItems`).
fn field_and_array(product: &Value, path: &str) -> Option<Value> {
    let mut current = product;
    for segment in path.split('.') {
        current = current.get(segment)?;
    }
    Some(current.clone())
}

fn field_matches(
    values: &[Value],
    raw: &Option<Value>,
    condition: &Value,
) -> Result<bool, ApiError> {
    let operators = match condition {
        Value::Object(map) if map.keys().any(|k| k.starts_with('$')) => map.clone(),
        other => {
            let mut map = Map::new();
            map.insert("$eq".into(), other.clone());
            map
        }
    };
    for (operator, operand) in &operators {
        let ok = match operator.as_str() {
            "$eq" => {
                values.iter().any(|v| equal(v, operand)) || (operand.is_null() && values.is_empty())
            }
            "$ne" => !values.iter().any(|v| equal(v, operand)),
            "$in" => list(operand, operator)?
                .iter()
                .any(|o| values.iter().any(|v| equal(v, o))),
            "$nin" => !list(operand, operator)?
                .iter()
                .any(|o| values.iter().any(|v| equal(v, o))),
            "$lt" => values.iter().any(|v| {
                compare_values(std::slice::from_ref(v), std::slice::from_ref(operand))
                    == Ordering::Less
            }),
            "$lte" => values.iter().any(|v| {
                compare_values(std::slice::from_ref(v), std::slice::from_ref(operand))
                    != Ordering::Greater
            }),
            "$gt" => values.iter().any(|v| {
                compare_values(std::slice::from_ref(v), std::slice::from_ref(operand))
                    == Ordering::Greater
            }),
            "$gte" => values.iter().any(|v| {
                compare_values(std::slice::from_ref(v), std::slice::from_ref(operand))
                    != Ordering::Less
            }),
            "$startsWith" => {
                let prefix = operand
                    .as_str()
                    .ok_or_else(|| ApiError::validation("filter", "$startsWith takes a string"))?
                    .to_lowercase();
                values
                    .iter()
                    .filter_map(Value::as_str)
                    .any(|v| v.to_lowercase().starts_with(&prefix))
            }
            "$hasSome" => list(operand, operator)?
                .iter()
                .any(|o| values.iter().any(|v| equal(v, o))),
            "$hasAll" => list(operand, operator)?
                .iter()
                .all(|o| values.iter().any(|v| equal(v, o))),
            "$matchItems" => {
                let specs = list(operand, operator)?;
                let items: Vec<&Value> = match raw {
                    Some(Value::Array(items)) => items.iter().collect(),
                    _ => Vec::new(),
                };
                let mut any = false;
                for spec in &specs {
                    for item in &items {
                        if matches(spec, item)? {
                            any = true;
                        }
                    }
                }
                any
            }
            "$exists" => {
                let wanted = operand.as_bool().unwrap_or(true);
                (raw.is_some() && !matches!(raw, Some(Value::Null))) == wanted
            }
            "$isEmpty" => {
                let wanted = operand.as_bool().unwrap_or(true);
                let empty = match raw {
                    None | Some(Value::Null) => true,
                    Some(Value::Array(items)) => items.is_empty(),
                    Some(Value::String(s)) => s.is_empty(),
                    Some(_) => false,
                };
                empty == wanted
            }
            other => {
                return Err(ApiError::validation(
                    "filter",
                    format!("unsupported operator {other}"),
                ))
            }
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

fn list(operand: &Value, operator: &str) -> Result<Vec<Value>, ApiError> {
    operand
        .as_array()
        .cloned()
        .ok_or_else(|| ApiError::validation("filter", format!("{operator} takes an array")))
}

fn as_number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// Wix sends amounts as strings and filters may compare them with numbers (`{"$lt": 20}`).
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::String(x), Value::String(y)) => x == y,
        _ => match (as_number(a), as_number(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
    }
}

fn compare_values(a: &[Value], b: &[Value]) -> Ordering {
    match (a.first(), b.first()) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => match (as_number(x), as_number(y)) {
            (Some(p), Some(q)) => p.partial_cmp(&q).unwrap_or(Ordering::Equal),
            _ => match (x.as_str(), y.as_str()) {
                (Some(p), Some(q)) => p.to_lowercase().cmp(&q.to_lowercase()),
                _ => x.to_string().cmp(&y.to_string()),
            },
        },
    }
}

/// Free-text relevance, or `None` when the product does not match. UNCONFIRMED: Wix's ranking
/// is not documented; this one prefers whole words, then prefixes, then typos, and name hits.
fn text_score(spec: &FreeText, expression: &str, product: &Value) -> Option<u32> {
    let fields: Vec<&str> = spec.fields.iter().map(String::as_str).collect();
    let all_terms = spec.mode.as_deref() == Some("AND");
    let terms: Vec<String> = words(expression).collect();
    let mut total = 0;
    let mut matched_terms = 0;
    for term in &terms {
        let mut best = 0;
        for field in &fields {
            let weight = if *field == "name" { 2 } else { 1 };
            for value in lookup(product, field) {
                let Some(text) = value.as_str() else { continue };
                for word in words(&strip_tags(text)) {
                    best = best.max(weight * term_score(term, &word, spec.fuzzy));
                }
            }
        }
        if best > 0 {
            matched_terms += 1;
            total += best;
        }
    }
    let matched = if all_terms {
        matched_terms == terms.len()
    } else {
        matched_terms > 0
    };
    (matched && !terms.is_empty()).then_some(total)
}

fn term_score(term: &str, word: &str, fuzzy: bool) -> u32 {
    if word == term {
        return 4;
    }
    if word.starts_with(term) {
        return 3;
    }
    if !fuzzy {
        return 0;
    }
    let allowed = match term.chars().count() {
        0..=3 => 0,
        4..=6 => 1,
        _ => 2,
    };
    if allowed == 0 {
        return 0;
    }
    // A typo anywhere, or a typo in what has been typed so far of a longer word.
    let prefix: String = word.chars().take(term.chars().count()).collect();
    if levenshtein(term, word) <= allowed || levenshtein(term, &prefix) <= allowed {
        1
    } else {
        0
    }
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            current.push(
                (previous[j] + cost)
                    .min(previous[j + 1] + 1)
                    .min(current[j] + 1),
            );
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn products() -> Vec<Value> {
        vec![
            json!({"id": "a", "name": "Ceramic Vase", "createdDate": "2026-01-01", "visible": true,
                   "actualPriceRange": {"minValue": {"amount": "27"}},
                   "allCategoriesInfo": {"categories": [{"id": "home"}]},
                   "options": [{"name": "Color", "choicesSettings": {"choices": [{"name": "White"}, {"name": "Black"}]}}]}),
            json!({"id": "b", "name": "Linen Tee", "createdDate": "2026-02-01", "visible": true,
                   "actualPriceRange": {"minValue": {"amount": "18.5"}},
                   "allCategoriesInfo": {"categories": [{"id": "apparel"}]}, "options": []}),
            json!({"id": "c", "name": "Cedar Mug", "createdDate": "2026-03-01", "visible": true,
                   "actualPriceRange": {"minValue": {"amount": "12"}},
                   "allCategoriesInfo": {"categories": [{"id": "kitchen"}, {"id": "home"}]}, "options": []}),
        ]
    }

    fn ids(filter: Value) -> Vec<String> {
        let products = products();
        products
            .iter()
            .filter(|p| matches(&filter, p).expect("valid filter"))
            .map(|p| p["id"].as_str().unwrap_or_default().to_owned())
            .collect()
    }

    #[test]
    fn operators_and_combinators() {
        assert_eq!(
            ids(json!({"actualPriceRange.minValue.amount": {"$lt": 20}})),
            ["b", "c"]
        );
        assert_eq!(
            ids(json!({"actualPriceRange.minValue.amount": {"$gte": "27"}})),
            ["a"]
        );
        assert_eq!(ids(json!({"name": {"$startsWith": "ced"}})), ["c"]);
        assert_eq!(ids(json!({"id": {"$in": ["a", "c"]}})), ["a", "c"]);
        assert_eq!(ids(json!({"id": {"$nin": ["a", "c"]}})), ["b"]);
        assert_eq!(ids(json!({"id": "b"})), ["b"]);
        assert_eq!(ids(json!({"id": {"$ne": "b"}})), ["a", "c"]);
        assert_eq!(
            ids(json!({"allCategoriesInfo.categories": {"$matchItems": [{"id": "home"}]}})),
            ["a", "c"]
        );
        assert_eq!(
            ids(json!({"options.choicesSettings.choices.name": {"$hasSome": ["Black"]}})),
            ["a"]
        );
        assert_eq!(
            ids(json!({"options.choicesSettings.choices.name": {"$hasAll": ["Black", "White"]}})),
            ["a"]
        );
        assert_eq!(ids(json!({"$or": [{"id": "a"}, {"id": "b"}]})), ["a", "b"]);
        assert_eq!(
            ids(json!({"$and": [{"id": {"$ne": "a"}}, {"$not": {"id": "b"}}]})),
            ["c"]
        );
        assert_eq!(ids(json!({"options": {"$isEmpty": true}})), ["b", "c"]);
        assert_eq!(ids(json!({"brand": {"$exists": false}})), ["a", "b", "c"]);
    }

    #[test]
    fn free_text_tolerates_typos_only_when_fuzzy() {
        let products = products();
        let search = |expression: &str, fuzzy: bool| {
            let request = CursorSearch {
                search: Some(FreeText {
                    expression: Some(expression.into()),
                    fields: vec!["name".into()],
                    mode: None,
                    fuzzy,
                }),
                ..Default::default()
            };
            run(Kind::Search, request, products.iter())
                .expect("search runs")
                .items
                .iter()
                .map(|p| p["id"].as_str().unwrap_or_default().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(search("ceramc", true), ["a"]);
        assert!(search("ceramc", false).is_empty());
        assert_eq!(search("lin", false), ["b"]);
    }

    #[test]
    fn cursor_pages_through_everything_once() {
        let products = products();
        let mut seen = Vec::new();
        let mut request = CursorSearch {
            sort: vec![SortSpec {
                field_name: "actualPriceRange.minValue.amount".into(),
                order: Some("ASC".into()),
            }],
            cursor_paging: Some(CursorPaging {
                limit: Some(2),
                cursor: None,
            }),
            ..Default::default()
        };
        loop {
            let page = run(Kind::Search, request, products.iter()).expect("page");
            seen.extend(
                page.items
                    .iter()
                    .map(|p| p["id"].as_str().unwrap_or_default().to_owned()),
            );
            let Some(next) = page.paging_metadata["cursors"]["next"].as_str() else {
                break;
            };
            request = CursorSearch {
                cursor_paging: Some(CursorPaging {
                    limit: Some(2),
                    cursor: Some(next.to_owned()),
                }),
                ..Default::default()
            };
        }
        assert_eq!(seen, ["c", "b", "a"]);
    }

    #[test]
    fn query_rejects_undeclared_fields_and_bad_limits() {
        let products = products();
        let request = CursorSearch {
            filter: Some(json!({"name": "x"})),
            ..Default::default()
        };
        assert!(run(Kind::Query, request, products.iter()).is_err());
        let request = CursorSearch {
            cursor_paging: Some(CursorPaging {
                limit: Some(101),
                cursor: None,
            }),
            ..Default::default()
        };
        assert!(run(Kind::Search, request, products.iter()).is_err());
        let request = CursorSearch {
            cursor_paging: Some(CursorPaging {
                limit: None,
                cursor: Some("garbage!".into()),
            }),
            ..Default::default()
        };
        assert!(run(Kind::Search, request, products.iter()).is_err());
    }
}
