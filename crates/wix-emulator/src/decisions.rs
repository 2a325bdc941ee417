//! Where `docs/wix-api.md` says UNCONFIRMED, the emulator had to choose. Every such choice is
//! listed here, so a surprise against the real Wix can be traced to one line.
//!
//! Two rules decide (wix-api.md §9): where Wix's sources agree, the emulator refuses what Wix
//! refuses; where Wix's own reference clients disagree, it accepts every shape any of them
//! sends. The second table lists the rules enforced, each with its source.
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
//! | Get Product / By Slug include `variantsInfo` (§4.3, §9.1 vs §9.7) | yes, whatever `fields` says (F/T say null without `VARIANT_OPTION_CHOICE_NAMES`, V returns them without it); `optionChoiceNames` only with that field; Query and Search never |
//! | `MIN_PRICE_VARIANT` on Get By Slug (§9.1) | accepted and honoured (Wix's clients send it) |
//! | categories query filter (§9.1, §9.7) | none, `{}`, `visible` and `name $exists` all accepted (the three Wix clients disagree); other fields refused |
//! | `visible: false` categories | never returned to visitors, by query or by slug |
//! | free-text `mode` when absent | `OR` |
//! | free-text fields (§9.1, §9.6) | only `name`; `plainDescription` and others refused with a 400 |
//! | amounts in filters: strings or numbers (§9.6) | both accepted and compared as numbers |
//! | upper price bound on `minValue` (F) or `maxValue` (T) | both filterable |
//! | a refused add (§5b 3.2, §9.2) | 200; a sold-out variant gives a line with `confirmedQuantity` 0 and `OUT_OF_STOCK`; an unresolvable variant (no `variantId` for a product with options) gives no line |
//! | more requested than is left (§5b.4) | `confirmedQuantity` = what is left, status `PARTIALLY_IN_STOCK`; v1 shows the capped quantity as `AVAILABLE` |
//! | `availableQuantity` | sent for limited-stock variants (the catalog's `limitedStock`) and sold-out ones; absent when stock is not limited |
//! | stock | the catalog's `limitedStock` units per variant, not decremented by orders |
//! | media resizing (§9.1) | `/media/<file>/v1/fill/w_<W>,h_<H>,al_c,q_<Q>/<file>` and the bare file; any other form 403 |
//! | callback origins on return (§9.2) | https on the `allowedDomains` setting, or plain-http loopback; otherwise the hosted page answers 403 |
//! | sortable fields of Search Products (§4.2) | any product field path; Query keeps its documented narrow lists |
//! | default order of a query without sort (§4.2) | newest `createdDate` first; with free text, relevance first |
//! | fuzzy matching | edit distance 1 for terms of 4–6 letters, 2 from 7, against whole words or the typed prefix |
//! | `OWNED_CART_NOT_FOUND` text (§5.4) | message and description `"Cart not found"` |
//! | update/remove/estimate/create-checkout with no cart (§5.4) | 404 `OWNED_CART_NOT_FOUND` |
//! | unknown line id on update/remove (§5.4) | 400 `LINE_ITEM_NOT_FOUND_IN_CART` with `data.lineItemIds` (Cart V2's code) |
//! | unknown product on add | 428 `ITEM_NOT_FOUND_IN_CATALOG` with `data.invalidItems` (Cart V2's code) |
//! | quantity above stock (§5.2) | capped at what is left (limited stock) or 99 per line |
//! | request quantities | must be 1–100000, otherwise a 400 validation error |
//! | empty cart on create-checkout (§5.4) | 400 `CANT_CREATE_CHECKOUT_WITHOUT_LINE_ITEMS` |
//! | Cart V2 no-cart error (§5b 3.1) | 404 `CURRENT_CART_NOT_FOUND`, message `"Current cart not found"` |
//! | Cart V2 add without a resolvable variant (§5b 3.2) | 200 with nothing added, like v1 (Wix's REST client's reading) |
//! | Cart V2 estimate/calculate on a missing or empty cart | 404 `CURRENT_CART_NOT_FOUND` |
//! | Cart V2 delete without a cart | 404 `CURRENT_CART_NOT_FOUND` |
//! | statuses of Cart V2 application errors (§5b.5) | validation-like and coupon codes 400; `ITEM_NOT_FOUND_IN_CATALOG` 428 |
//! | `PATCH` of the cart | accepted; only v1's `couponCode` is modelled |
//! | coupons | demo codes `SAVE10` (10 % off) and `HALFOFF` (50 % off), applied per line; one per cart; `SUMMER2025` is expired and `BIGSPENDER` needs a $500 subtotal: both refused with `INVALID_COUPON_STATUS` and `data.reason` (`EXPIRED`, `MIN_SUBTOTAL_NOT_REACHED`) as §5b.5 lists, unknown codes with `INVALID_COUPON_CODE` |
//! | cart after the hosted checkout (§5.4, §5b.9) | the ordered cart stops being current (`orderPlaced: true`, `orderId`); the next add starts a new cart |
//! | redirect session for someone else's checkout | 404 `CHECKOUT_NOT_FOUND` |
//! | hosted pages | `/checkout`, `/login`, `/logout` at the emulator's origin, `?session=<redirect session id>`; not single-use, so a reload works |
//! | demo members | `ada@example.com` and `grace@example.com`, password `rustacean` |
//! | `authorization_code` errors | 400 `INVALID_GRANT` for an unknown, used or expired code, a wrong verifier, client id or redirect URI |
//! | a visitor's cart when they sign in (§3) | not merged: the member has a cart of their own (no Wix source merges or offers a merge call; "the token is the cart", §9.3). The storefront re-adds what the member's cart lacks, which is right whether or not Wix merges |
//! | `prompt` of the auth intent (§3, §9.3) | `auth.prompt` accepted (the SDK sends `login`; Wix's REST client sends none); `none` answers `login_required` at once, since the emulator keeps no Wix-domain session and no IAM login for a `sessionToken` |
//! | where an unlisted `redirectUri` is refused | when the redirect session is created (400 on `auth.authRequest.redirectUri`); exact match against `allowedRedirectUris`, or any plain-http loopback URI |
//! | the login page's cancel | back to the `redirectUri` with `error=access_denied`, `error_description` and the `state` (a web message without a `redirectUri`) |
//! | `web_message` answers | posted to `window.opener` or `window.parent` with target origin `*` (the code is useless without the verifier) |
//! | logout's token invalidation (§3) | every token of the identity that created the logout session stops working when the browser reaches the logout page |
//! | `members/my` for a visitor (§9.3) | 403 `MISSING_MEMBER_ID`, "Missing site member id"; `fieldsets=FULL` and `fieldSet=FULL` both give the FULL fieldset (names, login email), otherwise PUBLIC (id and profile) |
//! | a member's orders (§9.3b) | Search Orders with a member token returns that member's orders only, newest first, paid and not fulfilled, numbered from 10001; a visitor token gets 403 `MISSING_MEMBER_ID`; filters and sorts are not emulated (501) |
//! | a site that cannot take payments | settings `paymentsDisabled`: v1 create-checkout, and the `ecomCheckout` redirect session (the V2 path), answer 428 `SITE_MUST_ACCEPT_PAYMENTS_TO_CREATE_CHECKOUT` |
//!
//! ## Rules enforced (the wrong request is refused; each has a test in `tests/contract.rs`)
//!
//! | rule | source |
//! |---|---|
//! | Search: two operators in one field object → 400 | Wix's reference clients (F-ccore, T-ccore, §9.1) |
//! | Search: a filter field Search does not declare → 400 | §4.2 ("not declared as filterable") |
//! | Search / Query: an unknown operator → 400 | §4.2 |
//! | Search: free text without `fields`, or on a field that is not searchable → 400 | §4.2 (SDK: fields must be set), §9.1 |
//! | Query: fields outside its narrow filterable and sortable lists → 400 | §4.2 |
//! | any `fields` value outside the RequestedFields enum → 400 | §4.2 |
//! | `cursorPaging.limit` outside 1–100 → 400 | §4.2 |
//! | Cart V2: the flat v1 update form `{id, quantity}` → 400 | §5b 3.3, §9.2 |
//! | Cart V2: an unknown line id → 400 `LINE_ITEM_NOT_FOUND_IN_CART` | §5b 3.4 |
//! | categories: no `treeReference.appNamespace` → 400 | every Wix client sends it (§9.1, §9.7) |
//! | gating: `formattedAmount`/`currency` (CURRENCY), `priceAfterDiscount` (DISCOUNT_INFO), `variantSummary.minPriceVariant` (MIN_PRICE_VARIANT), `infoSections` (INFO_SECTION) and their descriptions (INFO_SECTION_PLAIN_DESCRIPTION), `optionChoiceNames` (VARIANT_OPTION_CHOICE_NAMES), `media.itemsInfo` (MEDIA_ITEMS_INFO), `breadcrumbsInfo` (BREADCRUMBS_INFO) | §4.2, §9.1 |
//! | a hand-built media URL other than the fill form → 403 | §9.1 ("any other hand-built form 403s") |
//! | a hosted page returning to an unlisted or http origin → 403 | §9.2 |
//! | an auth redirect session without `clientId` or `codeChallenge`, with another challenge method than S256, or without `redirectUri` outside `web_message` → 400 | §3, §9.3 (Wix's schema; the SDK always sends them) |
//! | a sign-in returning to a redirect URI that is not allow-listed → 400 | §3 ("exact match") |
//! | a logout session without `logout.clientId` → 400 | §3 (Wix's schema: required) |
