import { test, expect, addToCart, ready, PRODUCT_WITHOUT_OPTIONS } from "./helpers";

test("quantity steps show at once and reach Wix as one debounced update", async ({ page }) => {
  await addToCart(page, PRODUCT_WITHOUT_OPTIONS, true);
  await page.goto("/cart");
  await ready(page, true);
  const updates: string[] = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && request.url().includes("/api/update_quantity")) updates.push(request.url());
  });
  const more = page.getByRole("button", { name: "One more Canyon Notebook" });
  await more.click();
  await more.click();
  await more.click();
  // Optimistic: shown before Wix has answered.
  await expect(page.getByLabel("Quantity of Canyon Notebook")).toHaveValue("4");
  // Reconciled with the cart Wix returns, after a single update.
  await expect(page.getByTestId("cart-count")).toHaveText("4");
  await expect(page.getByTestId("cart-notice")).toContainText("Quantity updated");
  expect(updates).toHaveLength(1);
  await page.reload();
  await expect(page.getByLabel("Quantity of Canyon Notebook")).toHaveValue("4");
});
