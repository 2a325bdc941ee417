// axe runs inside the page, so this spec needs JavaScript; the markup it checks is the same
// server-rendered HTML that the no-JS project gets.
import AxeBuilder from "@axe-core/playwright";
import { test, expect, ready, addToCart, PRODUCT_WITH_OPTIONS } from "./helpers";

const pages = [
  ["home", "/"],
  ["search with results", "/search?q=tee"],
  ["search without results", "/search?q=zzqqxx&in_stock=1"],
  ["search with option filters", "/search?Color=Black&Size=XL&sort=price-asc"],
  ["category", "/category/kitchen"],
  ["product", `/product/${PRODUCT_WITH_OPTIONS}`],
  ["empty cart", "/cart"],
  ["thank you", "/thank-you?orderId=0c8e0c1e-4f3e-4b8a-9f00-1d2c3b4a5e6f"],
  ["not found", "/product/no-such-thing"],
];

// Every page in both colour schemes (the CSS follows `prefers-color-scheme`), so colour
// contrast is checked in each.
for (const scheme of ["light", "dark"] as const) {
  test.describe(`${scheme} scheme`, () => {
    test.use({ colorScheme: scheme });

    for (const [name, path] of pages) {
      test(`axe finds no violations: ${name}`, async ({ page, javaScriptEnabled }) => {
        await page.goto(path);
        await ready(page, javaScriptEnabled);
        const results = await new AxeBuilder({ page }).analyze();
        expect(results.passes.length, "axe checked the page").toBeGreaterThan(10);
        expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
      });
    }

    test("axe finds no violations: cart with items, a coupon and the open drawer", async ({ page, javaScriptEnabled }) => {
      await addToCart(page, PRODUCT_WITH_OPTIONS, javaScriptEnabled);
      await page.goto("/cart");
      await ready(page, javaScriptEnabled);
      await page.getByLabel("Coupon code").fill("SAVE10");
      await page.getByRole("button", { name: "Apply" }).click();
      await expect(page.getByTestId("coupon")).toContainText("SAVE10");
      let results = await new AxeBuilder({ page }).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
      // The badge opens the drawer on any page but the cart's own; with the coupon applied.
      await page.goto(`/product/${PRODUCT_WITH_OPTIONS}`);
      await ready(page, javaScriptEnabled);
      await page.getByTestId("cart-count").click();
      await expect(page.getByRole("dialog", { name: "Your cart" })).toBeVisible();
      await expect(page.getByRole("dialog", { name: "Your cart" }).getByTestId("coupon")).toContainText("SAVE10");
      results = await new AxeBuilder({ page }).include(".cart-drawer").analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
    });

    test("the page follows the scheme", async ({ page }) => {
      await page.goto("/");
      const background = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      // Light paper is near white; dark paper near black.
      const [r] = background.match(/\d+/g)!.map(Number);
      expect(scheme === "dark" ? r < 60 : r > 200, background).toBe(true);
    });
  });
}
