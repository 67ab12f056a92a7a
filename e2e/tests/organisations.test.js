// (b) The administrator creates an organisation: a missing name is reported
// beside the field with everything else kept; once fixed, the organisation
// exists and the list finds it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, signIn, screenshot, text, submitAndGetPostResponse } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('administrator creates an organisation after fixing a missing name', async () => {
  await withPage(browser, async (page) => {
    await signIn(page, 'admin');

    // The list offers the administrator a way to add one.
    await page.goto('/organisations');
    assert.equal(await page.getAttribute('html', 'lang'), 'uk');
    const newLink = page.locator('a[href="/organisations/new"]');
    assert.equal(await newLink.count(), 1, 'no link to /organisations/new for the administrator');
    await screenshot(page, 'organisations-admin.png');
    await newLink.click();
    await page.waitForLoadState('load');
    assert.equal(new URL(page.url()).pathname, '/organisations/new');

    // Fill everything but the name.
    const typed = {
      short_name: 'ГО Тест',
      kind: 'ngo',
      email: 'test@example.org',
      phone: '+380 532 00 00 00',
      address: 'м. Полтава, вул. Соборності, 1',
    };
    await page.fill('#short_name', typed.short_name);
    await page.selectOption('#kind', typed.kind);
    const territoryValue = await page.$eval('#territory_id', (sel) => {
      const opt = [...sel.options].find((o) => o.textContent.includes('Полтавський район'));
      return opt ? opt.value : null;
    });
    assert.ok(territoryValue, 'no territory option labelled "Полтавський район"');
    await page.selectOption('#territory_id', territoryValue);
    await page.check('#by_consent');
    await page.fill('#email', typed.email);
    await page.fill('#phone', typed.phone);
    await page.fill('#address', typed.address);
    assert.equal(await page.inputValue('#name'), '');

    const bad = await submitAndGetPostResponse(page, '/organisations', 'form.form button.primary');
    assert.equal(bad?.status(), 422, `POST /organisations without a name answered ${bad?.status()}`);
    assert.equal(new URL(page.url()).pathname, '/organisations', `after the failed POST at ${page.url()}`);

    // The error sits beside the name field …
    const err = page.locator('p#name-error');
    assert.equal(await err.count(), 1, 'no p#name-error');
    assert.equal(await text(err), 'Заповніть це поле.');
    assert.equal(await page.getAttribute('#name', 'aria-invalid'), 'true');
    assert.equal(await page.getAttribute('#name', 'aria-describedby'), 'name-error');
    const errBesideField = await page.$eval('p#name-error', (p) => p.closest('.field')?.querySelector('#name') !== null);
    assert.ok(errBesideField, 'p#name-error is not in the same field as #name');
    // … and only the name is marked wrong.
    assert.equal(await page.locator('[aria-invalid="true"]').count(), 1, 'fields other than the name are marked invalid');

    // … and everything else typed is kept.
    assert.equal(await page.inputValue('#short_name'), typed.short_name, 'short name lost');
    assert.equal(await page.inputValue('#kind'), typed.kind, 'kind lost');
    assert.equal(await page.inputValue('#territory_id'), territoryValue, 'territory lost');
    assert.equal(await page.isChecked('#by_consent'), true, '"by consent" lost');
    assert.equal(await page.inputValue('#email'), typed.email, 'email lost');
    assert.equal(await page.inputValue('#phone'), typed.phone, 'phone lost');
    assert.equal(await page.inputValue('#address'), typed.address, 'address lost');
    await screenshot(page, 'org-form-error.png');

    // Fix the name and save.
    const name = `ГО «Тестова» ${Date.now()}`;
    await page.fill('#name', name);
    const good = await submitAndGetPostResponse(page, '/organisations', 'form.form button.primary');
    assert.ok(good && good.status() >= 300 && good.status() < 400, `POST /organisations answered ${good?.status()}`);
    const created = new URL(page.url());
    assert.match(created.pathname, /^\/organisations\/[^/]+$/, `after saving at ${page.url()}`);
    assert.notEqual(created.pathname, '/organisations/new');
    assert.equal(created.searchParams.get('done'), 'created', `after saving at ${page.url()}`);
    assert.equal(await text(page.locator('h1')), name);
    await screenshot(page, 'org-created.png');
    const orgPath = created.pathname;

    // The list finds it by its name.
    await page.goto('/organisations');
    await page.fill('#q', name);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/organisations' && u.searchParams.get('q') === name),
      page.press('#q', 'Enter'),
    ]);
    await page.waitForLoadState('load');
    const row = page.locator('#org-table tbody tr', { has: page.locator(`a[href="${orgPath}"]`) });
    await row.first().waitFor({ state: 'visible' });
    assert.equal(await row.count(), 1, `${name} not exactly once in #org-table`);
    assert.equal(await text(row.locator('a')), name);
    assert.equal(await page.locator('#org-table tbody tr').count(), 1, 'the search by a unique name found other rows too');
    const rowText = await text(row);
    assert.ok(rowText.includes('Полтавський район'), `the row does not show the territory: "${rowText}"`);
    assert.ok(rowText.includes(typed.short_name), `the row does not show the short name: "${rowText}"`);
    await screenshot(page, 'org-search.png');

    // Also with the "Показати" button, in a fresh load of the page.
    await page.goto('/organisations');
    await page.fill('#q', name);
    await Promise.all([
      page.waitForURL((u) => u.searchParams.get('q') === name),
      page.click('form.filters button[type=submit]'),
    ]);
    assert.equal(await text(page.locator('form.filters button[type=submit]')), 'Показати');
    await page.locator(`#org-table a[href="${orgPath}"]`).waitFor({ state: 'visible' });
  });
});

test('a non-administrator gets no way to add an organisation', async () => {
  await withPage(browser, async (page) => {
    await signIn(page, 'analyst');
    await page.goto('/organisations');
    assert.equal(await page.locator('#org-table').count(), 1, 'analyst sees no #org-table');
    assert.equal(await page.locator('a[href="/organisations/new"]').count(), 0, 'analyst is offered /organisations/new');
    const r = await page.goto('/organisations/new');
    assert.ok(r && r.status() >= 400, `GET /organisations/new as analyst answered ${r?.status()}`);
    await screenshot(page, 'org-new-forbidden.png');
  });
});
