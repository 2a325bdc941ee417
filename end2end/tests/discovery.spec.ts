import { test, expect, ready } from "./helpers";

// The lowest price each card shows. Wix filters and sorts on prices before automatic
// discounts, so cards with an automatic discount (showing the price after it) are left out.
const prices = async (page: import("@playwright/test").Page) =>
  (
    await page
      .getByTestId("results")
      .getByRole("article")
      .evaluateAll((cards) =>
        cards
          .filter((card) => !card.querySelector(".discount-badge.automatic"))
          .map((card) => card.querySelector(".price .amount")?.textContent ?? ""),
      )
  ).map((text) => parseFloat(text.replace(/,/g, "").match(/\d+(\.\d+)?/)?.[0] ?? "NaN"));

test("home shows categories, featured and new products", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  const categories = page.getByRole("navigation", { name: "Categories" }).getByRole("link");
  await expect(categories).toHaveCount(7);
  await expect(page.getByRole("heading", { name: "New arrivals" })).toBeVisible();
  await expect(page.getByTestId("results").first().getByRole("article")).toHaveCount(8);
});

test("a category page lists only its products", async ({ page, javaScriptEnabled }) => {
  await page.goto("/");
  await ready(page, javaScriptEnabled);
  await page.getByRole("navigation", { name: "Categories" }).getByRole("link", { name: "Kitchen" }).click();
  await expect(page).toHaveURL(/\/category\/kitchen$/);
  await expect(page.getByRole("heading", { name: "Kitchen" })).toBeVisible();
  const names = await page.getByTestId("results").getByRole("heading").allTextContents();
  expect(names.length).toBeGreaterThan(5);
  for (const name of names) expect(name).toMatch(/Mug|Teapot|Bowl|Plate Set|Carafe/);
});

test("an unknown category is a 404 page", async ({ page }) => {
  const response = await page.goto("/category/no-such-category");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "We could not find that page" })).toBeVisible();
});

test("price filters and sort are applied by the server", async ({ page }) => {
  await page.goto("/search?min=50&max=80&sort=price-asc");
  const values = await prices(page);
  expect(values.length).toBeGreaterThan(0);
  for (const value of values) expect(value).toBeGreaterThanOrEqual(50);
  expect([...values].sort((a, b) => a - b)).toEqual(values);
  await page.goto("/search?sort=price-desc");
  const descending = await prices(page);
  expect([...descending].sort((a, b) => b - a)).toEqual(descending);
});

test("the filter form narrows by category and stock", async ({ page, javaScriptEnabled }) => {
  await page.goto("/search?q=mug");
  await ready(page, javaScriptEnabled);
  await page.getByLabel("Category").selectOption("outdoor");
  await page.getByLabel("In stock only").check();
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/category=outdoor/);
  await expect(page).toHaveURL(/in_stock=1/);
  await expect(page).toHaveURL(/q=mug/);
  const names = await page.getByTestId("results").getByRole("heading").allTextContents();
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) expect(name).toContain("Camp Mug");
});

test("nonsense parameters are ignored, never a server error", async ({ page }) => {
  const response = await page.goto("/search?min=-5&max=abc&sort=cheapest&category=%3Cscript%3E&cursor=garbage");
  expect(response?.status()).toBeLessThan(500);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test("no results suggest removing filters and browsing categories", async ({ page }) => {
  await page.goto("/search?q=zzqqxx&in_stock=1");
  const empty = page.getByTestId("empty-state");
  await expect(empty.getByRole("link", { name: "Remove the filters" })).toHaveAttribute("href", "/search?q=zzqqxx");
  await expect(empty.getByRole("link", { name: "Kitchen" })).toBeVisible();
});

test("robots.txt keeps search and cart out; the sitemap lists every product", async ({ request }) => {
  const robots = await (await request.get("/robots.txt")).text();
  for (const rule of ["Disallow: /search", "Disallow: /cart", "Disallow: /*?"]) expect(robots).toContain(rule);
  expect(robots).toMatch(/Sitemap: http:\/\/127\.0\.0\.1:3100\/sitemap\.xml/);
  const index = await (await request.get("/sitemap.xml")).text();
  expect(index).toContain("/sitemap-products.xml");
  const products = await (await request.get("/sitemap-products.xml")).text();
  expect((products.match(/\/product\//g) ?? []).length).toBeGreaterThanOrEqual(120);
  const pages = await (await request.get("/sitemap-pages.xml")).text();
  expect(pages).toContain("/category/kitchen");
});

test("pages name their canonical URL and describe themselves", async ({ page }) => {
  await page.goto("/category/kitchen?sort=price-asc&min=10");
  // Absolute, as search engines require.
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", "http://127.0.0.1:3100/category/kitchen");
  await expect(page.locator('meta[property="og:url"]')).toHaveAttribute("content", "http://127.0.0.1:3100/category/kitchen");
  await expect(page.locator('meta[name="description"]')).toHaveAttribute("content", /Kitchen/);
  // The category's own page is indexed (the sitemap lists it); its sorted and filtered copies
  // and searches are not, though their links are followed.
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", "noindex, follow");
  await page.goto("/search?q=mug");
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", "noindex, follow");
  await page.goto("/category/kitchen");
  await expect(page.locator('meta[name="robots"]')).toHaveCount(0);
  await page.goto("/category/kitchen?utm_source=newsletter");
  await expect(page.locator('meta[name="robots"]')).toHaveCount(0);
  await page.goto("/product/willow-hoodie?Color=Sky");
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", "http://127.0.0.1:3100/product/willow-hoodie");
  const ld = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!);
  expect(ld[0]["@type"]).toBe("Product");
  expect(ld[0].offers.length).toBeGreaterThan(1);
  expect(ld[1]["@type"]).toBe("BreadcrumbList");
});

test("a sale shows the struck price and the saving, on the card and the product page", async ({ page }) => {
  // The demo Granite Vase sells at $24.00 against a compare-at price of $30.00.
  await page.goto("/search?q=granite+vase");
  const card = page.getByRole("article").filter({ hasText: "Granite Vase" });
  await expect(card.locator(".compare-at")).toHaveText("$30.00");
  await expect(card.locator(".discount-badge")).toHaveText("20% off");
  await page.goto("/product/granite-vase");
  const price = page.getByTestId("price");
  await expect(price.locator(".amount")).toHaveText("$24.00");
  await expect(price.locator(".compare-at")).toHaveText("$30.00");
  await expect(price.locator(".discount-badge")).toHaveText("20% off");
});
