// (a) Every demo account signs in, sees its home page in Ukrainian, switches
// to English, and signs out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, signIn, screenshot, text, submitAndGetPostResponse } from './helpers.js';

// login → one of its roles, with the names the page must show for it.
// Expected names are written out here on purpose (not read from the app's
// translation files), so a wrong or missing translation fails the test.
const ACCOUNTS = [
  ['admin', { code: 'administrator', uk: 'Адміністратор', en: 'Administrator' }],
  ['coordinator', { code: 'regional_coordinator', uk: 'Регіональний координатор', en: 'Regional coordinator' }],
  ['national', { code: 'national_coordinator', uk: 'Національний координатор', en: 'National coordinator' }],
  ['executor', { code: 'executor', uk: 'Виконавець заходів', en: 'Executor of measures' }],
  ['officer', { code: 'case_officer', uk: 'Відповідальна посадова особа', en: 'Case officer' }],
  ['police', { code: 'partner', uk: 'Партнер', en: 'Partner' }],
  ['children', { code: 'partner', uk: 'Партнер', en: 'Partner' }],
  ['hotline', { code: 'hotline_operator', uk: 'Оператор гарячої лінії', en: 'Hotline operator' }],
  ['analyst', { code: 'analyst', uk: 'Аналітик', en: 'Analyst' }],
  ['auditor', { code: 'auditor', uk: 'Аудитор', en: 'Auditor' }],
];

const UK = { lang: 'uk', greeting: 'Вітаємо, ', waiting: 'Що чекає на мене', org: 'Моя організація', switchTo: 'English' };
const EN = { lang: 'en', greeting: 'Welcome, ', waiting: 'Waiting for me', org: 'My organisation', switchTo: 'Українською' };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function checkHome(page, login, role, L) {
  assert.equal(new URL(page.url()).pathname, '/', `${login}: expected to be on the home page, at ${page.url()}`);
  assert.equal(await page.getAttribute('html', 'lang'), L.lang, `${login}: <html lang>`);

  const h1 = await text(page.locator('h1'));
  assert.ok(h1.startsWith(L.greeting), `${login}: h1 should start with "${L.greeting}", got "${h1}"`);
  const fullName = h1.slice(L.greeting.length).trim();
  assert.ok(fullName.length > 0, `${login}: h1 has no name after the greeting: "${h1}"`);

  const badge = page.locator(`span.badge[data-role="${role.code}"]`);
  assert.equal(await badge.count(), 1, `${login}: expected one badge for role ${role.code}`);
  assert.equal(await text(badge), role[L.lang], `${login}: badge text for ${role.code} in ${L.lang}`);

  assert.equal(await text(page.locator('h2#waiting-h')), L.waiting, `${login}: h2#waiting-h in ${L.lang}`);
  assert.equal(await text(page.locator('h2#org-h')), L.org, `${login}: h2#org-h in ${L.lang}`);
  const members = page.locator('#members tbody tr');
  assert.ok((await members.count()) >= 1, `${login}: #members lists nobody`);
  // The signed-in person belongs to their own organisation's member list.
  const names = (await members.locator('td:first-child').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
  assert.ok(names.includes(fullName), `${login}: "${fullName}" not among members ${JSON.stringify(names)}`);

  const sw = page.locator('header form[action="/lang"] button');
  assert.equal(await text(sw), L.switchTo, `${login}: language switch label in ${L.lang}`);
  return fullName;
}

for (const [login, role] of ACCOUNTS) {
  test(`${login} (${role.code}): home in Ukrainian, switch to English, sign out`, async () => {
    await withPage(browser, async (page) => {
      await signIn(page, login);

      const nameUk = await checkHome(page, login, role, UK);
      await screenshot(page, `home-${login}-uk.png`);

      // Switch the language; the switch brings us back to the same page.
      const r = await submitAndGetPostResponse(page, '/lang', 'header form[action="/lang"] button');
      assert.ok(r && r.status() >= 300 && r.status() < 400, `${login}: POST /lang answered ${r?.status()}`);
      const nameEn = await checkHome(page, login, role, EN);
      assert.equal(nameEn, nameUk, `${login}: the name differs between languages`);
      await screenshot(page, `home-${login}-en.png`);

      // Sign out: back on the sign-in page, and home is closed again.
      await submitAndGetPostResponse(page, '/sign-out', 'form[action="/sign-out"] button');
      assert.equal(new URL(page.url()).pathname, '/sign-in', `${login}: after sign-out at ${page.url()}`);
      assert.equal(await page.locator('form[action="/sign-out"]').count(), 0, `${login}: sign-out button still shown`);
      await page.goto('/');
      assert.equal(new URL(page.url()).pathname, '/sign-in', `${login}: home still open after sign-out (${page.url()})`);
    });
  });
}
