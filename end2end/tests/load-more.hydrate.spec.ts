import { test, expect, ready } from "./helpers";

test("load more appends the next page in place", async ({ page }) => {
  await page.goto("/search");
  await ready(page, true);
  const names = page.getByTestId("results").getByRole("heading");
  await expect(names).toHaveCount(24);
  const next = page.getByRole("link", { name: "Next →" });
  const firstNext = await next.getAttribute("href");
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(names).toHaveCount(48);
  await expect(page).toHaveURL(/\/search$/);
  await expect(page.getByTestId("result-count")).toHaveText(/showing 48$/);
  const all = await names.allTextContents();
  expect(new Set(all).size).toBe(48);
  // The crawlable link now continues after what is shown.
  await expect(next).not.toHaveAttribute("href", firstNext!);
  // Until the last page, then the button goes away.
  const more = page.getByRole("button", { name: "Load more" });
  for (let i = 0; i < 5 && (await more.count()) > 0; i++) {
    const shown = await names.count();
    await more.click();
    await expect(names).not.toHaveCount(shown);
  }
  await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);
  await expect(next).toHaveCount(0);
  const total = Number((await page.getByTestId("result-count").textContent())!.match(/^(\d+)/)![1]);
  await expect(names).toHaveCount(total);
});
