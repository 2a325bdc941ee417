import { defineConfig, devices } from "@playwright/test";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The storefront and its embedded emulator on ports of their own, with a fresh database, so
// a running `make run` does not interfere.
export const STORE_PORT = 3100;
export const EMULATOR_URL = "http://127.0.0.1:3101";
const dataDir = process.env.E2E_DATA_DIR ?? mkdtempSync(join(tmpdir(), "storefront-e2e-"));

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const launchOptions = existsSync(chromium)
  ? {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    }
  : {}; // a developer laptop: Playwright's own browser

// The narrowest common Android width.
const phone = { ...devices["Pixel 5"], viewport: { width: 360, height: 780 } };

export default defineConfig({
  testDir: "./tests",
  // The token-expiry specs change emulator settings that every test shares.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${STORE_PORT}`,
    trace: "retain-on-failure",
    launchOptions,
  },
  projects: [
    { name: "hydrated", use: { ...devices["Desktop Chrome"], launchOptions }, grepInvert: /@phone-only/ },
    {
      name: "no-js",
      use: { ...devices["Desktop Chrome"], launchOptions, javaScriptEnabled: false },
      testIgnore: /\.hydrate\.spec\.ts$/,
      grepInvert: /@phone-only/,
    },
    // A 360 px wide phone (touch, mobile viewport): the main journey and the phone checks.
    { name: "phone", use: { ...phone, launchOptions }, grep: /@phone/ },
    {
      name: "phone-no-js",
      use: { ...phone, launchOptions, javaScriptEnabled: false },
      testIgnore: /\.hydrate\.spec\.ts$/,
      grep: /@phone/,
    },
  ],
  webServer: {
    command: "target/debug/wix-storefront",
    cwd: "..",
    url: `http://127.0.0.1:${STORE_PORT}/search`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      LEPTOS_SITE_ADDR: `127.0.0.1:${STORE_PORT}`,
      LEPTOS_SITE_ROOT: "target/site",
      WIX_DATA_DIR: dataDir,
      WIX_EMULATOR_LISTEN: "127.0.0.1:3101",
      WIX_EMULATOR_ADMIN: "true",
      // Renew 1 s before expiry, so a few-second token lifetime can be tested.
      WIX_RENEW_MARGIN_SECS: "1",
      // Every spec comes from one address, far faster than a shopper: the per-address limits
      // (new visitors, server-function posts) are raised out of the way.
      RATE_LIMIT_NEW_VISITORS_PER_MINUTE: "100000",
      RATE_LIMIT_POSTS_PER_SECOND: "10000",
      RUST_LOG: "warn",
    },
  },
});
