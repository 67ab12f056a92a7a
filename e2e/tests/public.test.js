// Issue 12: the public job-offer check, as a visitor on a phone with
// JavaScript off — three red flags give a high risk with the hotlines, the
// ticks stay ticked, and the server's log holds none of the answers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, withPage, screenshot, text, RESULTS_DIR } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PHONE = { viewport: { width: 390, height: 844 }, javaScriptEnabled: false };
const FLAGS = ['messenger', 'pressure', 'company'];

test('the job-offer check at 390 px with JavaScript off: three red flags give a high risk and the hotlines', async () => {
  await withPage(browser, async (page) => {
    const help = await page.goto('/help');
    assert.equal(help.status(), 200);
    assert.equal(help.headers()['set-cookie'], undefined, 'a public page sets no cookie');
    assert.ok(!help.headers()['content-security-policy'].includes('script-src'), 'no script allowed');
    assert.equal(await page.locator('script').count(), 0, 'the page has no script');
    assert.ok((await text(page.locator('.hotlines'))).includes('1547'));
    await screenshot(page, 'public-help-390.png');

    await page.click('a.button.primary');
    assert.equal(new URL(page.url()).pathname, '/help/job-check');
    for (const f of FLAGS) await page.check(`#flag-${f}`);
    await screenshot(page, 'public-job-check-390.png');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/help/job-check'),
      page.click('form.job-check button[type=submit]'),
    ]);
    assert.equal(response.status(), 200);
    assert.equal(response.headers()['cache-control'], 'no-store');
    // The answers went in the body, never in the address.
    assert.equal(new URL(page.url()).search, '');

    const result = page.locator('#result');
    assert.equal(await result.locator('[data-risk]').getAttribute('data-risk'), 'high');
    const said = await text(result);
    assert.ok(said.includes('Високий ризик'), said);
    assert.ok(said.includes('Ви позначили 3 ознаки.'), said);
    for (const number of ['1547', '116 123', '116 111', '102', '112', '527']) {
      assert.ok(said.includes(number), `the result lists ${number}`);
    }
    assert.equal(await result.locator('a[href="tel:1547"]').count(), 1, '1547 can be dialled from the page');
    for (const f of FLAGS) assert.ok(await page.isChecked(`#flag-${f}`), `${f} stays ticked`);
    assert.ok(!(await page.isChecked('#flag-documents')));
    await screenshot(page, 'public-job-check-result-390.png');
  }, PHONE);

  // Nothing of the answers in the server's log: the request line has the path only.
  const log = readFileSync(join(RESULTS_DIR, 'server.log'), 'utf8');
  const lines = log.split('\n').filter((l) => l.includes('/help/job-check'));
  assert.ok(lines.some((l) => l.includes('method=POST')), 'the POST is in the log (the right log was read)');
  for (const l of lines) assert.ok(!l.includes('?'), `a query in the log: ${l}`);
  for (const word of ['flag=', ...FLAGS.map((f) => `=${f}`), 'messenger', 'pressure']) {
    assert.ok(!log.includes(word), `"${word}" reached the server log`);
  }
});

test('the public pages fit a 390 px screen and switch language without losing the page', async () => {
  await withPage(browser, async (page) => {
    for (const path of ['/help', '/help/job-check', '/help/directory']) {
      await page.goto(path);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `${path} is ${width} px wide on a 390 px screen`);
    }
    await page.goto('/help/job-check');
    // Half-way through, the visitor switches to English: the ticks stay.
    await page.check('#flag-pay');
    await page.click('header [hreflang="en"]');
    assert.equal(new URL(page.url()).pathname, '/help/job-check');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.ok(await page.isChecked('#flag-pay'), 'the tick survives the switch');
    assert.equal(await page.locator('#result').count(), 0, 'no result before the visitor asks');
    await page.check('#flag-documents');
    await page.click('form.job-check button[type=submit]');
    assert.ok((await text(page.locator('#result'))).includes('High risk'));
    assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the result stays in English');
    await screenshot(page, 'public-job-check-result-en-390.png');
  }, { viewport: { width: 390, height: 844 } });
});
