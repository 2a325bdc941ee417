import { test as base, expect, type Page, type APIRequestContext } from "@playwright/test";
import { EMULATOR_URL } from "../playwright.config";

export const EMULATOR_ORIGIN = EMULATOR_URL;
export type { Page } from "@playwright/test";

/** A product with Color and Size options, and one without options, in the demo catalog. */
export const PRODUCT_WITH_OPTIONS = "willow-tee";
export const PRODUCT_WITHOUT_OPTIONS = "canyon-notebook";

/** Waits until the page has hydrated (a no-op with JavaScript off). */
export async function ready(page: Page, javaScriptEnabled: boolean) {
  if (javaScriptEnabled) {
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  }
}

export async function cartCount(page: Page) {
  return page.getByTestId("cart-count");
}

export async function setEmulator(request: APIRequestContext, settings: Record<string, unknown>) {
  const response = await request.put(`${EMULATOR_URL}/_emulator/settings`, { data: settings });
  expect(response.ok()).toBeTruthy();
}

export async function resetEmulator(request: APIRequestContext) {
  const response = await request.post(`${EMULATOR_URL}/_emulator/settings/reset`);
  expect(response.ok()).toBeTruthy();
}

export async function addToCart(page: Page, slug: string, javaScriptEnabled: boolean, quantity = "1") {
  await page.goto(`/product/${slug}`);
  await ready(page, javaScriptEnabled);
  await page.getByLabel("Quantity").fill(quantity);
  await page.getByRole("button", { name: "Add to cart", exact: true }).click();
  await expect(page.getByTestId("cart-notice")).toContainText(/added/i);
  await closeDrawer(page, javaScriptEnabled);
}

/** Hydrated, a successful add opens the cart drawer; Escape closes it. */
export async function closeDrawer(page: Page, javaScriptEnabled: boolean) {
  if (!javaScriptEnabled) return;
  const drawer = page.getByRole("dialog", { name: "Your cart" });
  await expect(drawer).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(drawer).toBeHidden();
}

/**
 * Every spec uses this `test`: it reads every text response the browser receives (HTML,
 * hydration data, server-function answers, scripts) and fails the spec if one carries a Wix
 * access or refresh token, or if the page's Content-Security-Policy blocked anything.
 */
export const test = base.extend<{ noTokenLeaks: void }>({
  noTokenLeaks: [
    async ({ page }, use) => {
      const leaks: string[] = [];
      const reads: Promise<void>[] = [];
      page.on("response", (response) => {
        reads.push(
          (async () => {
            const type = response.headers()["content-type"] ?? "";
            if (!/html|json|javascript|text|x-www-form-urlencoded|cbor/.test(type)) return;
            const body = await response.text().catch(() => "");
            if (body.includes("OauthNG.JWS.") || /JWS\.[A-Za-z0-9_-]{16}/.test(body)) {
              leaks.push(response.url());
            }
          })(),
        );
      });
      const blocked: string[] = [];
      page.on("console", (message) => {
        if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
      });
      await use();
      await Promise.all(reads);
      expect(leaks, "responses that carried a Wix token").toEqual([]);
      expect(blocked, "resources the page's CSP blocked").toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/** A sold-out variant of a demo product, read from the emulator: its id and choice names. */
export async function soldOutVariant(request: APIRequestContext, slug: string) {
  const tokens = await (await request.post(`${EMULATOR_URL}/oauth2/token`, { data: { clientId: "e2e", grantType: "anonymous" } })).json();
  const response = await request.get(`${EMULATOR_URL}/stores/v3/products/slug/${slug}?fields=VARIANT_OPTION_CHOICE_NAMES`, {
    headers: { authorization: tokens.access_token },
  });
  const product = (await response.json()).product;
  const variant = product.variantsInfo.variants.find((v: any) => !v.inventoryStatus.inStock);
  return {
    id: variant.id as string,
    choices: variant.choices.map((c: any) => [c.optionChoiceNames.optionName, c.optionChoiceNames.choiceName]) as [string, string][],
  };
}
