import AxeBuilder from "@axe-core/playwright";
import {
  test,
  expect,
  ready,
  addToCart,
  setEmulator,
  resetEmulator,
  PRODUCT_WITHOUT_OPTIONS,
  EMULATOR_ORIGIN,
  type Page,
} from "./helpers";

test.afterEach(async ({ request }) => {
  await resetEmulator(request);
});

/** From the header's "Sign in", through Wix's hosted login page, back to the page it started on. */
async function signIn(page: Page, javaScriptEnabled: boolean, email: string) {
  const before = new URL(page.url());
  await page.getByRole("link", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`^${EMULATOR_ORIGIN}/login`));
  await page.getByLabel("Member").selectOption(email);
  await page.getByLabel("Password").fill("rustacean");
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page).toHaveURL((url) => url.pathname === before.pathname);
  await ready(page, javaScriptEnabled);
}

async function axe(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`)).toEqual([]);
}

test("sign in, see an order placed as that member, sign out", async ({ page, javaScriptEnabled }) => {
  await page.goto("/account");
  await ready(page, javaScriptEnabled);
  await expect(page.getByTestId("sign-in-prompt")).toBeVisible();
  if (javaScriptEnabled) await axe(page);

  await page.goto(`/product/${PRODUCT_WITHOUT_OPTIONS}`);
  await ready(page, javaScriptEnabled);
  await signIn(page, javaScriptEnabled, "ada@example.com");
  // The header greets her on the very page she came back to: no flash of "Sign in".
  await expect(page.getByTestId("account-link")).toContainText("Ada");
  await expect(page.getByRole("link", { name: "Sign in", exact: true })).toHaveCount(0);

  // An order as Ada, through Wix's hosted checkout.
  await addToCart(page, PRODUCT_WITHOUT_OPTIONS, javaScriptEnabled);
  await page.goto("/cart");
  await ready(page, javaScriptEnabled);
  await page.getByRole("button", { name: "Check out" }).click();
  await expect(page).toHaveURL(new RegExp(`^${EMULATOR_ORIGIN}/checkout`));
  await page.getByRole("button", { name: "Place order" }).click();
  await expect(page).toHaveURL(/\/thank-you\?orderId=/);
  const orderId = new URL(page.url()).searchParams.get("orderId")!;

  await page.getByTestId("account-link").click();
  await expect(page).toHaveURL(/\/account$/);
  await ready(page, javaScriptEnabled);
  await expect(page.getByTestId("account-name")).toHaveText("Ada Lovelace");
  await expect(page.getByTestId("account-email")).toHaveText("ada@example.com");
  const order = page.locator(`a[href="/account/orders/${orderId}"]`);
  await expect(order).toHaveText(/Order \d+/);
  if (javaScriptEnabled) await axe(page);
  await order.click();
  await ready(page, javaScriptEnabled);
  await expect(page.getByTestId("order-title")).toHaveText(/Order \d+/);
  await expect(page.getByTestId("order-lines")).toContainText("Canyon Notebook");
  await expect(page.getByTestId("order-totals")).toContainText("Total");
  if (javaScriptEnabled) await axe(page);

  await page.goto("/account");
  await ready(page, javaScriptEnabled);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/127\.0\.0\.1:3100\/(\?.*)?$/);
  await ready(page, javaScriptEnabled);
  await expect(page.getByRole("link", { name: "Sign in", exact: true })).toBeVisible();
  await page.goto("/account");
  await expect(page.getByTestId("sign-in-prompt")).toBeVisible();
});

test("the cart comes along when a visitor signs in", async ({ page, javaScriptEnabled }) => {
  await addToCart(page, PRODUCT_WITHOUT_OPTIONS, javaScriptEnabled);
  await page.goto("/cart");
  await ready(page, javaScriptEnabled);
  await signIn(page, javaScriptEnabled, "grace@example.com");
  await expect(page.getByTestId("account-link")).toContainText("Grace");
  await expect(page.getByTestId("cart-lines")).toContainText("Canyon Notebook");
});

test("cancelling on Wix's page leaves the visitor as they were", async ({ page, javaScriptEnabled }) => {
  await addToCart(page, PRODUCT_WITHOUT_OPTIONS, javaScriptEnabled);
  await page.goto("/");
  await ready(page, javaScriptEnabled);
  await page.getByRole("link", { name: "Sign in", exact: true }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page).toHaveURL(/\/account\/sign-in\?problem=cancelled/);
  await expect(page.getByTestId("sign-in-problem")).toContainText("You cancelled signing in");
  await expect(page.getByTestId("cart-count")).toHaveText("1");
});

test("a member whose token expires during the visit stays signed in", async ({ page, request, javaScriptEnabled }) => {
  // Tokens minted from now on live 3 seconds (the store renews 1 s early).
  await setEmulator(request, { accessTokenTtlSecs: 3 });
  await page.goto("/");
  await ready(page, javaScriptEnabled);
  await signIn(page, javaScriptEnabled, "ada@example.com");
  await page.waitForTimeout(4_000);
  await page.goto("/account");
  await ready(page, javaScriptEnabled);
  await expect(page.getByTestId("account-name")).toHaveText("Ada Lovelace");
});
