// Debian's Chromium, driven by playwright-core (browsers cannot be
// downloaded here), and one browser context per reader, each with an
// address of its own so flood control keeps readers apart.

import { chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export function launchChromium() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives every launch a fresh, temporary profile.
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

let readers = 0;

// A reader with JavaScript on or off, at a documentation address of its own
// so that flood control keeps readers apart. The address travels as a load
// balancer in front of the site and the gateway would send it, in
// X-Forwarded-For: the site trusts loopback to say so (WEB_TRUST_PROXY), and
// the gateway appends its peer, which the service trusts. It is added to
// requests after the browser's CORS checks, as a proxy adds it.
export async function newReader(browser, javaScript, origins) {
  readers += 1;
  const ip = `203.0.113.${readers}`;
  const context = await browser.newContext({ javaScriptEnabled: javaScript });
  const withAddress = (route) => ({ ...route.request().headers(), "x-forwarded-for": ip });
  for (const origin of origins) {
    await context.route(`${origin}/**`, (route) => route.fallback({ headers: withAddress(route) }));
  }
  const page = await context.newPage();
  return {
    context,
    page,
    ip,
    withAddress,
    name: `Reader ${readers}`,
    email: `reader-${readers}-${process.pid}@example.org`,
  };
}
