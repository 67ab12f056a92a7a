// (issue 4) Cases: an adult's identification notice goes all the way to the
// status certificate and the journal; a child's notice reaches the children's
// service, which sees only what was shared.
//
// The people typed in here are invented; their names are listed in
// people.json, and run.sh checks that none of them reached the server log.
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

/** Opens a page through the header navigation, as a user would; insists the link is there. */
async function navTo(page, href) {
  const link = page.locator(`header nav a[href="${href}"]`);
  assert.equal(await link.count(), 1, `no "${href}" in the navigation of ${page.url()}`);
  await follow(page, link);
  assert.equal(new URL(page.url()).pathname, href);
  assert.equal(await page.getAttribute(`header nav a[href="${href}"]`, 'aria-current'), 'page', `${href} not marked current`);
}

/** Asserts a POST answered with a redirect (303/302) and returns where the browser is now. */
function assertRedirected(response, what) {
  const status = response?.status();
  assert.ok(status >= 300 && status < 400, `${what} answered ${status}`);
}

/** `yyyy-mm-dd` ↔ a UTC Date, and the app's `dd.mm.yyyy`. */
function parseIso(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}
function iso(date) {
  return date.toISOString().slice(0, 10);
}
function dmy(isoDate) {
  const [y, m, d] = isoDate.split('-');
  return `${d}.${m}.${y}`;
}
function parseDmy(s) {
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(s);
  assert.ok(m, `"${s}" is not a dd.mm.yyyy date`);
  return new Date(Date.UTC(Number(m[3]), Number(m[2]) - 1, Number(m[1])));
}
function addDays(date, n) {
  return new Date(date.getTime() + n * 86_400_000);
}

/**
 * The due date shown for a step: `days` calendar days after `event`, moved
 * off a weekend (or a holiday the administrator entered) — so at least that
 * day, at most a week later, and never on a Saturday or Sunday.
 */
function assertDue(shown, event, days, what) {
  const due = parseDmy(shown);
  const earliest = addDays(event, days);
  assert.ok(due >= earliest, `${what}: due ${shown}, expected on or after ${iso(earliest)}`);
  assert.ok(due <= addDays(earliest, 7), `${what}: due ${shown}, too long after ${iso(earliest)}`);
  assert.ok(due.getUTCDay() !== 0 && due.getUTCDay() !== 6, `${what}: due ${shown} falls on a weekend`);
}

/** A select's option whose label contains `label`; returns its value. */
async function optionValue(page, selector, label) {
  const value = await page.$eval(selector, (sel, wanted) => {
    const opt = [...sel.options].find((o) => o.textContent.includes(wanted));
    return opt ? opt.value : null;
  }, label);
  assert.ok(value, `${selector} has no option labelled "${label}"`);
  return value;
}

/** A fact list (<dl>) as label → value. */
async function facts(page, selector) {
  return page.$eval(selector, (dl) => {
    const out = {};
    for (const dt of dl.querySelectorAll('dt')) {
      const dd = dt.nextElementSibling;
      out[dt.textContent.replace(/\s+/g, ' ').trim()] = (dd?.textContent || '').replace(/\s+/g, ' ').trim();
    }
    return out;
  });
}

/** The procedure's state as its page marks it. */
async function procState(page) {
  return page.getAttribute('#proc-state', 'data-state');
}

/** Records a procedure step through its form; insists on the step being recorded. */
async function recordStep(page, procId, action, fill) {
  const form = page.locator(`#form-${action}`);
  assert.equal(await form.count(), 1, `the procedure page offers no #form-${action}`);
  if (fill) await fill(form);
  const r = await submitAndGetPostResponse(page, `/procedures/${procId}/steps/${action}`, `#${action}-submit`);
  if (!(r && r.status() >= 300 && r.status() < 400)) {
    const alerts = await page.locator('[role=alert], p.error').allTextContents();
    assert.fail(`step ${action} answered ${r?.status()}: ${alerts.join(' | ')}`);
  }
  assert.equal(new URL(page.url()).pathname, `/procedures/${procId}`, `after ${action} at ${page.url()}`);
  assert.equal(await text(page.locator('#flash')), 'Крок записано.', `flash after ${action}`);
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

/** The cell texts of a workbook (shared strings, inline strings), one list. */
function xlsxCells(files) {
  const cells = [];
  for (const [name, data] of files) {
    if (!/^xl\/(sharedStrings\.xml|worksheets\/.*\.xml)$/.test(name)) continue;
    const xml = data.toString('utf8');
    // One entry per <si> (shared string) or <is> (inline string), runs joined.
    for (const m of xml.matchAll(/<(si|is)>([\s\S]*?)<\/\1>/g)) cells.push(xmlText(m[2], 't'));
    // Plain values (<v>) of cells that are not shared-string indexes count too.
    for (const m of xml.matchAll(/<c\b([^>]*)>\s*<v>([^<]*)<\/v>/g)) {
      if (!/\bt="s"/.test(m[1])) cells.push(xmlUnescape(m[2]));
    }
  }
  return cells;
}

/** Downloads what `selector` links to; returns { name, bytes }. */
async function download(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const failure = await dl.failure();
  assert.equal(failure, null, `${selector}: download failed: ${failure}`);
  const bytes = await readFile(await dl.path());
  return { name: dl.suggestedFilename(), bytes };
}

/** Fills the notice form (at /notices/new) with `n`; leaves out what `n` leaves out. */
async function fillNotice(page, n) {
  if (n.identified_on !== undefined) await page.fill('#identified_on', n.identified_on);
  await page.selectOption('#territory_id', await optionValue(page, '#territory_id', n.territory));
  await page.selectOption('#came_to_attention', n.came_to_attention);
  if (n.is_child) await page.check('#is_child');
  await page.check(`#sex-${n.sex}`);
  await page.check(`#consent-${n.consent}`);
  for (const [field, value] of Object.entries(n.person)) await page.fill(`#${field}`, value);
  for (const code of n.forms) await page.check(`#forms-${code}`);
  if (n.circumstances) await page.fill('#circumstances', n.circumstances);
}

/** The code of the first form of exploitation the notice form offers. */
async function firstFormCode(page) {
  const code = await page.getAttribute('#forms-set input[type=checkbox]', 'value');
  assert.ok(code, 'the notice form offers no forms of exploitation');
  return code;
}

/** Sends the filled notice form; insists on the confirmation page; returns what it shows. */
async function sendNotice(page) {
  const r = await submitAndGetPostResponse(page, '/notices', '#send-notice');
  // Post/redirect/get: the notice is recorded once and the confirmation is a page of its own.
  if (r?.status() !== 303 || (await page.locator('#notice-done').count()) !== 1) {
    const problems = await page.locator('[role=alert], p.error').allTextContents();
    assert.fail(`POST /notices answered ${r?.status()} without a confirmation: ${problems.join(' | ')}`);
  }
  // Nothing of the notice goes into a URL: the case id and a flash code only.
  assert.match(new URL(page.url()).pathname, /^\/notices\/\d+$/, `after sending the notice at ${page.url()}`);
  assert.equal(new URL(page.url()).search, '?done=recorded', `the confirmation's URL carries more: ${page.url()}`);
  return {
    reference: await text(page.locator('#notice-reference')),
    unit: await text(page.locator('#notice-unit')),
  };
}

// ---------------------------------------------------------------- 1. the adult's case

test("an adult's case goes from notice to certificate", async () => {
  await withPage(browser, async (page) => {
    const stamp = Date.now().toString().slice(-6);
    const person = {
      surname: 'Ґудзоватенко',
      given_name: 'Мирослава',
      patronymic: 'Остапівна',
      birth_date: '1994-03-17',
      phone: '+380 50 000 14 27',
    };
    const fullName = `${person.surname} ${person.given_name} ${person.patronymic}`;
    const proceedingsRef = `1202617000000${stamp.slice(-4)}`;
    const certificateNo = `ДС-${stamp}`;

    // ---- 1. The NGO records a notice; the first try has a hole and a future date.
    await signIn(page, 'ngo');
    await navTo(page, '/notices');
    const sentBefore = await page.locator('#sent tbody tr').count();
    const newLink = page.locator('a#new-notice[href="/notices/new"]');
    assert.equal(await newLink.count(), 1, 'the NGO has no link to record a notice on /notices');
    await follow(page, newLink);
    assert.equal(new URL(page.url()).pathname, '/notices/new');
    assert.equal(await page.getAttribute('html', 'lang'), 'uk');
    // The form suggests today (the server's day, in Kyiv) as the day of identification.
    const todayIso = await page.inputValue('#identified_on');
    assert.match(todayIso, /^\d{4}-\d{2}-\d{2}$/, `#identified_on defaults to "${todayIso}"`);
    const today = parseIso(todayIso);
    const year = todayIso.slice(0, 4);
    const future = iso(addDays(today, 3));
    const formCode = await firstFormCode(page);

    const notice = {
      identified_on: future,
      territory: 'Полтавський район',
      came_to_attention: 'ngo',
      sex: 'female',
      consent: 'yes',
      person: { ...person, given_name: '' },
      forms: [formCode],
      circumstances: `Працювала без оплати на складі, документи забрали (перевірка № ${stamp}).`,
    };
    await fillNotice(page, notice);
    const territoryValue = await page.inputValue('#territory_id');

    const bad = await submitAndGetPostResponse(page, '/notices', '#send-notice');
    assert.equal(bad?.status(), 422, `POST /notices with a missing name and a future date answered ${bad?.status()}`);
    assert.equal(await page.locator('#notice-done').count(), 0, 'a notice with errors was recorded');
    // The messages sit beside their fields …
    for (const [field, message] of [
      ['given_name', 'Заповніть це поле.'],
      ['identified_on', 'Дата не може бути в майбутньому.'],
    ]) {
      const err = page.locator(`p#${field}-error`);
      assert.equal(await err.count(), 1, `no p#${field}-error`);
      assert.equal(await text(err), message, `#${field}-error`);
      assert.ok(await err.isVisible(), `#${field}-error is not visible`);
      assert.equal(await page.getAttribute(`#${field}`, 'aria-invalid'), 'true', `#${field} not marked invalid`);
      assert.ok(((await page.getAttribute(`#${field}`, 'aria-describedby')) || '').split(/\s+/).includes(`${field}-error`),
        `#${field} is not described by its error`);
      assert.ok(await page.$eval(`p#${field}-error`, (p, f) => p.closest('.field')?.querySelector(`#${f}`) !== null, field),
        `#${field}-error is not beside #${field}`);
    }
    assert.equal(await page.locator('[aria-invalid="true"]').count(), 2, 'fields other than the two are marked invalid');
    // The first field with a problem (in the form's order) gets the focus.
    assert.equal(await page.getAttribute('#identified_on', 'autofocus'), '', '#identified_on does not get the focus');
    // … and what was typed is kept.
    assert.equal(await page.inputValue('#surname'), person.surname, 'the surname was lost');
    assert.equal(await page.inputValue('#patronymic'), person.patronymic, 'the patronymic was lost');
    assert.equal(await page.inputValue('#birth_date'), person.birth_date, 'the birth date was lost');
    assert.equal(await page.inputValue('#phone'), person.phone, 'the phone was lost');
    assert.equal(await page.inputValue('#identified_on'), future, 'the typed date was replaced');
    assert.equal(await page.inputValue('#territory_id'), territoryValue, 'the territory was lost');
    assert.equal(await page.inputValue('#came_to_attention'), notice.came_to_attention, '"came to attention" was lost');
    assert.equal(await page.isChecked('#sex-female'), true, 'the sex was lost');
    assert.equal(await page.isChecked('#consent-yes'), true, 'the consent was lost');
    assert.equal(await page.isChecked(`#forms-${formCode}`), true, 'the form of exploitation was lost');
    assert.equal(await page.inputValue('#circumstances'), notice.circumstances, 'the circumstances were lost');
    await screenshot(page, 'notice-form-errors.png');

    // Fixed, it goes through; the confirmation names the case reference and the unit.
    await page.fill('#given_name', person.given_name);
    await page.fill('#identified_on', todayIso);
    const done = await sendNotice(page);
    const reference = done.reference;
    assert.match(reference, new RegExp(`^UA53-${year}-\\d{5,}$`), `case reference shown as "${reference}"`);
    assert.equal(done.unit, 'Полтавська РВА', 'the notice went to another unit');
    assert.equal(await page.locator('#notice-children-service').count(), 0, "an adult's notice went to the children's service");
    assert.ok(!(await text(page.locator('main'))).includes(person.surname), 'the confirmation shows the person\'s name');
    await screenshot(page, 'notice-done.png');

    // The NGO sees it among its sent notices, waiting at the unit.
    await page.goto('/notices');
    assert.equal(await page.locator('#sent tbody tr').count(), sentBefore + 1, 'the failed try was recorded too, or this one was not');
    const sentRow = page.locator('#sent tbody tr', { hasText: reference });
    assert.equal(await sentRow.count(), 1, `#sent lacks ${reference}`);
    assert.equal(await sentRow.locator('.state-notice').count(), 1, `the sent notice is not waiting: "${await text(sentRow)}"`);
    await signOut(page);

    // ---- 2. The case officer accepts it; the case opens.
    await signIn(page, 'officer');
    await navTo(page, '/notices');
    const incoming = page.locator('#incoming tbody tr', { has: page.locator('td:first-child a', { hasText: reference }) });
    assert.equal(await incoming.count(), 1, `the officer's #incoming lacks ${reference}`);
    const caseId = await incoming.getAttribute('data-notice-id');
    assert.match(caseId, /^\d+$/);
    const incomingText = await text(incoming);
    assert.ok(incomingText.includes('Світло надії'), `the incoming row does not say who sent it: "${incomingText}"`);
    assert.ok(!incomingText.includes(person.surname), 'the incoming notice list shows the person\'s name');
    await screenshot(page, 'notices-incoming.png');
    const accepted = await submitAndGetPostResponse(page, `/notices/${caseId}/accept`, `#accept-${caseId}`);
    assertRedirected(accepted, 'accepting the notice');
    assert.equal(new URL(page.url()).pathname, `/cases/${caseId}`, `after accepting at ${page.url()}`);
    assert.equal(await text(page.locator('p.notice')), 'Повідомлення прийнято, справу відкрито.');
    assert.equal(await page.getAttribute('#case-state', 'data-state'), 'open');
    assert.equal(await text(page.locator('#case-reference')), reference);
    await page.goto('/notices');
    assert.equal(await page.locator(`#incoming tr[data-notice-id="${caseId}"]`).count(), 0, 'an accepted notice is still incoming');

    // Finding the case by its reference.
    await navTo(page, '/cases');
    await page.fill('#ref', reference.toLowerCase());
    const searched = await submitAndGetPostResponse(page, '/cases/search', '#case-search button[type=submit]');
    assertRedirected(searched, 'the reference search');
    assert.equal(new URL(page.url()).searchParams.get('ref'), reference, `search landed at ${page.url()}`);
    assert.equal(await page.locator('#cases tbody tr').count(), 1, 'the search by reference finds more or less than one case');
    await follow(page, page.locator(`#cases tr[data-case-id="${caseId}"] a[href="/cases/${caseId}"]`));
    assert.equal(await page.getAttribute('#case-state', 'data-state'), 'open');
    const personFacts = await text(page.locator('#case-person'));
    assert.ok(personFacts.includes(fullName), `#case-person lacks the name: "${personFacts}"`);
    assert.ok(personFacts.includes(dmy(person.birth_date)), `#case-person lacks the birth date: "${personFacts}"`);
    assert.equal(await page.locator('#procedures').count(), 0, 'a new case already has a procedure');
    await screenshot(page, 'case-open.png');

    // ---- 3. Registering the application opens the procedure.
    await follow(page, page.locator('#register-application'));
    assert.equal(new URL(page.url()).pathname, `/cases/${caseId}/application/new`);
    assert.equal(await page.inputValue('#applicant'), fullName, 'the applicant is not suggested from the person');
    assert.equal(await page.inputValue('#registered_on'), todayIso);
    const registered = await submitAndGetPostResponse(page, `/cases/${caseId}/application`, '#register');
    assertRedirected(registered, 'registering the application');
    const procPath = new URL(page.url()).pathname;
    assert.match(procPath, /^\/procedures\/\d+$/, `after registering at ${page.url()}`);
    const procId = procPath.split('/')[2];
    assert.equal(await text(page.locator('#flash')), 'Заяву зареєстровано в журналі.');
    assert.equal(await procState(page), 'registered');
    const journalNo = await text(page.locator('#journal-number'));
    assert.match(journalNo, new RegExp(`^\\d+/${year}$`), `journal number shown as "${journalNo}"`);
    assert.equal(await text(page.locator('#applicant')), fullName);
    assert.equal(await text(page.locator('#registered-on')), dmy(todayIso));
    // The next step and its due date: the interview, 3 days on.
    assert.ok((await text(page.locator('#next-step strong').first())).startsWith('Співбесіда'), 'the next step is not the interview');
    const interviewDue = await text(page.locator('#next-due'));
    assertDue(interviewDue, today, 3, 'interview');
    assert.equal(await page.getAttribute('#next-step', 'data-urgency'), 'on_time');
    await screenshot(page, 'procedure-registered.png');

    // The deadline list says the same.
    await navTo(page, '/deadlines');
    const dl = page.locator(`#deadlines tr[data-procedure-id="${procId}"]`);
    assert.equal(await dl.count(), 1, 'the new procedure is not on /deadlines');
    const dlCells = (await dl.locator('td').allTextContents()).map((s) => s.trim());
    assert.equal(dlCells[0], reference, '/deadlines: reference');
    assert.equal(dlCells[1], journalNo, '/deadlines: journal number');
    assert.equal(dlCells[3], interviewDue, '/deadlines: due date');
    await follow(page, dl.locator(`a[href="/procedures/${procId}"]`));

    // ---- 4. The interview, with consent and the non-disclosure undertaking.
    assert.equal(await page.inputValue('#interview-on'), todayIso, 'the step date does not default to today');
    await recordStep(page, procId, 'interview', async () => {
      await page.fill('#interview-text', `Особа розповіла, як її утримували на складі (перевірка № ${stamp}).`);
      await page.check('#interview-consent');
      await page.check('#interview-non_disclosure');
    });
    assert.equal(await procState(page), 'interviewed');
    assert.equal(await text(page.locator('#fact-interview')), dmy(todayIso));
    assert.equal(await text(page.locator('#fact-interview-consent')), 'так');
    assert.equal(await text(page.locator('#fact-non-disclosure')), 'так');
    assert.ok((await text(page.locator('#next-step strong').first())).startsWith('Запит до поліції'), 'the next step is not the police request');
    assertDue(await text(page.locator('#next-due')), today, 3, 'police request');
    assert.equal(await page.locator('#form-interview').count(), 0, 'the interview can be recorded twice');

    // ---- 5. The police request goes to the police as a referral.
    await recordStep(page, procId, 'police_request');
    assert.equal(await procState(page), 'police_requested');
    assert.equal(await text(page.locator('#fact-police-request')), dmy(todayIso));
    const policeRef = page.locator('#police-referral');
    assert.equal(await policeRef.count(), 1, 'the procedure does not show the police referral');
    assert.equal(await policeRef.getAttribute('data-state'), 'sent');
    const referralHref = await policeRef.locator('a').getAttribute('href');
    assert.match(referralHref, /^\/referrals\/\d+$/);
    const referralId = referralHref.split('/')[2];
    assert.ok((await text(page.locator('#next-step strong').first())).startsWith('Відповідь поліції'), 'the next step is not the police reply');
    const replyDue = await text(page.locator('#next-due'));
    assertDue(replyDue, today, 10, 'police reply');
    await screenshot(page, 'procedure-police-requested.png');
    await signOut(page);

    // ---- 6. The police accept the request and answer it.
    await signIn(page, 'police');
    await navTo(page, '/referrals');
    const inboxRow = page.locator(`#inbox tr[data-referral-id="${referralId}"]`);
    assert.equal(await inboxRow.count(), 1, `the police inbox lacks referral ${referralId}`);
    const inboxCells = (await inboxRow.locator('td').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
    assert.equal(inboxCells[0], reference, 'police inbox: reference');
    assert.equal(inboxCells[2], 'Запит до поліції', 'police inbox: purpose');
    assert.equal(inboxCells[4], replyDue, 'police inbox: the due date differs from the procedure\'s');
    await follow(page, inboxRow.locator(`a[href="/referrals/${referralId}"]`));
    assert.equal(await page.getAttribute('#referral-state', 'data-state'), 'sent');
    assert.equal(await text(page.locator('#referral-reference')), reference);
    const sharedWithPolice = await text(page.locator('#shared'));
    assert.ok(sharedWithPolice.includes(fullName), `the police do not see the name: "${sharedWithPolice}"`);
    assert.ok(sharedWithPolice.includes(dmy(person.birth_date)), `the police do not see the birth date: "${sharedWithPolice}"`);
    assert.ok(!(await text(page.locator('main'))).includes(person.phone), 'the police see the phone, which was not shared');
    assert.equal(await page.locator('#case-link').count(), 0, 'the police get a link to the whole case');

    const acc = await submitAndGetPostResponse(page, `/referrals/${referralId}/accept`, '#accept-referral');
    assertRedirected(acc, 'accepting the police request');
    assert.equal(await text(page.locator('p.notice')), 'Направлення прийнято.');
    assert.equal(await page.getAttribute('#referral-state', 'data-state'), 'accepted');
    await page.check('#proceedings_found-yes');
    await page.fill('#proceedings_ref', proceedingsRef);
    const ans = await submitAndGetPostResponse(page, `/referrals/${referralId}/answer`, '#answer-referral');
    assertRedirected(ans, 'answering the police request');
    assert.equal(await text(page.locator('p.notice')), 'Відповідь надіслано.');
    assert.equal(await page.getAttribute('#referral-state', 'data-state'), 'answered');
    assert.ok((await text(page.locator('#referral-facts'))).includes(proceedingsRef), 'the answer does not show the proceedings number');
    await screenshot(page, 'police-answered.png');
    await signOut(page);

    // ---- 7. The officer sees the reply, concludes, grants the status.
    await signIn(page, 'officer');
    await navTo(page, '/deadlines');
    await follow(page, page.locator(`#deadlines tr[data-procedure-id="${procId}"] a[href="/procedures/${procId}"]`));
    assert.equal(await procState(page), 'police_answered', 'the police answer did not record the police reply');
    assert.equal(await text(page.locator('#fact-police-reply')), dmy(todayIso));
    assert.equal(await text(page.locator('#fact-proceedings')), 'Кримінальне провадження відкрито');
    assert.equal(await text(page.locator('#fact-proceedings-ref')), proceedingsRef);
    assert.equal(await page.getAttribute('#police-referral', 'data-state'), 'answered');
    assert.ok((await text(page.locator('#next-step strong').first())).startsWith('Рішення'), 'the next step is not the decision');
    assertDue(await text(page.locator('#next-due')), today, 10, 'decision');
    assert.equal(await page.locator('#form-police_reply').count(), 0, 'the police reply can still be typed in after the police answered');
    await screenshot(page, 'procedure-police-answered.png');

    const conclusion = `Обставини підтверджено відповіддю поліції, підстави для встановлення статусу є (перевірка № ${stamp}).`;
    await recordStep(page, procId, 'conclusion', async () => {
      await page.fill('#conclusion-text', conclusion);
    });
    assert.equal(await procState(page), 'concluded');
    assert.equal(await text(page.locator('#fact-conclusion')), conclusion);

    // The certificate number defaults to the journal number; this unit numbers them its own way.
    assert.equal(await page.inputValue('#grant-certificate_no'), journalNo, 'the certificate number does not default to the journal number');
    await recordStep(page, procId, 'grant', async () => {
      await page.fill('#grant-certificate_no', certificateNo);
    });
    assert.equal(await procState(page), 'granted');
    assert.equal(await text(page.locator('#fact-certificate-no')), certificateNo);
    assert.equal(await text(page.locator('#fact-decided-on')), dmy(todayIso));
    const validUntil = parseDmy(await text(page.locator('#fact-valid-until')));
    assert.ok(validUntil > today && validUntil <= addDays(today, 2 * 366),
      `the certificate is valid until ${iso(validUntil)}: not within two years`);
    assert.ok((await text(page.locator('#next-step strong').first())).startsWith('Повідомлення особи'), 'the next step is not the notification');
    assertDue(await text(page.locator('#next-due')), today, 3, 'notification');
    await screenshot(page, 'procedure-granted.png');

    // ---- 8. The certificate.
    const docx = await download(page, '#certificate-link');
    assert.equal(docx.name, `certificate-${reference}.docx`, 'the certificate\'s file name');
    assert.equal(docx.bytes.subarray(0, 2).toString('latin1'), 'PK', 'the certificate is not a ZIP');
    const docxFiles = unzip(docx.bytes);
    assert.ok(docxFiles.has('word/document.xml'), `DOCX entries: ${[...docxFiles.keys()].join(', ')}`);
    const docText = xmlText(docxFiles.get('word/document.xml').toString('utf8'), 'w:t');
    assert.ok(docText.includes(certificateNo), 'the certificate lacks its number');
    assert.ok(docText.includes(person.surname), 'the certificate lacks the person\'s surname');
    assert.ok(docText.includes(reference), 'the certificate lacks the case reference');
    assert.ok(!/\{\{|\{[a-z_]+\}/.test(docText), `the certificate has an unfilled placeholder: "${docText.match(/\{\{?[^}]*\}?\}/)?.[0]}"`);

    // ---- 9. The notification closes the steps.
    await recordStep(page, procId, 'notify');
    assert.equal(await procState(page), 'notified');
    assert.equal(await text(page.locator('#fact-notified')), dmy(todayIso));
    assert.equal(await page.locator('#next-due').count(), 0, 'a notified procedure still shows a due date');
    assert.equal(await text(page.locator('#next-step')), 'Кроків зі строками немає.');
    await page.goto('/deadlines');
    assert.equal(await page.locator(`#deadlines tr[data-procedure-id="${procId}"]`).count(), 0, 'a finished procedure is still on /deadlines');

    // The case page lists the procedure.
    await page.goto(`/cases/${caseId}`);
    const procRow = page.locator(`#procedures a[href="/procedures/${procId}"]`);
    assert.equal(await procRow.count(), 1, 'the case page does not list the procedure');
    assert.equal(await text(procRow), journalNo);

    // ---- 10. The journal, on the page and as XLSX for this year.
    await navTo(page, '/journal');
    const jRow = page.locator(`#journal tr[data-procedure-id="${procId}"]`);
    assert.equal(await jRow.count(), 1, '/journal lacks the procedure');
    const jText = await text(jRow);
    for (const expected of [journalNo, reference, fullName, certificateNo, proceedingsRef]) {
      assert.ok(jText.includes(expected), `the journal row lacks "${expected}": "${jText}"`);
    }
    const xlsxHref = await page.getAttribute('#journal-xlsx', 'href');
    assert.equal(xlsxHref, `/journal.xlsx?from=${year}-01-01&to=${year}-12-31`, 'the journal download is not for this year');
    await screenshot(page, 'journal.png');
    const xlsx = await download(page, '#journal-xlsx');
    assert.match(xlsx.name, /\.xlsx$/, `XLSX named "${xlsx.name}"`);
    assert.equal(xlsx.bytes.subarray(0, 2).toString('latin1'), 'PK', 'the journal is not a ZIP');
    const cells = xlsxCells(unzip(xlsx.bytes));
    assert.ok(cells.includes(reference), `the journal XLSX lacks the case reference ${reference}`);
    assert.ok(cells.includes(journalNo), `the journal XLSX lacks the journal number ${journalNo}`);
    assert.ok(cells.some((c) => c.includes(certificateNo)), 'the journal XLSX lacks the certificate number');
  });
});

// ---------------------------------------------------------------- 2. the child's notice

test("a child's notice reaches the children's service", async () => {
  await withPage(browser, async (page) => {
    const stamp = Date.now().toString().slice(-6);
    const person = {
      surname: 'Щербиношапко',
      given_name: 'Ярина',
      patronymic: 'Богданівна',
      phone: '+380 67 000 38 51',
      document: `свідоцтво про народження І-КЕ № 4${stamp}`,
      address: 'м. Полтава, вул. Вигадана, 7',
    };
    const circumstances = `Дитину залучали до жебракування на вокзалі (перевірка № ${stamp}).`;

    // ---- The police record a notice about a 14-year-old.
    await signIn(page, 'police');
    await navTo(page, '/notices');
    await follow(page, page.locator('a#new-notice[href="/notices/new"]'));
    const todayIso = await page.inputValue('#identified_on');
    const today = parseIso(todayIso);
    // Fourteen years and some weeks old today.
    const birth = new Date(Date.UTC(today.getUTCFullYear() - 14, today.getUTCMonth(), 1));
    const birthIso = iso(addDays(birth, -40));
    const child = {
      territory: 'Полтавський район',
      came_to_attention: 'police',
      is_child: true,
      sex: 'female',
      // No consent: a child's notice goes to the children's service regardless.
      consent: 'no',
      person: { ...person, birth_date: birthIso },
      forms: [await firstFormCode(page)],
      circumstances,
    };
    await fillNotice(page, child);
    const done = await sendNotice(page);
    const reference = done.reference;
    assert.match(reference, /^UA53-\d{4}-\d{5,}$/, `case reference shown as "${reference}"`);
    assert.equal(done.unit, 'Полтавська РВА');
    const cs = page.locator('#notice-children-service');
    assert.equal(await cs.count(), 1, 'the confirmation does not say the notice also went to the children\'s service');
    assert.equal(await text(cs), 'Також надіслано до служби у справах дітей: ССД ОВА');
    await screenshot(page, 'notice-child-done.png');
    await signOut(page);

    // ---- The children's service finds the referral in its inbox.
    await signIn(page, 'children');
    await navTo(page, '/referrals');
    const row = page.locator('#inbox tbody tr', { has: page.locator('td:first-child a', { hasText: reference }) });
    assert.equal(await row.count(), 1, `the children's service inbox lacks ${reference}`);
    const cells = (await row.locator('td').allTextContents()).map((s) => s.replace(/\s+/g, ' ').trim());
    assert.equal(cells[2], 'Служба у справах дітей', 'inbox: purpose');
    assert.ok(cells[1].includes('Полтавська РВА') || cells[1].includes('Полтавська районна'), `inbox: from "${cells[1]}"`);
    assert.equal(await row.locator('.state-sent').count(), 1, `inbox: the referral is not new: "${cells[3]}"`);
    await screenshot(page, 'referrals-children.png');
    const referralId = await row.getAttribute('data-referral-id');
    await follow(page, row.locator(`a[href="/referrals/${referralId}"]`));
    assert.equal(await text(page.locator('#referral-reference')), reference);
    assert.equal(await page.getAttribute('#referral-state', 'data-state'), 'sent');

    // What was shared is shown …
    const shared = await text(page.locator('#shared'));
    const fullName = `${person.surname} ${person.given_name} ${person.patronymic}`;
    assert.ok(shared.includes(fullName), `#shared lacks the child's name: "${shared}"`);
    assert.ok(shared.includes(dmy(birthIso)), `#shared lacks the birth date: "${shared}"`);
    assert.ok(shared.includes(person.phone), `#shared lacks the phone (contacts were shared): "${shared}"`);
    assert.ok(shared.includes(person.address), `#shared lacks the address: "${shared}"`);
    const sharedFacts = await facts(page, '#shared');
    assert.equal(sharedFacts['Вік'], '14', `the child's age is shown as "${sharedFacts['Вік']}"`);
    assert.equal(await page.locator('#shared-forms li').count(), 1, 'the form of exploitation (facts were shared) is not shown');
    // … and nothing else: not the identity document, not the free-text circumstances.
    const main = await text(page.locator('main'));
    assert.ok(!main.includes(person.document), 'the children\'s service sees the identity document, which was not shared');
    assert.ok(!main.includes(`4${stamp}`), 'the children\'s service sees the document number, which was not shared');
    assert.ok(!main.includes(circumstances), 'the children\'s service sees the circumstances, which were not shared');
    assert.equal(await page.locator('#case-link').count(), 0, 'the children\'s service gets a link to the whole case');
    assert.equal(await page.locator('#accept-referral').count(), 1, 'the children\'s service cannot accept the referral');
    await screenshot(page, 'referral-children.png');
  });
});
