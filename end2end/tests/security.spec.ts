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
