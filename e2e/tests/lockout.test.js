// (c) Repeated wrong passwords lock a login out, and while locked even the
// right password is refused.
//
// It locks `officer4` (the case officer of a raion no other browser test signs
// in as) for 15 minutes, so it may run before or after any other file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, trySignIn, screenshot, text, DEMO_PASSWORD } from './helpers.js';

const LOGIN = 'officer4';
const WRONG = 'not-the-password-1';
const INVALID = 'Неправильний логін або пароль.';
const LOCKED = 'Забагато невдалих спроб входу';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test(`${LOGIN} is locked out on the sixth failed sign-in, even with the right password`, async () => {
  await withPage(browser, async (page) => {
    await page.goto('/sign-in');
    for (let attempt = 1; attempt <= 5; attempt++) {
      const r = await trySignIn(page, LOGIN, WRONG);
      assert.equal(r?.status(), 401, `attempt ${attempt}: status`);
      assert.equal(new URL(page.url()).pathname, '/sign-in', `attempt ${attempt}: at ${page.url()}`);
      assert.equal(await text(page.locator('#sign-in-problem')), INVALID, `attempt ${attempt}: message`);
      if (attempt === 1) await screenshot(page, 'sign-in-wrong-password.png');
    }

    const sixth = await trySignIn(page, LOGIN, WRONG);
    assert.equal(sixth?.status(), 429, 'sixth attempt: status');
    const lockedText = await text(page.locator('#sign-in-problem'));
    assert.ok(lockedText.includes(LOCKED), `sixth attempt: message is "${lockedText}"`);
    assert.equal(sixth.headers()['retry-after'] !== undefined, true, 'sixth attempt: no Retry-After header');
    await screenshot(page, 'locked.png');
  });

  // A fresh browser (no cookies from the attempts above) with the right password.
  await withPage(browser, async (page) => {
    const r = await trySignIn(page, LOGIN, DEMO_PASSWORD);
    assert.equal(r?.status(), 429, 'right password while locked: status');
    assert.equal(new URL(page.url()).pathname, '/sign-in', `right password while locked: at ${page.url()}`);
    const lockedText = await text(page.locator('#sign-in-problem'));
    assert.ok(lockedText.includes(LOCKED), `right password while locked: message is "${lockedText}"`);
    assert.equal(await page.locator('form[action="/sign-out"]').count(), 0, 'signed in despite the lock');
    await page.goto('/');
    assert.equal(new URL(page.url()).pathname, '/sign-in', `home opened despite the lock (${page.url()})`);
    await screenshot(page, 'locked-right-password.png');
  });
});

test('the lock-out of one login leaves others alone', async () => {
  await withPage(browser, async (page) => {
    const r = await trySignIn(page, 'hotline', DEMO_PASSWORD);
    assert.equal(r?.status(), 303, `hotline sign-in answered ${r?.status()}`);
    assert.equal(new URL(page.url()).pathname, '/');
  });
});
