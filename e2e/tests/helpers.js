// Shared helpers for Oberih's browser tests: one Chromium per test file,
// a fresh browser context per test, signing in, and screenshots.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BASE_URL = (process.env.OBERIH_URL || '').replace(/\/+$/, '');
if (!BASE_URL) {
  throw new Error('OBERIH_URL is not set: run the tests through e2e/run.sh (or export it yourself)');
}
const base = new URL(BASE_URL);
if (base.hostname !== '127.0.0.1' && base.hostname !== 'localhost') {
  throw new Error(`OBERIH_URL must point at this machine (127.0.0.1), not ${base.hostname}`);
}

export const DEMO_PASSWORD = 'oberih-demo-2026';

export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results');
mkdirSync(RESULTS_DIR, { recursive: true });

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A fresh context (no cookies) whose browser asks for Ukrainian, as a user in
 * Ukraine would; the app's own default is Ukrainian too, but a browser asking
 * for English alone would (by design) get English.
 */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    locale: 'uk-UA',
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(20_000);
  // Only ever talk to the app under test.
  await context.route('**/*', (route) => {
    const u = new URL(route.request().url());
    if (u.origin === base.origin || u.protocol === 'data:') return route.continue();
    return route.abort();
  });
  return context;
}

/** Runs `fn(page, context)` in a fresh context and always closes it. */
export async function withPage(browser, fn, options) {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  try {
    return await fn(page, context);
  } finally {
    await context.close();
  }
}

/**
 * Submits `form` by clicking `submitSelector` and returns the HTTP response
 * to the POST (before any redirect is followed), plus waits for the page the
 * browser ends up showing.
 */
export async function submitAndGetPostResponse(page, action, submitSelector) {
  const [request] = await Promise.all([
    page.waitForRequest((r) => r.method() === 'POST' && new URL(r.url()).pathname === action),
    page.click(submitSelector),
  ]);
  const response = await request.response();
  await page.waitForLoadState('load');
  return response;
}

/** Fills the sign-in form and submits it; returns the POST /sign-in response. */
export async function trySignIn(page, login, password) {
  if (new URL(page.url(), BASE_URL).pathname !== '/sign-in' || !(await page.locator('#login').count())) {
    await page.goto('/sign-in');
  }
  await page.fill('#login', login);
  await page.fill('#password', password);
  return submitAndGetPostResponse(page, '/sign-in', 'form[action="/sign-in"] button[type=submit]');
}

/** Signs in and insists on landing on the home page. */
export async function signIn(page, login, password = DEMO_PASSWORD) {
  const response = await trySignIn(page, login, password);
  const status = response ? response.status() : 'no response';
  const path = new URL(page.url()).pathname;
  if (path !== '/') {
    const problem = await page.locator('#sign-in-problem').textContent().catch(() => null);
    throw new Error(`sign-in as ${login} did not reach "/": POST status ${status}, now at ${page.url()}, problem: ${problem}`);
  }
  return response;
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(RESULTS_DIR, name), fullPage: true });
}

export async function text(locator) {
  return ((await locator.textContent()) || '').replace(/\s+/g, ' ').trim();
}
