import { createHash } from "node:crypto";
import { test, expect, addToCart, PRODUCT_WITHOUT_OPTIONS } from "./helpers";

/** The attributes and text of each inline script a browser would run (not files, not JSON-LD). */
function inlineScripts(html: string) {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>([\s\S]*?)<\/script>/g)]
    .map((m) => ({ attributes: m[1], text: m[2] }))
    .filter(({ attributes }) => !attributes.includes("application/ld+json"));
}

test("a catalog page for anyone is sent for shared caches, with its scripts' digests", async ({ page, request }) => {
  const response = await page.goto("/search");
  const headers = response!.headers();
  const csp = headers["content-security-policy"];
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).not.toContain("'nonce-");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["cache-control"]).toMatch(/^public, max-age=0, s-maxage=\d+, stale-while-revalidate=\d+$/);
  expect(headers["set-cookie"]).toBeUndefined();
  // Every inline script is allowed by its digest; no nonce is left in the page.
  const html = await response!.text();
  const scripts = inlineScripts(html);
  expect(scripts.length).toBeGreaterThan(0);
  for (const { text } of scripts) {
    const digest = createHash("sha256").update(text).digest("base64");
    expect(csp).toContain(`'sha256-${digest}'`);
  }
  expect(html).not.toContain("nonce=");
  // The same page for the next visitor, byte for byte, so a CDN may keep it.
  const again = await request.get("/search");
  expect(again.headers()["content-security-policy"]).toBe(csp);
});

test("a page rendered for one visitor carries a fresh nonce and is private", async ({ page, javaScriptEnabled }) => {
  await addToCart(page, PRODUCT_WITHOUT_OPTIONS, javaScriptEnabled);
  // The cart page is rendered for each request.
  const response = await page.goto("/cart");
  const headers = response!.headers();
  expect(headers["cache-control"]).toBe("private, no-cache");
  const csp = headers["content-security-policy"];
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=_-]+' 'wasm-unsafe-eval'/);
  const nonce = csp.match(/'nonce-([^']+)'/)![1];
  const scripts = inlineScripts(await response!.text());
  expect(scripts.length).toBeGreaterThan(0);
  for (const { attributes } of scripts) {
    expect(attributes).toContain(`nonce="${nonce}"`);
  }
  const again = await page.goto("/cart");
  expect(again!.headers()["content-security-policy"]).not.toContain(nonce);
});

test("a returning visitor's catalog page is the kept page with their badge, sent private", async ({ page, request, javaScriptEnabled }) => {
  // The page kept for everyone (a request without the visitor's cookie).
  const anyone = await request.get("/search?q=canyon");
  expect(anyone.headers()["cache-control"]).toMatch(/^public/);
  await addToCart(page, PRODUCT_WITHOUT_OPTIONS, javaScriptEnabled);
  const response = await page.goto("/search?q=canyon");
  const headers = response!.headers();
  expect(headers["x-page-cache"]).toBe("personal");
  expect(headers["cache-control"]).toBe("private, no-cache");
  expect(headers["set-cookie"]).toBeUndefined();
  // The kept page's own scripts, allowed by their digests, and their count in the badge.
  const csp = headers["content-security-policy"];
  const html = await response!.text();
  for (const { text } of inlineScripts(html)) {
    const digest = createHash("sha256").update(text).digest("base64");
    expect(csp).toContain(`'sha256-${digest}'`);
  }
  expect(html).toContain('aria-label="1 item in cart"');
  // Hydrated, the badge goes on from the spliced count.
  await expect(page.getByTestId("cart-count")).toHaveText("1");
  // What anyone else gets is still the page without a cart.
  const next = await request.get("/search?q=canyon");
  expect(await next.text()).toContain('aria-label="0 items in cart"');
});

test("a form posted from an opaque origin is refused before it can touch a cart", async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, "the forged page submits itself with a script");
  await page.goto("/product/canyon-notebook");
  const action = await page.locator('form[action*="add_to_cart"]').first().getAttribute("action");
  const target = new URL(action!, page.url()).toString();
  // A data: page has an opaque origin: browsers send `Origin: null` for its forms.
  const forged = `<form id="f" method="post" action="${target}">
    <input name="product_id" value="x"><input name="variant_id" value="">
    <input name="quantity" value="1"><input name="return_to" value="/">
  </form><script>document.getElementById("f").submit()</script>`;
  const refused = page.waitForResponse((response) => response.url() === target);
  await page.goto(`data:text/html,${encodeURIComponent(forged)}`);
  expect((await refused).status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Request refused" })).toBeVisible();
});
