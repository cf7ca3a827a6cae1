/**
 * Loads a webview bundle in Debian's Chromium (playwright-core) the way VS Code would: the page comes from the
 * extension's own HTML builder (strict CSP, nonce), the bundle is built by the extension's own esbuild options,
 * and `acquireVsCodeApi` is a stub that records posted messages and state. CSP violations and page errors are
 * collected so a test can assert that none happened.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createNonce, webviewHtml } from '../../client/src/views/common/webview-html.js';
// @ts-expect-error -- plain .mjs build script without type declarations
import { WEBVIEW_ENTRIES, webviewBuildOptions } from '../../scripts/webview-bundles.mjs';

export const CHROMIUM = process.env['MAS_CHROMIUM'] ?? '/usr/bin/chromium';
export const chromiumMissing = existsSync(CHROMIUM)
    ? undefined
    : `Chromium not found at ${CHROMIUM}; install Debian's chromium package (CI does) or set MAS_CHROMIUM to run the webview browser tests.`;

const ORIGIN = 'https://webview.test';
export const ARTIFACTS = join(process.cwd(), 'test-results', 'webview');

export interface ViewPage {
    page: Page;
    errors: string[];
    /** Messages the view posted to the host. */
    posted(): Promise<{ type: string; [key: string]: unknown }[]>;
    state(): Promise<unknown>;
    send(message: unknown): Promise<void>;
    screenshot(name: string): Promise<void>;
}

export class WebviewHarness {
    private browser: Browser | undefined;
    private outdir = '';

    async start(bundles: string[]): Promise<void> {
        this.outdir = mkdtempSync(join(tmpdir(), 'mas-webview-'));
        const options = webviewBuildOptions(this.outdir);
        const entries = Object.fromEntries(bundles.map((b) => [b, (WEBVIEW_ENTRIES as Record<string, string>)[b]]));
        await esbuild.build({ ...options, entryPoints: entries, sourcemap: false, logLevel: 'error' });
        this.browser = await chromium.launch({
            executablePath: CHROMIUM,
            args: [
                '--headless',
                '--no-sandbox',
                '--disable-gpu',
                '--no-first-run',
                '--disable-background-networking',
                '--disable-component-update',
                '--disable-sync',
            ],
        });
        mkdirSync(ARTIFACTS, { recursive: true });
    }

    async stop(): Promise<void> {
        await this.browser?.close();
        if (this.outdir) rmSync(this.outdir, { recursive: true, force: true });
    }

    /** Opens a page for `bundle`; `restoredState` is what getState() returns, as after a reload. */
    async open(bundle: string, restoredState?: unknown): Promise<ViewPage> {
        if (!this.browser) throw new Error('harness not started');
        const page = await this.browser.newPage({ viewport: { width: 1100, height: 900 } });
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
        page.on('console', (message) => {
            if (message.type() === 'error') errors.push(`console: ${message.text()}`);
        });
        await page.addInitScript((initial) => {
            const w = window as unknown as Record<string, unknown>;
            const posted: unknown[] = [];
            let state = initial;
            w['__posted'] = posted;
            w['__violations'] = [];
            document.addEventListener('securitypolicyviolation', (e) =>
                (w['__violations'] as string[]).push(`${e.violatedDirective} ${e.blockedURI}`),
            );
            w['acquireVsCodeApi'] = () => ({
                postMessage: (m: unknown) => posted.push(JSON.parse(JSON.stringify(m))),
                getState: () => state,
                setState: (s: unknown) => {
                    state = s;
                },
            });
            w['__getState'] = () => state;
            // VS Code puts the theme's colours on <html> as --vscode-* variables; a few of Dark+ here.
            const theme: Record<string, string> = {
                '--vscode-foreground': '#cccccc',
                '--vscode-editor-background': '#1e1e1e',
                '--vscode-descriptionForeground': '#9d9d9d',
                '--vscode-editorWidget-background': 'rgb(37, 37, 38)',
                '--vscode-editorWidget-border': '#454545',
                '--vscode-font-family': 'sans-serif',
                '--vscode-font-size': '13px',
                '--vscode-charts-blue': 'rgb(55, 148, 255)',
            };
            const apply = () => {
                if (!document.documentElement) return false;
                for (const [name, value] of Object.entries(theme))
                    document.documentElement.style.setProperty(name, value);
                return true;
            };
            // Init scripts run before <html> exists: apply the theme as soon as it is inserted.
            if (!apply()) {
                const observer = new MutationObserver(() => apply() && observer.disconnect());
                observer.observe(document, { childList: true });
            }
        }, restoredState);
        const nonce = createNonce();
        const html = webviewHtml({
            cspSource: ORIGIN,
            nonce,
            scriptUri: `${ORIGIN}/${bundle}.js`,
            styleUri: `${ORIGIN}/${bundle}.css`,
            title: bundle,
        });
        await page.route(`${ORIGIN}/**`, async (route) => {
            const name = new URL(route.request().url()).pathname.slice(1);
            if (name === 'index.html') return route.fulfill({ body: html, contentType: 'text/html' });
            const file = join(this.outdir, name);
            if (!/^[\w.-]+$/.test(name) || !existsSync(file)) return route.fulfill({ status: 404, body: '' });
            const type = extname(file) === '.css' ? 'text/css' : 'text/javascript';
            return route.fulfill({ body: readFileSync(file), contentType: type });
        });
        // Anything else (a script trying to load a URL) is refused and shows up as an error.
        await page.route(
            (url) => !url.href.startsWith(ORIGIN),
            (route) => route.abort(),
        );
        await page.goto(`${ORIGIN}/index.html`);
        return {
            page,
            errors,
            posted: () => page.evaluate(() => (window as unknown as { __posted: { type: string }[] }).__posted),
            state: () => page.evaluate(() => (window as unknown as { __getState: () => unknown }).__getState()),
            send: (message) => page.evaluate((m) => window.postMessage(m, '*'), message as object),
            screenshot: async (name) => {
                await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
            },
        };
    }

    /** CSP violations the page reported. */
    static violations(view: ViewPage): Promise<string[]> {
        return view.page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    }
}
