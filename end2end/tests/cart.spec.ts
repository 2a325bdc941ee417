import { test, expect, PRODUCT_WITH_OPTIONS, PRODUCT_WITHOUT_OPTIONS, addToCart, ready } from "./helpers";

test("add to cart, then a reload keeps the count", async ({ page, javaScriptEnabled }) => {
  await page.goto("/search");
  await expect(page.getByTestId("cart-count")).toHaveText("0");
  await addToCart(page, PRODUCT_WITH_OPTIONS, javaScriptEnabled, "2");
  await expect(page.getByTestId("cart-count")).toHaveText("2");
  await addToCart(page, PRODUCT_WITHOUT_OPTIONS, javaScriptEnabled);
  await expect(page.getByTestId("cart-count")).toHaveText("3");
  await page.reload();
  await ready(page, javaScriptEnabled);
  await expect(page.getByTestId("cart-count")).toHaveText("3");
  await page.goto("/search?q=vase");
  await expect(page.getByTestId("cart-count")).toHaveText("3");
});

test("the session cookie is HttpOnly and Lax, and browsing alone sets none", async ({ page, context, javaScriptEnabled }) => {
  await page.goto("/search?q=tee");
  await page.goto(`/product/${PRODUCT_WITH_OPTIONS}`);
  expect((await context.cookies()).filter((c) => c.name === "wix_session")).toEqual([]);
  await addToCart(page, PRODUCT_WITH_OPTIONS, javaScriptEnabled);
  const session = (await context.cookies()).find((c) => c.name === "wix_session");
  expect(session).toBeDefined();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe("Lax");
  expect(session!.path).toBe("/");
  // Encrypted: no token is readable in it.
  expect(session!.value).not.toContain("OauthNG");
  if (javaScriptEnabled) {
    expect(await page.evaluate(() => document.cookie)).not.toContain("wix_session");
  }
});

test("an absurd quantity is refused with a message", async ({ page, javaScriptEnabled }) => {
  await page.goto(`/product/${PRODUCT_WITHOUT_OPTIONS}`);
  await ready(page, javaScriptEnabled);
  // Bypass the browser's own min/max check to reach the server's.
  await page.getByLabel("Quantity").evaluate((input) => input.removeAttribute("max"));
  await page.getByLabel("Quantity").fill("100000000000");
  await page.getByRole("button", { name: "Add to cart", exact: true }).click();
  await expect(page.getByTestId("cart-notice")).toContainText("between 1 and 99");
  await expect(page.getByTestId("cart-count")).toHaveText("0");
});

test("a tampered session cookie starts a fresh session, never an error", async ({ page, context, javaScriptEnabled }) => {
  await context.addCookies([{ name: "wix_session", value: "garbage%%%", url: "http://127.0.0.1:3100" }]);
  const response = await page.goto("/search");
  expect(response?.status()).toBe(200);
  await expect(page.getByTestId("cart-count")).toHaveText("0");
  await addToCart(page, PRODUCT_WITHOUT_OPTIONS, javaScriptEnabled);
  await expect(page.getByTestId("cart-count")).toHaveText("1");
});

test("a product without options is added right from its card", async ({ page, javaScriptEnabled }) => {
  await page.goto("/search?q=notebook");
  await ready(page, javaScriptEnabled);
  await page.getByRole("button", { name: "Add to cart Canyon Notebook" }).click();
  await expect(page.getByTestId("cart-notice")).toContainText("Added to your cart");
  await expect(page.getByTestId("cart-count")).toHaveText("1");
  await expect(page).toHaveURL(/\/search\?q=notebook/);
  // Products with options send the shopper to their page to choose.
  await page.goto("/search?q=tee");
  await expect(page.getByRole("button", { name: /Add to cart .* Tee/ })).toHaveCount(0);
});
