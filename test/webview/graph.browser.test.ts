import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentNode, GraphModel } from '../../protocol/graph-model.js';
import { chromiumMissing, WebviewHarness, type ViewPage } from './browser-harness.js';

const mathTeam = JSON.parse(
    readFileSync(new URL('../fixtures/webview/graph-math-team.json', import.meta.url), 'utf8'),
) as GraphModel;
const harness = new WebviewHarness();

async function openReady(state?: unknown): Promise<ViewPage> {
    const view = await harness.open('graph', state);
    await view.page.waitForFunction(() =>
        (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'ready'),
    );
    return view;
}

async function rendered(view: ViewPage, generation: number): Promise<void> {
    await view.page.waitForFunction((g) => document.body.dataset['renderedGeneration'] === String(g), generation);
}

describe.skipIf(chromiumMissing !== undefined)(
    `graph webview in Chromium${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`,
    () => {
        beforeAll(async () => harness.start(['graph']), 120_000);
        afterAll(async () => harness.stop());

        it('lays the model out with ELK and draws nodes, edges, conditions, loop bounds and sharing as SVG', async () => {
            const view = await openReady();
            const model: GraphModel = {
                ...mathTeam,
                markers: [
                    {
                        target: 'agent:verifier',
                        diagnostic: {
                            uri: mathTeam.uri,
                            range: { start: { line: 27, character: 0 }, end: { line: 27, character: 5 } },
                            severity: 'warning',
                            code: 'x',
                            message: 'verifier warning',
                        },
                    },
                ],
            };
            await view.send({ type: 'graph/model', model });
            await rendered(view, 1);
            const page = view.page;
            expect(
                await page.$$eval('svg.graph g.node', (nodes) => nodes.map((n) => n.getAttribute('data-id'))),
            ).toEqual(mathTeam.nodes.map((n) => n.id));
            expect(
                await page.$$eval('svg.graph g.edge', (edges) => edges.map((e) => e.getAttribute('data-id'))),
            ).toEqual(mathTeam.edges.map((e) => e.id));
            expect(await page.$$eval('svg.graph .edge-label', (labels) => labels.map((l) => l.textContent))).toEqual([
                'when verifier.output contains "REVISE"  max 2',
                'when verifier.output contains "ACCEPT"',
            ]);
            const verifier = page.locator('g.node[data-id="agent:verifier"]');
            expect(await verifier.getAttribute('class')).toContain('sharing-adapter');
            expect(await verifier.getAttribute('class')).toContain('marker-warning');
            expect(await verifier.locator('title').textContent()).toContain('warning: verifier warning');
            expect(await verifier.locator('text').allTextContents()).toEqual([
                'verifier',
                'role Verifier',
                'base · own adapter · lora(rank 16)',
            ]);
            // Colours come from the theme's variables.
            expect(await verifier.locator('.node-box').evaluate((box) => getComputedStyle(box).fill)).toBe(
                'rgb(37, 37, 38)',
            );
            // Every edge path starts and ends on the boxes ELK placed: non-empty geometry.
            const paths = await page.$$eval('svg.graph .edge-line', (ps) =>
                ps.map((p) => (p as SVGPathElement).getTotalLength()),
            );
            for (const length of paths) expect(length).toBeGreaterThan(0);
            expect(await view.state()).toEqual({ view: 'graph', uri: mathTeam.uri });
            await view.screenshot('graph-math-team');
            expect(await WebviewHarness.violations(view)).toEqual([]);
            expect(view.errors).toEqual([]);
            await page.close();
        });

        it('posts a reveal request when a node is clicked or an edge is activated with the keyboard', async () => {
            const view = await openReady();
            await view.send({ type: 'graph/model', model: mathTeam });
            await rendered(view, 1);
            await view.page.click('g.node[data-id="agent:solver"]');
            await view.page.focus('g.edge[data-id="edge:agent:verifier->agent:solver#0"]');
            await view.page.keyboard.press('Enter');
            const posted = await view.posted();
            expect(posted.filter((m) => m.type === 'graph/reveal')).toEqual([
                { type: 'graph/reveal', id: 'agent:solver' },
                { type: 'graph/reveal', id: 'edge:agent:verifier->agent:solver#0' },
            ]);
            await view.page.close();
        });

        it('redraws as models arrive (typing) and shows why when no model is available', async () => {
            const view = await openReady({ view: 'graph', uri: mathTeam.uri });
            await view.send({ type: 'graph/model', model: mathTeam });
            await rendered(view, 1);
            const solver = mathTeam.nodes.find((n) => n.id === 'agent:solver') as AgentNode;
            const critic: AgentNode = { ...solver, id: 'agent:critic', label: 'critic', reachable: false };
            await view.send({ type: 'graph/model', model: { ...mathTeam, nodes: [...mathTeam.nodes, critic] } });
            await rendered(view, 2);
            expect(await view.page.locator('g.node[data-id="agent:critic"]').getAttribute('class')).toContain(
                'unreachable',
            );
            await view.send({ type: 'graph/unavailable', reason: 'The language server has not loaded x.mas.' });
            await view.page.waitForFunction(() =>
                document.querySelector('.status')?.textContent?.includes('has not loaded'),
            );
            expect(await view.page.locator('svg.graph').count()).toBe(0);
            await view.page.close();
        });

        it('renders hostile names, roles, conditions and messages as text and runs no script', async () => {
            const view = await openReady();
            const solver = mathTeam.nodes.find((n) => n.id === 'agent:solver') as AgentNode;
            const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
            const hostile: AgentNode = {
                ...solver,
                id: 'agent:evil',
                label: evil,
                role: 'javascript:alert(1)\u202Egnp.exe',
                roleDescription: 'x'.repeat(1_000_000),
            };
            const model: GraphModel = {
                ...mathTeam,
                workflow: evil,
                nodes: [...mathTeam.nodes, hostile],
                edges: [
                    ...mathTeam.edges,
                    {
                        ...mathTeam.edges[0]!,
                        id: 'edge:evil',
                        from: 'agent:solver',
                        to: 'agent:evil',
                        condition: `solver.output contains "${evil}"`,
                    },
                ],
                markers: [
                    {
                        target: null,
                        diagnostic: {
                            uri: mathTeam.uri,
                            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
                            severity: 'error',
                            message: evil,
                        },
                    },
                ],
            };
            await view.send({ type: 'graph/model', model });
            await rendered(view, 1);
            const page = view.page;
            expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
            expect(await page.locator('#app img, #app script, #app a').count()).toBe(0);
            expect(await page.locator('.workflow').textContent()).toBe(evil);
            expect(await page.locator('.problems li').first().textContent()).toContain(evil);
            expect(await page.locator('g.node[data-id="agent:evil"] text').first().textContent()).toBe(
                `${evil.slice(0, 47)}…`,
            );
            expect(await page.locator('g.edge[data-id="edge:evil"] .edge-label').textContent()).toContain('<img src=x');
            expect(await WebviewHarness.violations(view)).toEqual([]);
            expect(view.errors).toEqual([]);
            await page.close();
        });
    },
);
