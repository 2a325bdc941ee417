import { test, expect, ready } from "./helpers";

test("search results are rendered on the server", async ({ page, javaScriptEnabled }) => {
  const response = await page.goto("/search?q=hoodie");
  expect(response?.status()).toBe(200);
  // The HTML as sent, before any script runs, already holds the results.
  const html = await response!.text();
  expect(html).toContain("Hoodie");
  await ready(page, javaScriptEnabled);
  const cards = page.getByTestId("results").getByRole("article");
  await expect(cards.first()).toBeVisible();
  for (const name of await cards.getByRole("heading").allTextContents()) {
    expect(name).toContain("Hoodie");
  }
  await expect(page.getByTestId("result-count")).toContainText("for “hoodie”");
  await expect(cards.first().getByRole("img")).toBeVisible();
  await expect(cards.first().locator(".price")).toContainText("$");
});

test("a misspelt query still finds the product", async ({ page }) => {
  await page.goto("/search?q=notebok");
  await expect(page.getByTestId("results").getByRole("heading").first()).toContainText("Notebook");
});

test("pages through the catalog with crawlable links", async ({ page, javaScriptEnabled }) => {
  await page.goto("/search");
  await ready(page, javaScriptEnabled);
  const names = page.getByTestId("results").getByRole("heading");
  await expect(names).toHaveCount(24);
  const first = await names.allTextContents();
  await page.getByRole("link", { name: "Next →" }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(names.first()).not.toHaveText(first[0]);
  const second = await names.allTextContents();
  expect(second.filter((n) => first.includes(n))).toEqual([]);
});

test("a search form works without a script", async ({ page, javaScriptEnabled }) => {
  await page.goto("/search");
  await ready(page, javaScriptEnabled);
  await page.getByLabel("Search products").fill("mug");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/q=mug/);
  await expect(page.getByTestId("results").getByRole("heading").first()).toContainText("Mug");
});

test("unknown products get a real 404 page with search", async ({ page }) => {
  const response = await page.goto("/product/no-such-thing");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "We could not find that page" })).toBeVisible();
  await expect(page.getByRole("search")).toBeVisible();
});

test("absurdly long queries are clamped, not a server error", async ({ page }) => {
  const response = await page.goto(`/search?q=${"x".repeat(10_000)}`);
  expect(response?.status()).toBe(200);
  await expect(page.getByTestId("result-count")).toContainText("No products match");
});
