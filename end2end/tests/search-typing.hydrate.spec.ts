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

test("clearing the box brings back the server's first results, as they were", async ({ page }) => {
  await page.goto("/search");
  await ready(page, true);
  const count = page.getByTestId("result-count").filter({ visible: true });
  const first = await count.textContent();
  const box = page.getByLabel("Search products");
  await box.pressSequentially("lamp", { delay: 40 });
  await expect(page).toHaveURL(/\/search\?q=lamp$/);
  await expect(count).toContainText("lamp");
  await box.fill("");
  await expect(page).toHaveURL(/\/search$/);
  await expect(count).toHaveText(first!);
  const names = page.getByTestId("results").filter({ visible: true }).getByRole("heading");
  await expect(names).toHaveCount(24);
  await expect(names.first()).not.toContainText("Lamp");
});
