// (d) A half-year report goes round: the executor submits it, the coordinator
// returns it with a comment (after being told a comment is needed), the
// executor fixes and resubmits it, the coordinator accepts it; the period
// dashboard counts it, and the consolidated DOCX/XLSX carry its text.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';
import { launch, withPage, signIn, screenshot, text, submitAndGetPostResponse } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// ---------------------------------------------------------------- small helpers

async function signOut(page) {
  await submitAndGetPostResponse(page, '/sign-out', 'header form[action="/sign-out"] button');
  assert.equal(new URL(page.url()).pathname, '/sign-in', `after sign-out at ${page.url()}`);
}

/** Clicks a link and waits for the page it leads to. */
async function follow(page, locator) {
  const href = await locator.getAttribute('href');
  await Promise.all([
    page.waitForURL((u) => u.pathname === new URL(href, u).pathname),
    locator.click(),
  ]);
  await page.waitForLoadState('load');
}

/** The dashboard's summary, as shown. */
async function totals(page) {
  const out = {};
  for (const k of ['expected', 'submitted', 'accepted', 'returned', 'completeness', 'timeliness']) {
    out[k] = await text(page.locator(`#total-${k}`));
  }
  for (const k of ['expected', 'submitted', 'accepted', 'returned']) {
    assert.match(out[k], /^\d+$/, `#total-${k} is not a count: "${out[k]}"`);
    out[k] = Number(out[k]);
  }
  return out;
}

/** The app's way of writing a share: "12,5 %", "50 %", "—" (mirrors domain::reporting::percent). */
function percent(part, whole) {
  if (whole === 0) return '—';
  const p = Math.floor((part * 1000 + Math.floor(whole / 2)) / whole);
  return p % 10 === 0 ? `${p / 10} %` : `${Math.floor(p / 10)},${p % 10} %`;
}

/** Sum of a column in a tally table on the dashboard (1-based column). */
async function columnSum(page, tableId, col) {
  const cells = await page.locator(`#${tableId} tbody tr td:nth-child(${col})`).allTextContents();
  return cells.reduce((s, c) => s + Number(c.trim()), 0);
}

/** A minimal ZIP reader: name → Buffer, through the central directory. */
function unzip(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  assert.ok(eocd >= 0, 'no end-of-central-directory record');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const files = new Map();
  for (let n = 0; n < count; n++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, `bad central directory entry ${n}`);
    const method = buf.readUInt16LE(p + 10);
    const compSize = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    assert.equal(buf.readUInt32LE(local), 0x04034b50, `bad local header for ${name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + compSize);
    if (method === 0) files.set(name, Buffer.from(raw));
    else if (method === 8) files.set(name, inflateRawSync(raw));
    else throw new Error(`${name}: compression method ${method}`);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

function xmlUnescape(s) {
  return s
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&amp;/g, '&');
}

/** The text of all <w:t>/<t> elements, joined (runs may split a sentence). */
function xmlText(xml, tag) {
  const re = new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`, 'g');
  let out = '';
  for (const m of xml.matchAll(re)) out += xmlUnescape(m[1]);
  return out;
}

/** Downloads what `selector` links to; returns { name, bytes }. */
async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const failure = await dl.failure();
  assert.equal(failure, null, `${selector}: download failed: ${failure}`);
  const bytes = await readFile(await dl.path());
  return { name: dl.suggestedFilename(), bytes };
}

// ---------------------------------------------------------------- the story

test('executor submits a report, coordinator returns it, executor fixes it, coordinator accepts it; dashboard and documents follow', async () => {
  await withPage(browser, async (page) => {
    const stamp = Date.now().toString().slice(-6);
    const firstText = `У звітному півріччі ПОЦЗ провів 14 тренінгів для фахівців громад щодо протидії домашньому насильству, охоплено 312 осіб (перевірка № ${stamp}).`;
    const addedText = `Додатково видано 500 буклетів «Куди звернутися по допомогу» у 22 громадах (№ ${stamp}).`;
    const comment = `Уточніть, будь ласка, кількість охоплених осіб за громадами (№ ${stamp}).`;

    // ---- 1. The executor finds this half-year's unsent report in "Мої звіти".
    await signIn(page, 'executor');
    const nav = page.locator('header nav a[href="/my-reports"]');
    assert.equal(await nav.count(), 1, 'executor has no "Мої звіти" in the navigation');
    assert.equal(await text(nav), 'Мої звіти');
    await follow(page, nav);
    assert.equal(new URL(page.url()).pathname, '/my-reports');
    assert.equal(await page.getAttribute('header nav a[href="/my-reports"]', 'aria-current'), 'page');
    const rows = page.locator('#my-reports tbody tr[data-report-id]');
    assert.ok((await rows.count()) >= 2, `#my-reports has ${await rows.count()} rows`);

    // The demo's returned report from the previous half-year shows its comment.
    const returnedRow = page.locator('#my-reports tr[data-report-id]', { has: page.locator('.comment') });
    assert.ok((await returnedRow.count()) >= 1, 'no row in #my-reports shows a coordinator\'s comment');
    const oldComment = await text(returnedRow.first().locator('.comment'));
    assert.ok(oldComment.startsWith('Коментар координатора:'), `comment shown as "${oldComment}"`);
    assert.ok(oldComment.length > 'Коментар координатора:'.length + 5, `empty comment: "${oldComment}"`);

    const all = [];
    for (let i = 0; i < (await rows.count()); i++) {
      const r = rows.nth(i);
      all.push({
        id: await r.getAttribute('data-report-id'),
        urgency: await r.getAttribute('data-urgency'),
        state: await text(r.locator('td:nth-child(4) .state')),
        period: await text(r.locator('td:nth-child(2)')),
      });
    }
    const draft = all.find((r) => (r.urgency === 'later' || r.urgency === 'due-soon') && r.state === 'Не подано');
    assert.ok(draft, `no unsent report of the current period in #my-reports: ${JSON.stringify(all)}`);
    const reportId = draft.id;
    const periodLabel = draft.period;
    assert.match(periodLabel, /півріччя \d{4} року$/, `period shown as "${periodLabel}"`);
    // The returned one belongs to an earlier half-year.
    const returnedPeriod = await text(returnedRow.first().locator('td:nth-child(2)'));
    assert.notEqual(returnedPeriod, periodLabel, 'the returned demo report is in the current period');
    await screenshot(page, 'my-reports.png');

    // ---- (baseline) The coordinator's dashboard before anything is sent.
    await signOut(page);
    await signIn(page, 'coordinator');
    const homeLink = page.locator('ul.waiting a[href^="/periods/"]', { hasText: periodLabel });
    assert.equal(await homeLink.count(), 1, `coordinator's home has no "${periodLabel}: … чекають розгляду" item`);
    const homeLinkText = await text(homeLink);
    const queuedBefore = Number((homeLinkText.match(/:\s*(\d+)/) || [])[1]);
    assert.ok(queuedBefore >= 1, `cannot read the queue size from "${homeLinkText}"`);
    const periodPath = await homeLink.getAttribute('href');
    await follow(page, homeLink);
    assert.equal(new URL(page.url()).pathname, periodPath);
    assert.equal(await text(page.locator('h1')), `Звітування: ${periodLabel}`);
    const t0 = await totals(page);
    assert.ok(t0.expected > 0, `#total-expected is ${t0.expected}`);
    assert.equal(t0.completeness, percent(t0.submitted, t0.expected), 'completeness before the report');
    assert.equal(await page.locator(`#review-queue a[href="/reports/${reportId}"]`).count(), 0,
      'the unsent report is already in #review-queue');
    // The same period is also reachable from the plan's page.
    const planLink = page.locator('main p.muted a[href^="/plans/"]').first();
    const planPath = await planLink.getAttribute('href');
    await follow(page, planLink);
    const fromPlan = page.locator(`#periods a[href="${periodPath}"]`);
    assert.equal(await fromPlan.count(), 1, `${planPath} lists no link to ${periodPath} under #periods`);
    // (The plan page writes the half-year without "року"; the other pages with it.)
    assert.equal((await text(fromPlan)).replace(/ року$/, ''), periodLabel.replace(/ року$/, ''));
    await signOut(page);

    // ---- 2. The executor writes and submits the report.
    await signIn(page, 'executor');
    await follow(page, page.locator('header nav a[href="/my-reports"]'));
    await follow(page, page.locator(`#my-reports tr[data-report-id="${reportId}"] a[href="/reports/${reportId}"]`));
    assert.equal(new URL(page.url()).pathname, `/reports/${reportId}`);
    assert.equal(await page.getAttribute('#report-state', 'data-state'), 'draft');
    assert.equal(await text(page.locator('#report-state')), 'Не подано');
    await page.fill('#text', firstText);
    const sent = await submitAndGetPostResponse(page, `/reports/${reportId}`, '#submit-report');
    assert.ok(sent && sent.status() >= 300 && sent.status() < 400, `submitting answered ${sent?.status()}`);
    assert.equal(new URL(page.url()).pathname, `/reports/${reportId}`, `after submitting at ${page.url()}`);
    assert.equal(await text(page.locator('.notice')), 'Звіт подано координатору.');
    assert.equal(await page.getAttribute('#report-state', 'data-state'), 'submitted');
    assert.equal(await page.locator('#submit-report').count(), 0, 'a submitted report can still be submitted');
    assert.equal(await text(page.locator('#report-text')), firstText, 'the submitted text is not shown');
    await signOut(page);

    // ---- 3. The coordinator sees it in the queue and returns it.
    await signIn(page, 'coordinator');
    const homeLink2 = page.locator(`ul.waiting a[href="${periodPath}"]`);
    assert.equal(await homeLink2.count(), 1, `coordinator's home lost the link to ${periodPath}`);
    const queued2 = Number(((await text(homeLink2)).match(/:\s*(\d+)/) || [])[1]);
    assert.equal(queued2, queuedBefore + 1, `home: queue was ${queuedBefore}, now "${await text(homeLink2)}"`);
    await follow(page, homeLink2);
    const t1 = await totals(page);
    assert.equal(t1.expected, t0.expected, '#total-expected changed');
    assert.equal(t1.submitted, t0.submitted + 1, '#total-submitted after the submission');
    assert.equal(t1.accepted, t0.accepted, '#total-accepted after the submission');
    assert.equal(t1.completeness, percent(t1.submitted, t1.expected), '#total-completeness after the submission');
    assert.equal(t1.timeliness, percent(await columnSum(page, 'by-goal', 4), t1.expected), '#total-timeliness vs the on-time counts');
    assert.equal(await columnSum(page, 'by-goal', 3), t1.submitted, '#by-goal submitted does not add up to the total');
    assert.equal(await columnSum(page, 'by-executor', 3), t1.submitted, '#by-executor submitted does not add up to the total');
    const queued = page.locator(`#review-queue a[href="/reports/${reportId}"]`);
    assert.equal(await queued.count(), 1, 'the submitted report is not in #review-queue');
    assert.equal(await text(page.locator('#queue-h')), `Чекають розгляду (${queuedBefore + 1})`);
    await follow(page, queued);
    assert.equal(new URL(page.url()).pathname, `/reports/${reportId}`);
    assert.equal(await page.getAttribute('#report-state', 'data-state'), 'submitted');
    assert.equal(await text(page.locator('#report-text')), firstText, 'the coordinator does not see the text');
    assert.equal(await page.getAttribute(`main a[href="${periodPath}"]`, 'href'), periodPath, 'no way back to the dashboard');

    // Returning without a comment: told so beside the field.
    assert.equal(await page.inputValue('#comment'), '');
    const bad = await submitAndGetPostResponse(page, `/reports/${reportId}/review`, '#return-report');
    assert.equal(bad?.status(), 422, `returning without a comment answered ${bad?.status()}`);
    const err = page.locator('p#comment-error');
    assert.equal(await err.count(), 1, 'no p#comment-error');
    assert.equal(await text(err), 'Напишіть, що треба виправити.');
    assert.ok(await err.isVisible(), '#comment-error is not visible');
    assert.equal(await page.getAttribute('#comment', 'aria-invalid'), 'true');
    assert.equal(await page.getAttribute('#comment', 'aria-describedby'), 'comment-error');
    assert.ok(await page.$eval('p#comment-error', (p) => p.closest('.field')?.querySelector('#comment') !== null),
      '#comment-error is not beside #comment');
    assert.equal(await page.getAttribute('#report-state', 'data-state'), 'submitted', 'the state changed on a failed return');
    await screenshot(page, 'report-return-error.png');

    await page.fill('#comment', comment);
    const ret = await submitAndGetPostResponse(page, `/reports/${reportId}/review`, '#return-report');
    assert.ok(ret && ret.status() >= 300 && ret.status() < 400, `returning answered ${ret?.status()}`);
    assert.equal(await page.getAttribute('#report-state', 'data-state'), 'returned');
    assert.equal(await text(page.locator('.notice')), 'Звіт повернуто виконавцю з коментарем.');
    assert.equal(await page.locator('#review').count(), 0, 'a returned report still offers review');
    const history = await text(page.locator('#history'));
    assert.ok(history.includes(comment), `#history lacks the comment: "${history}"`);
    await signOut(page);

    // ---- 4. The executor sees the comment, fixes the text and resubmits.
    await signIn(page, 'executor');
    await follow(page, page.locator('header nav a[href="/my-reports"]'));
    const myRow = page.locator(`#my-reports tr[data-report-id="${reportId}"]`);
    assert.equal(await myRow.count(), 1, 'the returned report vanished from #my-reports');
    assert.equal(await text(myRow.locator('.comment')), `Коментар координатора: ${comment}`);
    assert.equal(await text(myRow.locator('.state')), 'Повернуто на доопрацювання');
    await screenshot(page, 'my-reports-returned.png');
    await follow(page, myRow.locator(`a[href="/reports/${reportId}"]`));
    assert.equal(await page.getAttribute('#report-state', 'data-state'), 'returned');
    const shown = await text(page.locator('#return-comment'));
    assert.ok(shown.includes(comment), `#return-comment is "${shown}"`);
    assert.equal(await page.inputValue('#text'), firstText, 'the returned report lost its text');
    await screenshot(page, 'report-returned.png');
    const fixedText = `${firstText} ${addedText}`;
    await page.fill('#text', fixedText);
    const resent = await submitAndGetPostResponse(page, `/reports/${reportId}`, '#submit-report');
    assert.ok(resent && resent.status() >= 300 && resent.status() < 400, `resubmitting answered ${resent?.status()}`);
    assert.equal(await text(page.locator('.notice')), 'Звіт подано координатору.');
    assert.equal(await page.getAttribute('#report-state', 'data-state'), 'submitted');
    assert.equal(await page.locator('#return-comment').count(), 0, 'the old comment is still shown after resubmitting');
    await signOut(page);

    // ---- 5. The coordinator accepts it; the dashboard counts it.
    await signIn(page, 'coordinator');
    await follow(page, page.locator(`ul.waiting a[href="${periodPath}"]`));
    await follow(page, page.locator(`#review-queue a[href="/reports/${reportId}"]`));
    assert.equal(await page.getAttribute('#report-state', 'data-state'), 'submitted');
    assert.equal(await text(page.locator('#report-text')), fixedText);
    const acc = await submitAndGetPostResponse(page, `/reports/${reportId}/review`, '#accept-report');
    assert.ok(acc && acc.status() >= 300 && acc.status() < 400, `accepting answered ${acc?.status()}`);
    assert.equal(await page.getAttribute('#report-state', 'data-state'), 'accepted');
    assert.equal(await text(page.locator('.notice')), 'Звіт прийнято.');
    await follow(page, page.locator(`main a[href="${periodPath}"]`).last());
    assert.equal(new URL(page.url()).pathname, periodPath);
    const t2 = await totals(page);
    assert.equal(t2.accepted, t1.accepted + 1, '#total-accepted after accepting');
    assert.equal(t2.submitted, t0.submitted + 1, '#total-submitted after accepting');
    assert.equal(t2.returned, t0.returned, '#total-returned after accepting');
    assert.equal(t2.completeness, percent(t2.submitted, t2.expected), '#total-completeness after accepting');
    assert.equal(t2.completeness, t1.completeness);
    assert.equal(await page.locator(`#review-queue a[href="/reports/${reportId}"]`).count(), 0, 'accepted report still queued');
    await screenshot(page, 'dashboard.png');

    // ---- 6. The consolidated documents.
    const docx = await download(page, '#download-docx');
    assert.match(docx.name, /\.docx$/, `DOCX named "${docx.name}"`);
    assert.ok(docx.bytes.length > 0, 'empty DOCX');
    assert.equal(docx.bytes.subarray(0, 2).toString('latin1'), 'PK', 'the DOCX is not a ZIP');
    const docxFiles = unzip(docx.bytes);
    assert.ok(docxFiles.has('word/document.xml'), `DOCX entries: ${[...docxFiles.keys()].join(', ')}`);
    const docText = xmlText(docxFiles.get('word/document.xml').toString('utf8'), 'w:t');
    assert.ok(docText.includes(firstText), 'the DOCX lacks the report\'s text');
    assert.ok(docText.includes(addedText), 'the DOCX lacks the sentence added after the return');
    assert.ok(docText.includes(periodLabel), `the DOCX does not name the period "${periodLabel}"`);

    const xlsx = await download(page, '#download-xlsx');
    assert.match(xlsx.name, /\.xlsx$/, `XLSX named "${xlsx.name}"`);
    assert.ok(xlsx.bytes.length > 0, 'empty XLSX');
    assert.equal(xlsx.bytes.subarray(0, 2).toString('latin1'), 'PK', 'the XLSX is not a ZIP');
    const xlsxFiles = unzip(xlsx.bytes);
    assert.ok(xlsxFiles.has('xl/workbook.xml'), `XLSX entries: ${[...xlsxFiles.keys()].join(', ')}`);
    let cells = '';
    for (const [name, data] of xlsxFiles) {
      if (/^xl\/(sharedStrings\.xml|worksheets\/.*\.xml)$/.test(name)) cells += xmlText(data.toString('utf8'), 't') + '\n';
    }
    assert.ok(cells.includes(addedText), 'the XLSX lacks the report\'s text');
  });
});
