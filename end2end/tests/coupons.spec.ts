import { test, expect, PRODUCT_WITHOUT_OPTIONS, addToCart, ready } from "./helpers";

test("coupons: each refusal explains itself, a good code discounts the total, and comes off", async ({ page, javaScriptEnabled }) => {
  await addToCart(page, PRODUCT_WITHOUT_OPTIONS, javaScriptEnabled, "2");
  await page.goto("/cart");
  await ready(page, javaScriptEnabled);
  const totals = page.getByTestId("totals");
  const total = await page.getByTestId("total").textContent();
  const notice = page.getByTestId("cart-notice");
  const apply = async (code: string) => {
    await page.getByLabel("Coupon code").fill(code);
    await page.getByRole("button", { name: "Apply" }).click();
  };

  await apply("NOPE");
  await expect(notice).toContainText("does not exist");
  await apply("SUMMER2025");
  await expect(notice).toContainText("expired");
  await apply("BIGSPENDER");
  await expect(notice).toContainText("does not apply");
  await expect(page.getByTestId("total")).toHaveText(total!);

  await apply("save10");
  await expect(notice).toContainText("Coupon applied");
  await expect(page.getByTestId("coupon")).toContainText("SAVE10");
  await expect(totals).toContainText("−");
  await expect(page.getByTestId("total")).not.toHaveText(total!);
  // The discount stays through a reload: Wix holds it.
  await page.reload();
  await ready(page, javaScriptEnabled);
  await expect(page.getByTestId("coupon")).toContainText("SAVE10");

  await page.getByRole("button", { name: "Remove coupon SAVE10" }).click();
  await expect(notice).toContainText("Coupon removed");
  await expect(page.getByTestId("total")).toHaveText(total!);
  await expect(page.getByLabel("Coupon code")).toBeVisible();
});

test("an empty coupon form asks for a code", async ({ page, javaScriptEnabled }) => {
  await addToCart(page, PRODUCT_WITHOUT_OPTIONS, javaScriptEnabled);
  await page.goto("/cart");
  await ready(page, javaScriptEnabled);
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("cart-notice")).toContainText("Enter a coupon code");
});
