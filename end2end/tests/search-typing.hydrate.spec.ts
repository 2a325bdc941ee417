import { test, expect, ready } from "./helpers";

test("typing updates results and the URL without a reload", async ({ page }) => {
  await page.goto("/search");
  await ready(page, true);
  // A marker that a full page load would wipe out.
  await page.evaluate(() => ((window as any).__noReload = true));
  await page.getByLabel("Search products").pressSequentially("lamp", { delay: 40 });
  await expect(page).toHaveURL(/\/search\?q=lamp$/);
  const names = page.getByTestId("results").getByRole("heading");
  await expect(names.first()).toContainText("Lamp");
  // Exact matches rank before typo-tolerant ones ("Camp" is one letter from "lamp").
  const all = await names.allTextContents();
  const firstOther = all.findIndex((n) => !n.includes("Lamp"));
  const lastLamp = all.map((n) => n.includes("Lamp")).lastIndexOf(true);
  expect(firstOther === -1 || lastLamp < firstOther).toBe(true);
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
  await expect(page.getByLabel("Search products")).toBeFocused();
});
