// The auditor verifies the seal of the audit log (SPEC §9, ADR 0009): a bad
// anchor comes back beside the field with what was typed kept; the chain is
// intact; the end of the chain, written down and given back as an anchor,
// still matches at the next verification.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, signIn, screenshot, text, submitAndGetPostResponse } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const VERIFY = '#chain-verify button[type=submit]';

test('the auditor verifies the seal of the audit log against an anchor', async () => {
  await withPage(browser, async (page) => {
    await signIn(page, 'auditor');
    await page.goto('/audit');
    await page.click('a[href="/audit/chain"]');
    assert.equal(new URL(page.url()).pathname, '/audit/chain');
    assert.equal(await text(page.locator('h1')), 'Печатка журналу аудиту');

    // A bad anchor: 422, the message beside the field, the text kept, focus on it.
    await page.fill('#anchors', '12:abc');
    let r = await submitAndGetPostResponse(page, '/audit/chain', VERIFY);
    assert.equal(r.status(), 422);
    assert.match(await text(page.locator('#anchors-error')), /^Рядок 1: якір — це номер запису і його хеш/);
    assert.equal(await page.inputValue('#anchors'), '12:abc');
    assert.equal(await page.getAttribute('#anchors', 'aria-invalid'), 'true');
    assert.equal(await page.locator('#chain-result').count(), 0, 'no verification ran');
    await screenshot(page, 'audit-seal-bad-anchor.png');

    // Rows are sealed once a few seconds old: verify until the chain has an end to write down.
    let anchor = '';
    for (let i = 0; i < 12 && !anchor; i++) {
      await page.fill('#anchors', '');
      r = await submitAndGetPostResponse(page, '/audit/chain', VERIFY);
      assert.equal(r.status(), 200);
      assert.equal(await text(page.locator('#chain-result')), 'Ланцюжок цілий');
      if (await page.locator('#chain-anchor').count()) {
        anchor = await text(page.locator('#chain-anchor'));
      } else {
        await page.waitForTimeout(2000);
      }
    }
    assert.match(anchor, /^\d+:[0-9a-f]{64}$/, `the end of the chain: "${anchor}"`);

    // Given back, the anchor still matches, though the chain has grown since.
    await page.fill('#anchors', anchor);
    r = await submitAndGetPostResponse(page, '/audit/chain', VERIFY);
    assert.equal(r.status(), 200);
    assert.equal(await text(page.locator('#chain-result')), 'Ланцюжок цілий');
    assert.match(await text(page.locator('#chain-result-box')), /Звірено якорів: 1\./);
    assert.equal(await page.locator('#chain-problems').count(), 0);
    await screenshot(page, 'audit-seal-intact.png');

    // Each verification is itself in the audit log.
    await page.goto('/audit?action=audit_chain_verified');
    assert.ok((await page.locator('#audit-table tbody tr[data-action="audit_chain_verified"]').count()) >= 2);
  });
});
