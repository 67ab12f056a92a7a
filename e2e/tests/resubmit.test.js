// (issue 10) Every form that creates a record answers with a redirect to the
// page that shows the result (post/redirect/get) and carries a one-time token:
// reloading that page, or double-clicking the submit button, writes nothing
// twice. For each creating form: send it, reload the result page, count the
// records through the pages a person reads; then send it again with a double
// click and count once more.
//
// Independent of the other files: everything is created here, under names and
// in places no other browser test looks at — the case officer of Лубенська РВА
// (`officer3`, whom no other file signs in as), a plan of its own whose measures
// are executed by ПОЦСС (no demo account reports for it), days and rulebook
// versions in 2098–2099, the police's own draft report. The people typed in
// are invented and listed in people.json (run.sh scans the server log for them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, withPage, newContext, signIn, submitAndGetPostResponse, text } from './helpers.js';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const STAMP = Date.now().toString().slice(-7);
/** The demo data's plan (seed 002). */
const DEMO_PLAN = 'Обласний план заходів щодо реалізації державної політики у сфері протидії торгівлі людьми';

// ---------------------------------------------------------------- helpers

/** A select's option whose label contains `label`; returns its value. */
async function optionValue(page, selector, label) {
  const value = await page.$eval(selector, (sel, wanted) => {
    const opt = [...sel.options].find((o) => o.textContent.includes(wanted));
    return opt ? opt.value : null;
  }, label);
  assert.ok(value, `${selector} has no option labelled "${label}"`);
  return value;
}

async function choose(page, selector, label) {
  await page.selectOption(selector, await optionValue(page, selector, label));
}

/** Opens `path` and insists it answered 200. */
async function open(page, path) {
  const r = await page.goto(path);
  assert.equal(r?.status(), 200, `GET ${path} answered ${r?.status()}`);
}

/** How many elements match `selector` on the page at `path`. */
async function countOn(page, path, selector, hasText) {
  await open(page, path);
  const loc = hasText === undefined ? page.locator(selector) : page.locator(selector, { hasText });
  return loc.count();
}

/** The POSTs to `action` (a path or a RegExp on the path) the page sends while `fn` runs. */
async function postsDuring(page, action, fn) {
  let n = 0;
  const matches = (r) => {
    if (r.method() !== 'POST') return false;
    const p = new URL(r.url()).pathname;
    return action instanceof RegExp ? action.test(p) : p === action;
  };
  const listener = (r) => { if (matches(r)) n += 1; };
  page.on('request', listener);
  try {
    await fn();
  } finally {
    page.off('request', listener);
  }
  return n;
}

/** The alerts and field errors on the page, for a failure message. */
async function problems(page) {
  return (await page.locator('[role=alert], p.error').allTextContents()).join(' | ');
}

/**
 * One creating form, twice.
 *
 * - `fill(page, round)` opens the form page and fills it (round 0 and 1 type
 *   different values where the form asks for unique ones);
 * - `action` is the path it posts to, `submit` its submit button;
 * - `count(page, round)` counts, through the pages, the records that form makes.
 *
 * Round 0 clicks once: 303, the result page, reloaded twice (no POST is sent
 * again), one record more. Round 1 sends the filled form twice over — once by
 * `fetch` whose answer is dropped (a resend on a flaky line), then by a double
 * click on the button (Chromium itself sends one POST of the two clicks) — and
 * there is one record more. Returns the result pages' URLs.
 */
async function twice(page, form) {
  const results = [];
  for (const round of [0, 1]) {
    const before = await form.count(page, round);
    await form.fill(page, round);
    const action = typeof form.action === 'function' ? form.action(round) : form.action;
    let result;
    if (round === 0) {
      const r = await submitAndGetPostResponse(page, action, form.submit);
      if (r?.status() !== 303) {
        const listed = (await page.locator('#import-problems li').allTextContents()).join(' | ');
        assert.fail(`${form.name}: POST ${action} answered ${r?.status()}: ${await problems(page)} ${listed}`);
      }
      result = page.url();
      assert.match(new URL(result).search, /done=/, `${form.name}: the result page ${result}`);
      const resent = await postsDuring(page, /./, async () => {
        await page.reload();
        await page.reload();
      });
      assert.equal(resent, 0, `${form.name}: reloading the result page sent a POST`);
      assert.equal(page.url(), result, `${form.name}: the reload left ${result}`);
    } else {
      const sent = await postsDuring(page, action, async () => {
        // First the same form goes out as it would on a flaky line: the request
        // reaches the server, its answer is lost (the page never sees it) …
        const resent = await page.evaluate(async (selector) => {
          const f = document.querySelector(selector).form;
          const data = new FormData(f);
          const body = f.enctype === 'multipart/form-data' ? data : new URLSearchParams(data);
          const r = await fetch(f.action, { method: 'POST', body, redirect: 'manual', credentials: 'same-origin' });
          return r.type;
        }, form.submit);
        if (resent !== 'opaqueredirect') {
          assert.fail(`${form.name}: the first sending was answered ${resent}, not a redirect`);
        }
        // … then the person, seeing nothing happen, double-clicks the button.
        await page.dblclick(form.submit, { delay: 60 });
        // The second click's submission cancels the first one's navigation (the
        // server may still answer both): wait for wherever the browser ends up.
        const deadline = Date.now() + 15_000;
        while (!/done=/.test(new URL(page.url()).search) && Date.now() < deadline) {
          await page.waitForTimeout(100);
        }
        await page.waitForLoadState('load');
        await page.waitForLoadState('networkidle');
      });
      assert.ok(sent >= 2, `${form.name}: the resend and the double click sent ${sent} POSTs`);
      result = page.url();
      if (!/done=/.test(new URL(result).search)) {
        assert.fail(`${form.name}: after a double click (${sent} POSTs) at ${result}: ${await problems(page)}`);
      }
    }
    const after = await form.count(page, round);
    assert.equal(after, before + 1,
      `${form.name}: ${round === 0 ? 'sent once and reloaded' : 'double-clicked'}: ${before} → ${after} records`);
    results.push(result);
  }
  return results;
}

/** The id in a result page's path: `/cases/17?done=…` → 17 (the first number). */
function idIn(url) {
  const m = /\/(\d+)(?:[/?#]|$)/.exec(new URL(url).pathname + new URL(url).search);
  assert.ok(m, `no id in ${url}`);
  return Number(m[1]);
}

function today() {
  // The app's dates are Kyiv dates; this runs on the same machine as the server.
  const d = new Date();
  const kyiv = new Date(d.toLocaleString('en-US', { timeZone: 'Europe/Kyiv' }));
  const pad = (n) => String(n).padStart(2, '0');
  return `${kyiv.getFullYear()}-${pad(kyiv.getMonth() + 1)}-${pad(kyiv.getDate())}`;
}

/** A tiny PDF the upload forms accept. */
function pdf(name) {
  return { name, mimeType: 'application/pdf', buffer: Buffer.from(`%PDF-1.7\n% ${name} ${STAMP}\n`) };
}

// ---------------------------------------------------------------- the directory

test('directory: an organisation, a user and a body are created once each', async () => {
  await withPage(browser, async (page) => {
    await signIn(page, 'admin');
    const orgNames = [`ГО «Один раз ${STAMP}»`, `ГО «Подвійний клік ${STAMP}»`];
    const [orgResult] = await twice(page, {
      name: 'organisation',
      action: '/organisations',
      submit: 'form[action="/organisations"] button[type=submit]',
      async fill(p, round) {
        await open(p, '/organisations/new');
        await p.fill('#name', orgNames[round]);
        await p.selectOption('#kind', 'ngo');
        await choose(p, '#territory_id', 'Лубенський район');
      },
      count: (p, round) => countOn(p, `/organisations?q=${encodeURIComponent(STAMP)}`, '#org-table tbody tr', orgNames[round]),
    });
    const orgId = idIn(orgResult);

    const logins = [`once${STAMP}`, `twice${STAMP}`];
    await twice(page, {
      name: 'user',
      action: '/users',
      submit: 'form[action="/users"] button[type=submit]',
      async fill(p, round) {
        await open(p, `/users/new?org=${orgId}`);
        await p.fill('#login', logins[round]);
        await p.fill('#full_name', `Тестовий Користувач ${round + 1}`);
        await p.check('#role-partner');
        await p.fill('#password', `resubmit-${STAMP}-pass`);
      },
      count: (p, round) => countOn(p, `/organisations/${orgId}`, '#members tbody tr', logins[round]),
    });

    const bodyNames = [`Мультидисциплінарна група ${STAMP}-1`, `Мультидисциплінарна група ${STAMP}-2`];
    await twice(page, {
      name: 'body',
      action: '/bodies',
      submit: 'form[action="/bodies"] button[type=submit]',
      async fill(p, round) {
        await open(p, '/bodies/new');
        await p.fill('#name', bodyNames[round]);
        await p.selectOption('#kind', { index: 1 });
        await choose(p, '#territory_id', 'Лубенський район');
        await p.selectOption('#members', [String(orgId)]);
      },
      count: (p, round) => countOn(p, '/bodies', '#bodies-table tbody tr', bodyNames[round]),
    });
  });
});

// ---------------------------------------------------------------- a plan of its own

test('plan: a plan, a goal, a task, a measure, a period and an import are created once each', async () => {
  await withPage(browser, async (page) => {
    await signIn(page, 'coordinator');
    const year = Number(today().slice(0, 4));
    const titles = [`План перевірки повторів ${STAMP}`, `План перевірки подвійного кліку ${STAMP}`];
    const planResults = await twice(page, {
      name: 'plan',
      action: '/plans',
      submit: 'form[action="/plans"] button[type=submit]',
      async fill(p, round) {
        await open(p, '/plans/new');
        await p.fill('#title', titles[round]);
        await choose(p, '#territory_id', 'Полтавська область');
        await p.fill('#year_from', String(year - 1));
        await p.fill('#year_to', String(year + 1));
      },
      count: (p, round) => countOn(p, '/plans', '#plans tbody tr', titles[round]),
    });
    const planId = idIn(planResults[0]);
    const planPath = `/plans/${planId}`;

    const goals = [`Ціль, надіслана раз ${STAMP}`, `Ціль, надіслана подвійним кліком ${STAMP}`];
    await twice(page, {
      name: 'goal',
      action: `${planPath}/goals`,
      submit: `form[action="${planPath}/goals"] button[type=submit]`,
      async fill(p, round) {
        await open(p, `${planPath}/goals/new`);
        await p.fill('#text', goals[round]);
      },
      count: (p, round) => countOn(p, planPath, '#plan-table [id^="goal-"]', goals[round]),
    });
    await open(page, planPath);
    const goalId = (await page.getAttribute('#plan-table [id^="goal-"]', 'id')).replace('goal-', '');

    const tasks = [`Завдання, надіслане раз ${STAMP}`, `Завдання, надіслане подвійним кліком ${STAMP}`];
    await twice(page, {
      name: 'task',
      action: `${planPath}/goals/${goalId}/tasks`,
      submit: `form[action="${planPath}/goals/${goalId}/tasks"] button[type=submit]`,
      async fill(p, round) {
        await open(p, `${planPath}/goals/${goalId}/tasks/new`);
        await p.fill('#text', tasks[round]);
      },
      count: (p, round) => countOn(p, planPath, '#plan-table [id^="task-"]', tasks[round]),
    });
    await open(page, planPath);
    const taskId = (await page.getAttribute('#plan-table [id^="task-"]', 'id')).replace('task-', '');

    const measures = [`Захід, надісланий раз ${STAMP}`, `Захід, надісланий подвійним кліком ${STAMP}`];
    await twice(page, {
      name: 'measure',
      action: `${planPath}/tasks/${taskId}/measures`,
      submit: `form[action="${planPath}/tasks/${taskId}/measures"] button[type=submit]`,
      async fill(p, round) {
        await open(p, `${planPath}/tasks/${taskId}/measures/new`);
        await p.fill('#text', measures[round]);
        await p.fill('#term', String(year));
        await p.locator('#executors .check', { hasText: 'ПОЦСС' }).locator('input[type=checkbox]').check();
      },
      count: (p, round) => countOn(p, planPath, '#plan-table [id^="m-"]', measures[round]),
    });

    // Periods: each opening takes the first half-year the plan offers.
    await twice(page, {
      name: 'period',
      action: `${planPath}/periods`,
      submit: '#open-period button[type=submit]',
      async fill(p) {
        await open(p, planPath);
        assert.equal(await p.locator('#open-period').count(), 1, `${planPath} offers no half-year to open`);
      },
      count: (p) => countOn(p, planPath, '#periods a[href^="/periods/"]'),
    });

    // The import reads the demo plan's export back under a new title (no period is
    // opened on what it creates, so nobody gets reports to write).
    await open(page, '/plans');
    const demoPlan = await page.locator('#plans tbody tr a[href^="/plans/"]', { hasText: DEMO_PLAN })
      .first().getAttribute('href');
    const exported = await page.request.get(`${demoPlan}/export.xlsx`);
    assert.equal(exported.status(), 200, 'the plan export');
    const file = {
      name: 'plan.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: await exported.body(),
    };
    const imported = [`Імпортований раз ${STAMP}`, `Імпортований подвійним кліком ${STAMP}`];
    await twice(page, {
      name: 'plan import',
      action: '/plans/import',
      submit: 'form[action="/plans/import"] button[type=submit]',
      async fill(p, round) {
        await open(p, '/plans/import');
        await p.fill('#title', imported[round]);
        await choose(p, '#territory_id', 'Полтавська область');
        await p.fill('#year_from', String(year - 1));
        await p.fill('#year_to', String(year + 1));
        await p.setInputFiles('#file', file);
      },
      count: (p, round) => countOn(p, '/plans', '#plans tbody tr', imported[round]),
    });
  });
});

// ---------------------------------------------------------------- cases

test('cases: a notice, a document, a referral, an application, a step, an assessment, a service and a stay are recorded once each', async () => {
  await withPage(browser, async (page) => {
    await signIn(page, 'officer3');
    const people = [
      { surname: 'Повторенко', given_name: 'Злата' },
      { surname: 'Двоклікевич', given_name: 'Устина' },
    ];
    const notices = await twice(page, {
      name: 'notice',
      action: '/notices',
      submit: '#send-notice',
      async fill(p, round) {
        await open(p, '/notices/new');
        await choose(p, '#territory_id', 'Лубенський район');
        await p.selectOption('#came_to_attention', { index: 1 });
        await p.check('#sex-female');
        await p.check('#consent-yes');
        await p.fill('#surname', people[round].surname);
        await p.fill('#given_name', people[round].given_name);
        // A birth date of this run's own: no notice of an earlier run looks like a duplicate.
        // (An adult's: 1960–1980.)
        const born = new Date(Date.UTC(1960, 0, 1 + (Number(STAMP) % 7000) + round * 17));
        await p.fill('#birth_date', born.toISOString().slice(0, 10));
        await p.locator('#forms-set input[type=checkbox]').first().check();
      },
      count: (p) => countOn(p, '/notices', '#sent tbody tr[data-notice-id]'),
    });
    // The confirmation is a page of its own: reference and unit, nothing personal in its address.
    await open(page, notices[0]);
    assert.equal(await page.locator('#notice-done').count(), 1, 'the confirmation page');
    assert.match(await text(page.locator('#notice-unit')), /Лубенська/);

    // Each notice becomes a case: round 0 works on the first, round 1 on the second.
    const cases = notices.map(idIn);
    for (const id of cases) {
      await open(page, `/cases/${id}`);
      const r = await submitAndGetPostResponse(page, `/notices/${id}/accept`, '#accept-notice');
      assert.equal(r?.status(), 303, `accepting notice ${id}`);
    }

    await twice(page, {
      name: 'case document',
      action: (round) => `/cases/${cases[round]}/documents`,
      submit: '#document-form button[type=submit]',
      async fill(p, round) {
        await open(p, `/cases/${cases[round]}`);
        await p.fill('#kind', 'Заява');
        await p.setInputFiles('#file', pdf(`zaiava-${round}.pdf`));
      },
      count: (p, round) => countOn(p, `/cases/${cases[round]}`, `a[href^="/cases/${cases[round]}/documents/"]`),
    });

    await twice(page, {
      name: 'referral',
      action: (round) => `/cases/${cases[round]}/referrals/new`,
      submit: '#send-referral',
      async fill(p, round) {
        await open(p, `/cases/${cases[round]}/referrals/new`);
        await choose(p, '#org_id', 'Світло надії');
        await p.selectOption('#purpose', 'shelter');
        await p.check('#fields-facts');
      },
      count: (p, round) => countOn(p, `/cases/${cases[round]}`, 'tr[data-referral-id]'),
    });

    const procedures = await twice(page, {
      name: 'application',
      action: (round) => `/cases/${cases[round]}/application`,
      submit: '#register',
      async fill(p, round) {
        await open(p, `/cases/${cases[round]}/application/new`);
      },
      count: (p, round) => countOn(p, `/cases/${cases[round]}`, 'a[href^="/procedures/"]'),
    });
    const procs = procedures.map(idIn);

    await twice(page, {
      name: 'procedure step',
      action: (round) => `/procedures/${procs[round]}/steps/interview`,
      submit: '#interview-submit',
      async fill(p, round) {
        await open(p, `/procedures/${procs[round]}`);
        await p.fill('#interview-on', today());
        await p.fill('#interview-text', 'Співбесіду проведено, пояснення записано.');
        await p.check('#interview-consent');
      },
      count: (p, round) => countOn(p, `/procedures/${procs[round]}`, '#history tbody tr'),
    });

    // Assistance (issue 11): a needs assessment, a service of the unit's own, a stay.
    await twice(page, {
      name: 'needs assessment',
      action: (round) => `/cases/${cases[round]}/assessments`,
      submit: '#save-assessment',
      async fill(p, round) {
        await open(p, `/cases/${cases[round]}/assessment/new`);
        await p.check('#need-medical');
        await p.selectOption('#urgency_medical', 'urgent');
      },
      count: (p, round) => countOn(p, `/cases/${cases[round]}/assistance`, '#assessments li'),
    });
    await twice(page, {
      name: 'service',
      action: (round) => `/cases/${cases[round]}/services`,
      submit: '#save-service',
      async fill(p, round) {
        await open(p, `/cases/${cases[round]}/services/new?need=medical`);
        await choose(p, '#provider_org_id', 'ваш підрозділ');
      },
      count: (p, round) => countOn(p, `/cases/${cases[round]}/assistance`, 'li.service'),
    });
    await twice(page, {
      name: 'stay',
      action: (round) => `/cases/${cases[round]}/stays`,
      submit: '#save-stay',
      async fill(p, round) {
        await open(p, `/cases/${cases[round]}/stays/new`);
        await choose(p, '#institution_org_id', 'центр соціальних служб');
      },
      count: (p, round) => countOn(p, `/cases/${cases[round]}/assistance`, 'div.stay'),
    });
  });
});

// ---------------------------------------------------------------- settings and a report

test('settings and reports: a calendar day, a rulebook version, a template and an attachment are saved once each', async () => {
  await withPage(browser, async (page) => {
    await signIn(page, 'admin');
    // A day far ahead: no deadline of any case falls near it.
    const n = Number(STAMP) % 300;
    const day = (k) => {
      const d = new Date(Date.UTC(2099, 0, 1 + n + k));
      return d.toISOString().slice(0, 10);
    };
    await twice(page, {
      name: 'calendar day',
      action: '/settings/calendar',
      submit: 'form[action="/settings/calendar"] button[type=submit]',
      async fill(p, round) {
        await open(p, '/settings/calendar?year=2099');
        await p.fill('#day', day(round));
        await p.check('#kind-holiday');
        await p.fill('#note', `Перевірка повторів ${STAMP}`);
      },
      count: (p, round) => countOn(p, '/settings/calendar?year=2099', `tr[data-day="${day(round)}"]`),
    });

    const notes = [`Версія, надіслана раз ${STAMP}`, `Версія, надіслана подвійним кліком ${STAMP}`];
    await twice(page, {
      name: 'rulebook version',
      action: '/settings/rulebook',
      submit: 'form[action="/settings/rulebook"] button[type=submit]',
      async fill(p, round) {
        await open(p, '/settings/rulebook');
        const from = new Date(Date.UTC(2070, 0, 1 + 2 * (Number(STAMP) % 9000) + round));
        await p.fill('#effective_from', from.toISOString().slice(0, 10));
        await p.fill('#note', notes[round]);
      },
      count: (p, round) => countOn(p, '/settings/rulebook', 'tr[data-rulebook-id]', notes[round]),
    });

    // A template: the shipped certificate sent back as it is (other files download
    // certificates), counted in the audit log the auditor reads; then reset.
    const shipped = await page.request.get('/settings/templates/certificate.docx');
    assert.equal(shipped.status(), 200, 'the certificate template download');
    const docx = {
      name: 'certificate.docx',
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      buffer: await shipped.body(),
    };
    const auditorContext = await newContext(browser);
    const auditor = await auditorContext.newPage();
    try {
      await signIn(auditor, 'auditor');
      await twice(page, {
        name: 'template',
        action: '/settings/templates/certificate',
        submit: 'form[action="/settings/templates/certificate"] button[type=submit]',
        async fill(p) {
          await open(p, '/settings/templates');
          await p.setInputFiles('#file-certificate', docx);
        },
        count: () => countOn(auditor, '/audit?action=template_replaced', 'tr[data-action="template_replaced"]'),
      });
    } finally {
      await auditorContext.close();
    }
    await open(page, '/settings/templates');
    const reset = await submitAndGetPostResponse(page, '/settings/templates/certificate/reset',
      'form[action="/settings/templates/certificate/reset"] button[type=submit]');
    assert.equal(reset?.status(), 303, 'resetting the certificate template');
  });

  await withPage(browser, async (page) => {
    // The police's own draft of the half-year under way: nobody else's report.
    await signIn(page, 'police');
    await open(page, '/my-reports');
    const draft = page.locator('#my-reports tbody tr[data-report-id]', { hasText: 'Не подано' })
      .and(page.locator('[data-urgency="later"], [data-urgency="due-soon"]'));
    assert.ok((await draft.count()) >= 1, 'the police have no unsent report of the half-year under way');
    const reportId = await draft.first().getAttribute('data-report-id');
    const reportPath = `/reports/${reportId}`;
    await twice(page, {
      name: 'report attachment',
      action: `${reportPath}/attachments`,
      submit: '#attach-form button[type=submit]',
      async fill(p, round) {
        await open(p, reportPath);
        await p.setInputFiles('#attach-form #file', pdf(`dodatok-${round}.pdf`));
      },
      count: (p) => countOn(p, reportPath, `#attachments a[href^="${reportPath}/attachments/"]`),
    });
  });
});
