// Shared harness of the console tests: builds the console once when its sources changed, launches
// Debian's Chromium headless with a throwaway profile, and signs in with a key pair.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CONSOLE_DIST } from '../../src/console/serve.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SHOTS = 'test-output/console';
export const hasChromium = existsSync(CHROMIUM);

const APP = 'src/console/app';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** No build yet, or a source file (console or the policy library it bundles) newer than the build. */
export function consoleIsStale(): boolean {
  const built = join(CONSOLE_DIST, 'index.html');
  if (!existsSync(built)) return true;
  const sources = [
    join(APP, 'index.html'),
    join(APP, 'vite.config.ts'),
    ...filesUnder(join(APP, 'src')),
    ...filesUnder('src/policy').filter((f) => !f.endsWith('.test.ts')),
  ];
  const at = statSync(built).mtimeMs;
  return sources.some((f) => statSync(f).mtimeMs > at);
}

/** Builds the console when stale. Called once by the global setup, so test files never race a build;
 * a lock folder keeps two concurrent vitest runs from writing the build at once. */
export function ensureConsoleBuilt(): void {
  if (!consoleIsStale()) return;
  const lock = `${CONSOLE_DIST}.lock`;
  for (const until = Date.now() + 240_000; ;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (
        Date.now() > until ||
        Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > 240_000
      )
        rmSync(lock, { recursive: true, force: true }); // a crashed builder's lock
      else execFileSync('sleep', ['0.3']);
    }
  }
  try {
    if (consoleIsStale()) build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function build(): void {
  execFileSync(
    process.execPath,
    ['node_modules/vite/bin/vite.js', 'build', '--config', `${APP}/vite.config.ts`],
    {
      stdio: 'inherit',
      timeout: 180_000,
      // vitest sets NODE_ENV=test, which would give React's development build (double effects).
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Saves a full-page screenshot as test-output/console/<name>.png. */
  shot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SHOTS, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'sesame-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    shot: async (name) => {
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    },
    close: async () => {
      // Chromium sometimes lingers on close; never let it hold the suite.
      await Promise.race([context.close(), new Promise((r) => setTimeout(r, 5_000))]);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs in on the console's sign-in form with an access key pair and waits for the caller ARN. */
export async function signIn(
  page: Page,
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  expectedArn: string,
): Promise<void> {
  await page.goto(`${endpoint}/console/`);
  await page.getByLabel('Access key ID').fill(credentials.accessKeyId);
  await page.getByLabel('Secret access key').fill(credentials.secretAccessKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('caller-arn').getByText(expectedArn, { exact: true }).waitFor();
}

/**
 * Collects the Content-Security-Policy violations of every page of the browser: Chrome reports
 * them on the console; the event catches any it would word differently. (Browser-side code is
 * passed as text: the test's tsconfig has no DOM types.)
 */
export async function watchCspViolations(browser: Browser): Promise<string[]> {
  const violations: string[] = [];
  await browser.context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) =>
      console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))`,
  });
  browser.page.on('console', (m) => {
    if (m.text().includes('Content Security Policy')) violations.push(m.text());
  });
  return violations;
}
