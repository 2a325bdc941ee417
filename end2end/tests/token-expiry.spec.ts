import { test, expect, PRODUCT_WITHOUT_OPTIONS, addToCart, ready, resetEmulator, setEmulator } from "./helpers";

test.afterEach(async ({ request }) => {
  await resetEmulator(request);
});

test("the cart survives the access token's expiry", async ({ page, context, request, javaScriptEnabled }) => {
  // Tokens minted from now on live 3 seconds (the store renews 1 s early).
  await setEmulator(request, { accessTokenTtlSecs: 3 });
  await addToCart(page, PRODUCT_WITHOUT_OPTIONS, javaScriptEnabled, "2");
  await expect(page.getByTestId("cart-count")).toHaveText("2");
  const before = (await context.cookies()).find((c) => c.name === "wix_session")!.value;

  await page.waitForTimeout(4_000);
  await page.reload();
  await ready(page, javaScriptEnabled);
  await expect(page.getByTestId("cart-count")).toHaveText("2");
  const after = (await context.cookies()).find((c) => c.name === "wix_session")!.value;
  expect(after, "the renewed tokens were written on that response").not.toBe(before);

  // And the renewed session can still change the cart.
  await page.waitForTimeout(4_000);
  await addToCart(page, PRODUCT_WITHOUT_OPTIONS, javaScriptEnabled);
  await expect(page.getByTestId("cart-count")).toHaveText("3");
});
