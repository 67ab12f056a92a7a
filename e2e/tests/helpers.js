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

/**
 * The cells of the first sheet of an XLSX file, as rows of { ref, value }
 * (numbers as numbers, shared strings as text). A minimal reader of the zip
 * container (stored or deflated entries) and of SpreadsheetML, enough to
 * check what a produced workbook says.
 */
export async function xlsxRows(buffer) {
  const { inflateRawSync } = await import('node:zlib');
  const entry = (name) => {
    // The end of central directory record, then each central directory entry.
    let eocd = buffer.length - 22;
    while (eocd >= 0 && buffer.readUInt32LE(eocd) !== 0x06054b50) eocd--;
    if (eocd < 0) throw new Error('not a zip file');
    let p = buffer.readUInt32LE(eocd + 16);
    const count = buffer.readUInt16LE(eocd + 10);
    for (let i = 0; i < count; i++) {
      const method = buffer.readUInt16LE(p + 10);
      const size = buffer.readUInt32LE(p + 20);
      const nameLen = buffer.readUInt16LE(p + 28);
      const extraLen = buffer.readUInt16LE(p + 30);
      const commentLen = buffer.readUInt16LE(p + 32);
      const local = buffer.readUInt32LE(p + 42);
      const entryName = buffer.toString('utf8', p + 46, p + 46 + nameLen);
      if (entryName === name) {
        const start = local + 30 + buffer.readUInt16LE(local + 26) + buffer.readUInt16LE(local + 28);
        const data = buffer.subarray(start, start + size);
        return (method === 0 ? data : inflateRawSync(data)).toString('utf8');
      }
      p += 46 + nameLen + extraLen + commentLen;
    }
    return null;
  };
  const unescape = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
  const shared = [];
  const sst = entry('xl/sharedStrings.xml') || '';
  for (const m of sst.matchAll(/<si>([\s\S]*?)<\/si>/g)) {
    shared.push(unescape([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')));
  }
  const sheet = entry('xl/worksheets/sheet1.xml') || '';
  const rows = [];
  for (const r of sheet.matchAll(/<row [^>]*>([\s\S]*?)<\/row>/g)) {
    const cells = [];
    for (const c of r[1].matchAll(/<c r="([A-Z]+)\d+"([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const v = /<v>([\s\S]*?)<\/v>/.exec(c[3] || '');
      let value = v ? v[1] : null;
      if (value !== null) value = /t="s"/.test(c[2]) ? shared[Number(value)] : Number(value);
      cells.push({ col: c[1], value, styled: /s="\d+"/.test(c[2]) });
    }
    rows.push(cells);
  }
  return rows;
}
