// Assistance and the one-time payment (issue 11), as the people do it: the
// officer assesses the needs of a person with a granted status and plans legal
// aid as a referral; the legal aid centre accepts it and records it delivered;
// the case page shows the need met; the officer records the payment
// application, approves it and marks it paid; the register's XLSX shows it
// with its amount and the total; a reversal is its own line and the total
// follows. At 390 px nothing runs off the screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, signIn, screenshot, text, submitAndGetPostResponse, xlsxRows } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** The demo person with a granted status and no assistance yet (data/demo_people.csv). */
const SURNAME = 'Нереальчук';

function assertRedirected(r, what) {
  assert.equal(r.status(), 303, `${what}: ${r.status()}`);
}

async function amountCell(rows, reference) {
  return rows
    .filter((r) => r.some((c) => c.col === 'C' && c.value === reference))
    .map((r) => r.find((c) => c.col === 'F')?.value);
}

function totalOf(rows) {
  const row = rows.find((r) => r.some((c) => c.col === 'B' && c.value === 'Разом'));
  return row?.find((c) => c.col === 'F')?.value;
}

async function register(page) {
  const year = new Date().getFullYear();
  const r = await page.request.get(`/payments/register.xlsx?from=${year - 1}-01-01&to=${year}-12-31`);
  assert.equal(r.status(), 200);
  assert.match(r.headers()['content-type'], /spreadsheetml/);
  return xlsxRows(Buffer.from(await r.body()));
}

test('needs, a service through a referral, and the payment through the register', async () => {
  let caseId;
  let reference;
  await withPage(browser, async (page) => {
    await signIn(page, 'officer');
    await page.goto('/journal');
    const row = page.locator('#journal tbody tr', { hasText: SURNAME }).first();
    await row.locator('a[href^="/cases/"]').click();
    caseId = Number(new URL(page.url()).pathname.split('/')[2]);
    reference = await text(page.locator('#case-reference'));
    assert.ok(caseId > 0 && reference.startsWith('UA'), `${caseId} ${reference}`);

    // The needs assessment: nothing ticked is refused beside the list.
    await page.click('#open-assistance');
    assert.equal(new URL(page.url()).pathname, `/cases/${caseId}/assistance`);
    await page.click('#new-assessment');
    let r = await submitAndGetPostResponse(page, `/cases/${caseId}/assessments`, '#save-assessment');
    assert.equal(r.status(), 422);
    assert.match(await text(page.locator('#needs-error')), /щонайменше одну потребу/);
    await page.check('#need-legal_aid');
    await page.selectOption('#urgency_legal_aid', 'urgent');
    await page.check('#need-employment');
    await page.selectOption('#urgency_employment', 'routine');
    await page.fill('#note', 'Оцінка під час зустрічі в управлінні (тест).');
    r = await submitAndGetPostResponse(page, `/cases/${caseId}/assessments`, '#save-assessment');
    assertRedirected(r, 'the assessment');
    assert.equal(await page.getAttribute('li.need[data-need="legal_aid"]', 'data-met'), 'no');
    assert.match(await text(page.locator('li.need[data-need="legal_aid"]')), /нічого не заплановано/);

    // Legal aid planned as a referral to the legal aid centre.
    await page.click(`li.need[data-need="legal_aid"] a.plan-link`);
    assert.equal(await page.inputValue('#need'), 'legal_aid');
    const legal = await page.locator('#provider_org_id option', { hasText: 'правничої допомоги' }).first().getAttribute('value');
    await page.selectOption('#provider_org_id', legal);
    await page.check('#fields-name');
    await page.fill('#message', 'Потрібна консультація щодо невиплаченої заробітної плати (тест).');
    r = await submitAndGetPostResponse(page, `/cases/${caseId}/services`, '#save-service');
    assertRedirected(r, 'the service');
    assert.equal(await page.getAttribute('li.need[data-need="legal_aid"] li.service', 'data-state'), 'referred');
    await screenshot(page, 'assistance-referred.png');
  });

  // The legal aid centre accepts the referral and records the delivery.
  await withPage(browser, async (page) => {
    await signIn(page, 'legal');
    await page.goto('/referrals');
    await page.locator('table tbody tr', { hasText: reference }).first().locator('a[href^="/referrals/"]').click();
    assert.equal(await page.getAttribute('#service-state', 'data-state'), 'referred');
    let r = await submitAndGetPostResponse(page, new URL(page.url()).pathname + '/accept', '#accept-referral');
    assertRedirected(r, 'accepted');
    assert.equal(await page.getAttribute('#service-state', 'data-state'), 'in_progress');
    await page.fill('#delivered-note', 'Надано консультацію, складено заяву до суду (тест).');
    const path = new URL(page.url()).pathname;
    r = await submitAndGetPostResponse(page, `${path}/delivered`, '#record-delivery');
    assertRedirected(r, 'delivered');
    assert.equal(await page.getAttribute('#service-state', 'data-state'), 'delivered');
    assert.equal(await page.locator('#delivery-form').count(), 0, 'delivered once');
    await screenshot(page, 'assistance-delivered-by-provider.png');
  });

  await withPage(browser, async (page) => {
    await signIn(page, 'officer');
    // The case page shows the need met, the other one a gap.
    await page.goto(`/cases/${caseId}`);
    assert.equal(await page.getAttribute('#case-needs li[data-need="legal_aid"]', 'data-met'), 'yes');
    assert.equal(await page.getAttribute('#case-needs li[data-need="employment"]', 'data-met'), 'gap');

    // The payment: applied for, approved, paid.
    await page.goto(`/cases/${caseId}/payment/new`);
    let r = await submitAndGetPostResponse(page, `/cases/${caseId}/payments`, '#save-payment');
    assertRedirected(r, 'the application');
    const paymentPath = new URL(page.url()).pathname;
    assert.equal((await text(page.locator('#payment-amount'))).replace(/\u00a0/g, ' '), '9 984,00 грн');
    assert.equal(await page.getAttribute('#payment-state', 'data-state'), 'applied');
    // A second application for the same status is refused.
    await page.goto(`/cases/${caseId}/payment/new`);
    assert.equal(await page.locator('#payment-exists').count(), 1);
    assert.equal(await page.locator('#payment-form').count(), 0);
    await page.goto(paymentPath);
    r = await submitAndGetPostResponse(page, `${paymentPath}/steps/approve`, '#payment-approve');
    assertRedirected(r, 'approved');
    // Paying without the payment document's number is refused beside the field.
    r = await submitAndGetPostResponse(page, `${paymentPath}/steps/pay`, '#payment-pay');
    assert.equal(r.status(), 422);
    assert.equal(await page.getAttribute('#payment_ref', 'aria-invalid'), 'true');
    await page.fill('#payment_ref', 'ПІ-2026-501');
    r = await submitAndGetPostResponse(page, `${paymentPath}/steps/pay`, '#payment-pay');
    assertRedirected(r, 'paid');
    assert.equal(await page.getAttribute('#payment-state', 'data-state'), 'paid');
    await screenshot(page, 'payment-paid.png');

    // The register as XLSX: the line with its amount, and the total of every line.
    let rows = await register(page);
    assert.deepEqual(await amountCell(rows, reference), [9984]);
    const lines = rows.filter((r) => r.some((c) => c.col === 'C' && /^UA\d\d-/.test(String(c.value))));
    const sum = lines.reduce((s, r) => s + (r.find((c) => c.col === 'F')?.value || 0), 0);
    const total = totalOf(rows);
    assert.ok(Math.abs(total - sum) < 0.005, `the total ${total} is the sum of the lines ${sum}`);

    // A reversal: the reason is required; then it is its own line and the total follows.
    await page.goto('/payments/register');
    await page.locator('#register-lines tbody tr', { hasText: reference }).locator('a', { hasText: 'Сторнувати' }).click();
    const reversePath = new URL(page.url()).pathname;
    r = await submitAndGetPostResponse(page, reversePath, '#save-reversal');
    assert.equal(r.status(), 422);
    assert.equal(await page.getAttribute('#reason', 'aria-invalid'), 'true');
    await page.fill('#reason', 'Кошти повернуто банком: помилка в реквізитах (тест).');
    r = await submitAndGetPostResponse(page, reversePath, '#save-reversal');
    assertRedirected(r, 'the reversal');
    rows = await register(page);
    assert.deepEqual(await amountCell(rows, reference), [9984, -9984]);
    assert.ok(Math.abs(totalOf(rows) - (total - 9984)) < 0.005, `the total follows: ${totalOf(rows)} vs ${total - 9984}`);
    await page.goto('/payments/register');
    assert.equal(await page.locator('#register-lines tbody tr.reversal', { hasText: reference }).count(), 1);
    await screenshot(page, 'payment-register.png');
  });

  // At 390 px the pages scroll down, not sideways.
  await withPage(
    browser,
    async (page) => {
      await signIn(page, 'officer');
      for (const path of [`/cases/${caseId}/assistance`, `/cases/${caseId}`, '/assistance', '/payments/register', `/cases/${caseId}/assessment/new`]) {
        await page.goto(path);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `${path} is ${width} px wide at 390`);
      }
      await page.goto(`/cases/${caseId}/assistance`);
      await screenshot(page, 'assistance-390.png');
    },
    { viewport: { width: 390, height: 844 } },
  );
});
