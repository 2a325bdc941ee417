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
//! | Cart V2 no-cart error (§5b 3.1) | 404 `CURRENT_CART_NOT_FOUND`, message `"Current cart not found"` |
//! | Cart V2 add without a resolvable variant (§5b 3.2) | 200 with nothing added, like v1 (Wix's REST client's reading) |
//! | Cart V2 estimate/calculate on a missing or empty cart | 404 `CURRENT_CART_NOT_FOUND` |
//! | Cart V2 delete without a cart | 404 `CURRENT_CART_NOT_FOUND` |
//! | statuses of Cart V2 application errors (§5b.5) | validation-like and coupon codes 400; `ITEM_NOT_FOUND_IN_CATALOG` 428 |
//! | `PATCH` of the cart | accepted; only v1's `couponCode` is modelled |
//! | coupons | demo codes `SAVE10` (10 % off) and `HALFOFF` (50 % off), applied per line; one per cart |
//! | cart after the hosted checkout (§5.4, §5b.9) | the ordered cart stops being current (`orderPlaced: true`, `orderId`); the next add starts a new cart |
//! | redirect session for someone else's checkout | 404 `CHECKOUT_NOT_FOUND` |
//! | hosted pages | `/checkout`, `/login`, `/logout` at the emulator's origin, `?session=<redirect session id>`; not single-use, so a reload works |
//! | demo members | `ada@example.com` and `grace@example.com`, password `rustacean` |
//! | `authorization_code` errors | 400 `INVALID_GRANT` for an unknown, used or expired code, a wrong verifier, client id or redirect URI |
//! | a site that cannot take payments | settings `paymentsDisabled`: v1 create-checkout, and the `ecomCheckout` redirect session (the V2 path), answer 428 `SITE_MUST_ACCEPT_PAYMENTS_TO_CREATE_CHECKOUT` |
