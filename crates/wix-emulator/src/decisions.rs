//! Where `shared/docs/wix-api.md` says UNCONFIRMED, the emulator had to choose. Every such
//! choice is listed here, so a surprise against the real Wix can be traced to one line.
//!
//! | topic (wix-api.md) | the emulator's choice |
//! |---|---|
//! | `token_type` in the token response (§2.1) | sent as `"Bearer"`; clients must not depend on it |
//! | refresh-token rotation (§2.1) | not rotated: a refresh answers with the same refresh token, which stays valid |
//! | refresh-token lifetime (§2.1) | unlimited |
//! | token endpoint error body (§2.1) | 400 with `applicationError.code = "INVALID_GRANT"` for an unknown refresh token; 400 validation errors for missing parameters |
//! | 401 body for a missing, unknown or expired token (§7.2) | `applicationError.code = "UNAUTHENTICATED"` |
//! | `Bearer ` prefix on API calls (§1.2) | accepted, as is the raw token |
//! | product not found (§4.3) | 404 with `applicationError.code = "PRODUCT_NOT_FOUND"` |
//! | Get Product / By Slug include `variantsInfo` (§4.3) | yes, always; Query and Search never |
//! | sortable fields of Search Products (§4.2) | any product field path; Query keeps its documented narrow lists |
//! | default order of a query without sort (§4.2) | newest `createdDate` first; with free text, relevance first |
//! | free-text fields when `search.fields` is empty | `name`, `plainDescription`, `brand.name` |
//! | fuzzy matching | edit distance 1 for terms of 4–6 letters, 2 from 7, against whole words or the typed prefix |
//! | `OWNED_CART_NOT_FOUND` text (§5.4) | message and description `"Cart not found"` |
//! | update/remove/estimate/create-checkout with no cart (§5.4) | 404 `OWNED_CART_NOT_FOUND` |
//! | unknown line id on update/remove (§5.4) | 400 `LINE_ITEM_NOT_FOUND_IN_CART` with `data.lineItemIds` (Cart V2's code) |
//! | unknown product on add | 428 `ITEM_NOT_FOUND_IN_CATALOG` with `data.invalidItems` (Cart V2's code) |
//! | quantity above stock (§5.2) | capped silently at 99 per line, since the catalog has no stock counts |
//! | request quantities | must be 1–100000, otherwise a 400 validation error |
//! | empty cart on create-checkout (§5.4) | 400 `CANT_CREATE_CHECKOUT_WITHOUT_LINE_ITEMS` |
