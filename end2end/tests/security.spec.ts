import { test, expect } from "./helpers";

test("pages carry a nonce-based CSP and hardening headers", async ({ page, request }) => {
  const response = await page.goto("/search");
  const headers = response!.headers();
  const csp = headers["content-security-policy"];
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=_-]+' 'wasm-unsafe-eval'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toContain("unsafe-inline");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  const nonce = csp.match(/'nonce-([^']+)'/)![1];
  // Every inline script of the page carries this response's nonce.
  const html = await response!.text();
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]);
  expect(inline.length).toBeGreaterThan(0);
  for (const attributes of inline) {
    expect(attributes).toContain(`nonce="${nonce}"`);
  }
  // A fresh nonce per response.
  const again = await request.get("/search");
  expect(again.headers()["content-security-policy"]).not.toContain(nonce);
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
