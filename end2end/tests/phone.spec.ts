// Phone layout checks, run by the phone projects only (a 360 px wide touch screen).
import { test, expect, ready, addToCart, PRODUCT_WITH_OPTIONS } from "./helpers";

/** Visible controls smaller than a 44 px tap target, by their text or label. */
async function smallTargets(page: import("@playwright/test").Page, scope: string) {
  return page.locator(scope).locator("a, button, input:not([type=hidden]), select, label[for=show-filters]").evaluateAll((nodes) =>
    nodes
      .filter((n) => {
        const box = n.getBoundingClientRect();
        const style = getComputedStyle(n);
        return box.width > 1 && box.height > 1 && style.visibility !== "hidden";
      })
      .filter((n) => {
        // Inline links inside running text are exempt (WCAG 2.5.8's inline exception).
        if (n.tagName === "A" && n.closest("p") && !n.closest(".pager")) return false;
        return n.getBoundingClientRect().height < 44;
      })
      .map((n) => `${n.tagName.toLowerCase()} "${(n.textContent || n.getAttribute("aria-label") || "").trim()}"`),
  );
}

test("nothing is wider than the screen, and every control is a 44 px tap target @phone-only", async ({ page, javaScriptEnabled }) => {
  for (const path of ["/", "/search?q=tee", "/category/kitchen", `/product/${PRODUCT_WITH_OPTIONS}`]) {
    await page.goto(path);
    await ready(page, javaScriptEnabled);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    expect(await smallTargets(page, "body"), path).toEqual([]);
  }
  await addToCart(page, PRODUCT_WITH_OPTIONS, javaScriptEnabled);
  await page.goto("/cart");
  await ready(page, javaScriptEnabled);
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  expect(await smallTargets(page, "main"), "/cart").toEqual([]);
});

test("the filters fold away on a phone and open with a tap @phone-only", async ({ page, javaScriptEnabled }) => {
  await page.goto("/search?q=tee");
  await ready(page, javaScriptEnabled);
  const filters = page.getByRole("group", { name: "Filter and sort" });
  await expect(filters).toBeHidden();
  await page.getByText("Filter and sort", { exact: true }).first().click();
  await expect(filters).toBeVisible();
  await filters.getByLabel("In stock only").check();
  if (!javaScriptEnabled) {
    await filters.getByRole("button", { name: "Apply" }).click();
  }
  await expect(page).toHaveURL(/in_stock=1/);
});
