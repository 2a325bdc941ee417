// Screenshot comparisons: a CSS change that breaks a page's layout fails here. Baselines live
// in visual.hydrate.spec.ts-snapshots/ (one per page, scheme and project); after an intended
// change, `npx playwright test visual --update-snapshots` and review the new images.
import { test, expect, ready, addToCart, closeDrawer, PRODUCT_WITH_OPTIONS, type Page } from "./helpers";

const pages: [string, string][] = [
  ["home", "/"],
  ["search", "/search?q=tee"],
  ["product", `/product/${PRODUCT_WITH_OPTIONS}`],
];

async function settle(page: Page) {
  await page.waitForLoadState("networkidle");
  // The images in view: lazy ones out of view (below the fold, or beside the gallery's
  // image in its scrolling row) never load, so they are not waited for.
  await page.evaluate(async () => {
    const inView = (image: HTMLImageElement) =>
      new Promise<boolean>((resolve) => {
        const observer = new IntersectionObserver(([entry]) => {
          observer.disconnect();
          resolve(entry.isIntersecting);
        });
        observer.observe(image);
      });
    const images = [...document.images];
    const seen = await Promise.all(images.map(inView));
    await Promise.all(images.filter((_, k) => seen[k]).map((i) => i.decode().catch(() => undefined)));
  });
}

async function looksAsBefore(page: Page, name: string) {
  await settle(page);
  await expect(page).toHaveScreenshot(`${name}.png`, { animations: "disabled", caret: "hide", maxDiffPixelRatio: 0.01 });
}

for (const scheme of ["light", "dark"] as const) {
  test.describe(`${scheme}`, () => {
    test.use({ colorScheme: scheme });

    for (const [name, path] of pages) {
      test(`${name} looks as before (${scheme}) @phone`, async ({ page }) => {
        await page.goto(path);
        await ready(page, true);
        await looksAsBefore(page, `${name}-${scheme}`);
      });
    }

    test(`cart and drawer look as before (${scheme}) @phone`, async ({ page }) => {
      await addToCart(page, PRODUCT_WITH_OPTIONS, true);
      await page.goto("/cart");
      await ready(page, true);
      await looksAsBefore(page, `cart-${scheme}`);
      // The badge opens the drawer on any page but the cart's own.
      await page.goto(`/product/${PRODUCT_WITH_OPTIONS}`);
      await ready(page, true);
      await page.getByTestId("cart-count").click();
      await expect(page.getByRole("dialog", { name: "Your cart" })).toBeVisible();
      await expect(page.getByRole("dialog", { name: "Your cart" }).getByTestId("cart-line")).toHaveCount(1);
      await looksAsBefore(page, `drawer-${scheme}`);
      await closeDrawer(page, true);
    });
  });
}
