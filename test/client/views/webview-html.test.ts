import { describe, expect, it } from 'vitest';
import {
    parseDashboardState,
    parseDashboardToHost,
    parseGraphState,
    parseGraphToHost,
} from '../../../client/src/views/common/messages.js';
import { contentSecurityPolicy, createNonce, webviewHtml } from '../../../client/src/views/common/webview-html.js';

describe('webview HTML', () => {
    it('has a strict CSP whose only script source is a fresh nonce', () => {
        const a = createNonce();
        const b = createNonce();
        expect(a).toMatch(/^[0-9a-f]{32}$/);
        expect(a).not.toBe(b);
        const csp = contentSecurityPolicy('https://x.vscode-cdn.net', a);
        expect(csp).toContain("default-src 'none'");
        expect(csp).toContain(`script-src 'nonce-${a}'`);
        expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
        const html = webviewHtml({
            cspSource: 'https://x.vscode-cdn.net',
            nonce: a,
            scriptUri: 'https://x/graph.js',
            styleUri: 'https://x/graph.css',
            title: 'T',
        });
        expect(html.match(/<script /g)).toHaveLength(1);
        expect(html).toContain(`<script src="https://x/graph.js" nonce="${a}">`);
    });

    it('escapes what it puts in attributes and refuses a nonce it did not make', () => {
        const html = webviewHtml({
            cspSource: 'a',
            nonce: createNonce(),
            scriptUri: '"><script>alert(1)</script>',
            styleUri: 's',
            title: '<b>',
        });
        expect(html).not.toContain('<script>alert(1)');
        expect(html).toContain('&lt;b&gt;');
        expect(() =>
            webviewHtml({ cspSource: 'a', nonce: "x' 'unsafe-inline", scriptUri: 's', styleUri: 's', title: 't' }),
        ).toThrow(/nonce/);
    });
});

describe('messages from webviews', () => {
    it('accepts the known messages and rejects anything else', () => {
        expect(parseDashboardToHost({ type: 'ready' })).toEqual({ type: 'ready' });
        expect(parseDashboardToHost({ type: 'dashboard/pickRun', slot: 'compare', extra: 1 })).toEqual({
            type: 'dashboard/pickRun',
            slot: 'compare',
        });
        expect(parseDashboardToHost({ type: 'dashboard/pickRun', slot: '../etc' })).toBeUndefined();
        expect(parseDashboardToHost({ type: 'dashboard/pickRun', slot: 'compare-1' })).toBeUndefined();
        expect(parseDashboardToHost({ type: 'dashboard/removeRun', slot: 'compare-12' })).toEqual({
            type: 'dashboard/removeRun',
            slot: 'compare-12',
        });
        for (const slot of ['primary', 'compare-', 'compare-0', 'compare-1x', 'compare-1e3', 7, 'compare-1234567890'])
            expect(parseDashboardToHost({ type: 'dashboard/removeRun', slot })).toBeUndefined();
        expect(parseDashboardToHost('ready')).toBeUndefined();
        expect(parseGraphToHost({ type: 'graph/reveal', id: 'agent:solver' })).toEqual({
            type: 'graph/reveal',
            id: 'agent:solver',
        });
        expect(parseGraphToHost({ type: 'graph/reveal', id: 5 })).toBeUndefined();
        expect(parseGraphToHost({ type: 'graph/reveal', id: 'x'.repeat(5000) })).toBeUndefined();
    });

    it('restores only well-formed state', () => {
        expect(
            parseDashboardState({ view: 'dashboard', primaryRunDir: '/r', compareRunDir: 3, hidden: ['a', 1] }),
        ).toEqual({
            view: 'dashboard',
            primaryRunDir: '/r',
            compareRunDirs: [],
            hidden: ['a'],
            smoothing: 0,
            xAxis: 'step',
        });
        // A state saved before several comparison runs; then a list with junk, duplicates and too many entries.
        expect(parseDashboardState({ view: 'dashboard', compareRunDir: '/b', hidden: [] })).toMatchObject({
            compareRunDirs: ['/b'],
        });
        const many = Array.from({ length: 100 }, (_, i) => `/r${i}`);
        expect(
            parseDashboardState({ view: 'dashboard', compareRunDirs: ['/b', 4, '', '/b', ...many], hidden: [] })
                ?.compareRunDirs,
        ).toEqual(['/b', ...many.slice(0, 31)]);
        expect(parseDashboardState({ view: 'dashboard', hidden: [], smoothing: 0.5, xAxis: 'time' })).toMatchObject({
            smoothing: 0.5,
            xAxis: 'time',
        });
        expect(parseDashboardState({ view: 'dashboard', hidden: [], smoothing: 7, xAxis: 'wall' })).toMatchObject({
            smoothing: 0,
            xAxis: 'step',
        });
        expect(parseDashboardState({ view: 'graph' })).toBeUndefined();
        expect(parseGraphState({ view: 'graph', uri: 'file:///a.mas' })).toEqual({
            view: 'graph',
            uri: 'file:///a.mas',
        });
        expect(parseGraphState(null)).toBeUndefined();
    });
});
