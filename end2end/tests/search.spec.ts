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

test("option filters narrow results to products offering that choice", async ({ page, javaScriptEnabled }) => {
  await page.goto("/search");
  await ready(page, javaScriptEnabled);
  const count = page.getByTestId("result-count");
  const before = await count.textContent();
  await page.getByLabel("Color").selectOption("Black");
  await page.getByLabel("Size").selectOption("XL");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/Color=Black/);
  await expect(page).toHaveURL(/Size=XL/);
  await expect(count).not.toHaveText(before!);
  await expect(page.getByRole("list", { name: "Active filters" })).toContainText("Color: Black");
  const cards = page.getByTestId("results").getByRole("article");
  await expect(cards.first()).toBeVisible();
  const total = Number((await count.textContent())!.match(/^(\d+)/)![1]);
  expect(await cards.count()).toBe(total);
  // The first result really offers Black in XL.
  await cards.first().getByRole("link").first().click();
  await expect(page.getByRole("group", { name: "Color" }).getByRole("button", { name: "Black", exact: true })).toBeVisible();
  await expect(page.getByRole("group", { name: "Size" }).getByRole("button", { name: "XL", exact: true })).toBeVisible();
  // Removing a filter keeps the other.
  await page.goBack();
  await ready(page, javaScriptEnabled);
  await page.getByRole("link", { name: /Color: Black/ }).click();
  await expect(page).not.toHaveURL(/Color=/);
  await expect(page).toHaveURL(/Size=XL/);
});

test("the result count states the total, not just this page", async ({ page }) => {
  await page.goto("/search");
  await expect(page.getByTestId("result-count")).toHaveText(/^\d{3} products, showing 24$/);
  await page.goto("/search?q=notebok");
  await expect(page.getByTestId("result-count")).toHaveText(/^\d+ products? for “notebok”$/);
});

test("unknown options and choices are ignored", async ({ page }) => {
  const response = await page.goto("/search?Color=Plaid&Flavour=Mint");
  expect(response?.status()).toBe(200);
  await expect(page.getByTestId("results").getByRole("article")).toHaveCount(24);
  await expect(page.getByRole("list", { name: "Active filters" })).toHaveCount(0);
});
