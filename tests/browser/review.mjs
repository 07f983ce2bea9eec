// Drives Debian's headless Chromium through a review in the review app, as a reviewer would:
// log in with the printed link, give a name, open the queue, decide three pairs by keyboard
// (m, n, u), split a record off a person, search "Mamedov" across scripts. Saves a screenshot
// of each page, fails on any request to another origin or any console error (a CSP refusal
// shows there), and prints the decided pairs as JSON for run.sh to check in the project.
//   node review.mjs LOGIN_URL SCREENSHOT_DIR PROFILE_DIR
import { chromium } from 'playwright-core';

const [loginUrl, shots, profile] = process.argv.slice(2);
const base = new URL(loginUrl).origin;
const problems = [];
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
});
const page = context.pages()[0] || await context.newPage();
page.setDefaultTimeout(10000);
page.on('request', (r) => {
  if (!r.url().startsWith(base + '/')) problems.push('request to another origin: ' + r.url());
});
page.on('console', (m) => {
  if (m.type() === 'error') problems.push('console error: ' + m.text());
});
page.on('pageerror', (e) => problems.push('script error: ' + e.message));

function check(cond, what) {
  if (!cond) throw new Error(what);
}
async function key(k) {
  await Promise.all([page.waitForNavigation(), page.keyboard.press(k)]);
}
function pairOf(url) {
  const u = new URL(url);
  return [Number(u.searchParams.get('a')), Number(u.searchParams.get('b'))];
}

try {
  await page.goto(loginUrl);
  check(page.url() === base + '/name', 'login leads to the name form, not ' + page.url());
  await page.fill('input[name=name]', 'Browser Reviewer');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/name"] button')]);
  check(page.url() === base + '/queue', 'the name leads to the queue');
  check(await page.isVisible('table.queue'), 'the queue shows');
  await page.screenshot({ path: `${shots}/queue.png`, fullPage: true });

  await key('j');
  check(page.url().startsWith(base + '/pair?'), 'j opens the first pair');
  await page.screenshot({ path: `${shots}/pair.png`, fullPage: true });
  const decided = [];
  for (const [k, verdict] of [['m', 'match'], ['n', 'non-match'], ['u', 'unsure']]) {
    check(page.url().startsWith(base + '/pair?'), 'on a pair before ' + k);
    decided.push({ pair: pairOf(page.url()), verdict });
    await key(k);
  }
  check(page.url().startsWith(base + '/pair?'), 'deciding leads to the next pair');
  const after = pairOf(page.url());
  check(!decided.some((d) => d.pair[0] === after[0] && d.pair[1] === after[1]),
    'the next pair is a new one');
  await key('k'); // back through the queue without deciding

  await page.goto(base + '/person?id=1');
  check((await page.textContent('main')).includes('ngo:N1'), 'person 1 holds ngo:N1');
  await page.screenshot({ path: `${shots}/person.png`, fullPage: true });
  await Promise.all([page.waitForNavigation(), page.click('button.split[data-record="9"]')]);
  check(!(await page.textContent('main')).includes('ngo:N1'), 'ngo:N1 was split off');
  await page.goto(base + '/person?id=9');
  check((await page.textContent('main')).includes('ngo:N1'), 'ngo:N1 is a person of its own');

  await page.goto(base + '/search');
  await page.fill('input[name=q]', 'Mamedov');
  await Promise.all([page.waitForNavigation(), page.press('input[name=q]', 'Enter')]);
  const hits = await page.$$eval('tr.hit td:first-child', (tds) => tds.map((t) => t.textContent));
  check(hits.includes('Мамедов Ильгар') && hits.includes('Ilqar Mamedov'),
    'Mamedov finds the Cyrillic and the Latin record: ' + JSON.stringify(hits));
  await page.screenshot({ path: `${shots}/search.png`, fullPage: true });
  check(problems.length === 0, problems.join('\n'));
  console.log(JSON.stringify(decided));
} catch (e) {
  await page.screenshot({ path: `${shots}/failure.png`, fullPage: true }).catch(() => {});
  console.error('browser test failed: ' + e.message + ' (at ' + page.url() + ')');
  process.exitCode = 1;
} finally {
  await context.close();
}
