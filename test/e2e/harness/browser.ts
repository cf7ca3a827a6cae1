// Debian's Chromium, started by the suite itself (so it is ended by its pid) and driven by playwright-core
// over the DevTools protocol.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startProcess } from './processes.js';

const CHROMIUM_CANDIDATES = [process.env.MAS_E2E_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];

export function chromiumPath(): string {
    const found = CHROMIUM_CANDIDATES.find((p): p is string => !!p && existsSync(p));
    if (!found)
        throw new Error('Chromium not found: `apt-get install chromium` (see .ci/run) or set MAS_E2E_CHROMIUM.');
    return found;
}

export interface BrowserSession {
    readonly browser: Browser;
    readonly page: Page;
    readonly pid: number;
    close(): Promise<void>;
}

export async function openBrowser(url: string): Promise<BrowserSession> {
    const profile = mkdtempSync(join(tmpdir(), 'mas-e2e-chromium-'));
    const proc = startProcess(chromiumPath(), [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-dev-shm-usage',
        '--window-size=1400,900',
        `--user-data-dir=${profile}`,
        '--remote-debugging-port=0',
        '--remote-debugging-address=127.0.0.1',
        'about:blank',
    ]);
    const close = async () => {
        await proc.stop();
        rmSync(profile, { recursive: true, force: true });
    };
    try {
        const line = await proc.waitForLine(/DevTools listening on ws:\/\//, 60_000);
        const endpoint = line.slice(line.indexOf('ws://')).trim();
        const browser = await chromium.connectOverCDP(endpoint);
        const context = browser.contexts()[0] ?? (await browser.newContext());
        const page = context.pages()[0] ?? (await context.newPage());
        // Two shared cores in CI: give each wait a minute before calling it a failure.
        page.setDefaultTimeout(60_000);
        await page.setViewportSize({ width: 1400, height: 900 });
        await page.goto(url);
        return {
            browser,
            page,
            pid: proc.pid,
            async close() {
                await browser.close().catch(() => undefined);
                await close();
            },
        };
    } catch (error) {
        await close();
        throw error;
    }
}
