import AxeBuilder from "@axe-core/playwright";
import { test, expect, ready, addToCart, PRODUCT_WITHOUT_OPTIONS } from "./helpers";

test("adding opens the cart drawer: a modal dialog that traps focus, closes on Escape and gives focus back", async ({ page }) => {
  await page.goto(`/product/${PRODUCT_WITHOUT_OPTIONS}`);
  await ready(page, true);
  const add = page.getByRole("button", { name: "Add to cart", exact: true });
  await add.focus();
  await add.press("Enter");
  const drawer = page.getByRole("dialog", { name: "Your cart" });
  await expect(drawer).toBeVisible();
  await expect(drawer).toContainText("Canyon Notebook");
  await expect(drawer.getByRole("link", { name: "View cart" })).toHaveAttribute("href", "/cart");
  // Focus moves inside.
  expect(await drawer.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  // Focus stays among the drawer's controls; the page behind is inert.
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press("Tab");
    expect(await drawer.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  const axe = await new AxeBuilder({ page }).include(".cart-drawer").analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();
  await expect(add).toBeFocused();
});

test("the drawer edits the cart like the cart page, and the badge opens it", async ({ page }) => {
  await page.goto(`/product/${PRODUCT_WITHOUT_OPTIONS}`);
  await ready(page, true);
  await page.getByRole("button", { name: "Add to cart", exact: true }).click();
  const drawer = page.getByRole("dialog", { name: "Your cart" });
  await expect(drawer.getByTestId("cart-line")).toHaveCount(1);
  await drawer.getByRole("button", { name: "One more Canyon Notebook" }).click();
  await expect(drawer.getByLabel("Quantity of Canyon Notebook")).toHaveValue("2");
  // The change reaches Wix: the badge follows once the cart is read again.
  await expect(page.getByTestId("cart-count")).toHaveText("2");
  await expect(drawer.getByTestId("drawer-notice")).toContainText("Quantity updated");
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();

  await page.getByTestId("cart-count").click();
  await expect(drawer).toBeVisible();
  // The drawer says only what happens while it is open.
  await expect(drawer.getByTestId("drawer-notice")).toHaveText("");
  await expect(page).toHaveURL(new RegExp(`/product/${PRODUCT_WITHOUT_OPTIONS}$`));
  await drawer.getByRole("button", { name: "Remove Canyon Notebook" }).click();
  await expect(drawer).toContainText("Your cart is empty");
  await expect(page.getByTestId("cart-count")).toHaveText("0");
});

test("the drawer takes a coupon, says what Wix answered, and shows the discount", async ({ page }) => {
  await page.goto(`/product/${PRODUCT_WITHOUT_OPTIONS}`);
  await ready(page, true);
  await page.getByRole("button", { name: "Add to cart", exact: true }).click();
  const drawer = page.getByRole("dialog", { name: "Your cart" });
  await expect(drawer.getByTestId("cart-line")).toHaveCount(1);
  const total = await drawer.getByTestId("total").textContent();

  await drawer.getByLabel("Coupon code").fill("SUMMER2025");
  await drawer.getByRole("button", { name: "Apply" }).click();
  await expect(drawer.getByTestId("drawer-notice")).toContainText("expired");
  await drawer.getByLabel("Coupon code").fill("SAVE10");
  await drawer.getByRole("button", { name: "Apply" }).click();
  await expect(drawer.getByTestId("drawer-notice")).toContainText("Coupon applied");
  await expect(drawer.getByTestId("coupon")).toContainText("SAVE10");
  await expect(drawer.getByTestId("totals")).toContainText("−");
  await expect(drawer.getByTestId("total")).not.toHaveText(total!);

  // The cart page shows what the drawer did: Wix holds the coupon.
  await drawer.getByRole("link", { name: "View cart" }).click();
  await expect(page.getByRole("main").getByTestId("coupon")).toContainText("SAVE10");
});

test("the newest cart change speaks, whichever kind it was", async ({ page }) => {
  await addToCart(page, PRODUCT_WITHOUT_OPTIONS, true);
  await page.goto("/cart");
  await ready(page, true);
  const notice = page.getByRole("main").getByTestId("cart-notice");
  await page.getByLabel("Coupon code").fill("NOPE");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(notice).toContainText("does not exist");
  // A quantity change after the coupon: its outcome is the one shown, not the older refusal.
  await page.getByRole("button", { name: "One more Canyon Notebook" }).click();
  await expect(notice).toContainText("Quantity updated");
  await page.getByLabel("Coupon code").fill("NOPE");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(notice).toContainText("does not exist");
});

test("on the cart page the badge is only a link: no drawer repeats the page", async ({ page }) => {
  await addToCart(page, PRODUCT_WITHOUT_OPTIONS, true);
  await page.goto("/cart");
  await ready(page, true);
  await page.getByTestId("cart-count").click();
  await expect(page).toHaveURL(/\/cart$/);
  await ready(page, true);
  await expect(page.getByRole("dialog", { name: "Your cart" })).toBeHidden();
  await expect(page.getByTestId("cart-line")).toHaveCount(1);
});
