import { test, expect, ready, PRODUCT_WITH_OPTIONS, type Page } from "./helpers";

// The demo Willow Tee has four images, and each colour shows one of them (White the first,
// Plum the second), as a merchant links media to a choice in Wix.

/** The slide the gallery's row shows: its place in the row and its image's position. */
async function shown(page: Page) {
  return page.evaluate(() => {
    const track = document.querySelector(".gallery-track")!;
    const left = track.getBoundingClientRect().left;
    const slides = [...track.querySelectorAll(".gallery-slide")];
    const at = slides.findIndex((s) => Math.abs(s.getBoundingClientRect().left - left) < 2);
    return { at, image: slides[at]?.getAttribute("data-image") ?? null };
  });
}

test("the gallery moves by thumbnail and by arrow key, one whole image at a time", async ({ page, javaScriptEnabled }) => {
  await page.goto(`/product/${PRODUCT_WITH_OPTIONS}`);
  await ready(page, javaScriptEnabled);
  const gallery = page.getByTestId("gallery");
  const thumbs = gallery.getByRole("link", { name: /^Image \d+ of \d+$/ });
  const count = await gallery.locator(".gallery-slide").count();
  expect(count).toBeGreaterThan(3);
  await expect(thumbs).toHaveCount(count);
  expect((await shown(page)).at).toBe(0);

  await thumbs.nth(2).click();
  await expect.poll(async () => (await shown(page)).at).toBe(2);
  if (javaScriptEnabled) {
    await expect(thumbs.nth(2)).toHaveAttribute("aria-current", "true");
    await expect(thumbs.nth(0)).not.toHaveAttribute("aria-current", "true");
  } else {
    // Nothing would keep a marked thumbnail true without JavaScript, so none is marked.
    await expect(gallery.locator("[aria-current]")).toHaveCount(0);
  }

  // The row takes focus; arrow keys move it (the browser's own scrolling without JavaScript).
  await gallery.locator(".gallery-track").focus();
  await page.keyboard.press("ArrowLeft");
  await expect.poll(async () => (await shown(page)).at).toBe(1);
  if (javaScriptEnabled) {
    // Two quick presses move two images, even while the first move is still scrolling.
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await expect.poll(async () => (await shown(page)).at).toBe(3);
    await page.keyboard.press("Home");
    await expect.poll(async () => (await shown(page)).at).toBe(0);
    await expect(thumbs.nth(0)).toHaveAttribute("aria-current", "true");
    await page.keyboard.press("End");
    await expect.poll(async () => (await shown(page)).at).toBe(count - 1);
  }
});

test("choosing a colour shows that colour's image", async ({ page, javaScriptEnabled }) => {
  await page.goto(`/product/${PRODUCT_WITH_OPTIONS}?Color=White`);
  await ready(page, javaScriptEnabled);
  expect((await shown(page)).image).toBe("0");
  await page.getByRole("group", { name: "Color" }).getByRole("button", { name: "Plum" }).click();
  await expect(page).toHaveURL(/Color=Plum/);
  await expect.poll(async () => (await shown(page)).image).toBe("1");
});

test("a swipe moves the gallery to the next image @phone-only", async ({ page, javaScriptEnabled }) => {
  await page.goto(`/product/${PRODUCT_WITH_OPTIONS}`);
  await ready(page, javaScriptEnabled);
  const box = (await page.getByTestId("gallery").locator(".gallery-track").boundingBox())!;
  // Real touch input (Chromium's): a finger drags left across part of the image and lifts; the
  // row snaps to the next image.
  const cdp = await page.context().newCDPSession(page);
  const y = Math.round(box.y + box.height / 2);
  let x = Math.round(box.x + box.width * 0.8);
  await cdp.send("Input.dispatchTouchEvent", { type: "touchStart", touchPoints: [{ x, y }] });
  // Past half the width at a finger's pace (a frame per step), so the row snaps onward however
  // fast the browser judges the fling.
  for (let step = 0; step < 10; step++) {
    x -= Math.round(box.width * 0.065);
    await cdp.send("Input.dispatchTouchEvent", { type: "touchMove", touchPoints: [{ x, y }] });
    await page.waitForTimeout(16);
  }
  await cdp.send("Input.dispatchTouchEvent", { type: "touchEnd", touchPoints: [] });
  await expect.poll(async () => (await shown(page)).at).toBe(1);
});
