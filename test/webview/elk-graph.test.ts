import { readFileSync } from 'node:fs';
import ElkBundled from 'elkjs/lib/elk.bundled.js';
import { describe, expect, it } from 'vitest';
import type { AgentNode, GraphModel } from '../../protocol/graph-model.js';
import { edgeLabel, fixedWidthMeasure, sharingText, toElkGraph, worstSeverity } from '../../webview/graph/elk-graph.js';

/** The model `mas graph --format json` printed for examples/math-team (uris rewritten). */
const mathTeam = JSON.parse(
    readFileSync(new URL('../fixtures/webview/graph-math-team.json', import.meta.url), 'utf8'),
) as GraphModel;
const measure = fixedWidthMeasure(7);

describe('graph model → ELK graph', () => {
    it('has one ELK node per model node and one edge per model edge, with label sizes', () => {
        const { graph, dropped } = toElkGraph(mathTeam, measure);
        expect(dropped).toEqual([]);
        expect(graph.layoutOptions?.['elk.algorithm']).toBe('layered');
        expect(graph.children?.map((c) => c.id)).toEqual(mathTeam.nodes.map((n) => n.id));
        expect(graph.edges?.map((e) => [e.sources[0], e.targets[0]])).toEqual(
            mathTeam.edges.map((e) => [e.from, e.to]),
        );
        const revise = graph.edges?.find((e) => e.id === 'edge:agent:verifier->agent:solver#0');
        expect(revise?.labels?.[0]?.text).toBe('when verifier.output contains "REVISE"  max 2');
        expect(revise?.labels?.[0]?.width).toBe(measure(revise!.labels![0]!.text!, 'body') + 4);
        const plain = graph.edges?.find((e) => e.id === 'edge:start->agent:planner#0');
        expect(plain?.labels).toEqual([]);
        for (const child of graph.children ?? []) expect(child.width).toBeGreaterThan(0);
    });

    it('describes sharing and adapters in the node text', () => {
        const verifier = mathTeam.nodes.find((n) => n.id === 'agent:verifier') as AgentNode;
        const solver = mathTeam.nodes.find((n) => n.id === 'agent:solver') as AgentNode;
        expect(sharingText(solver)).toBe('base · shared · lora(rank 16)');
        expect(sharingText(verifier)).toBe('base · own adapter · lora(rank 16)');
        expect(sharingText({ ...solver, model: null, sharing: 'weights', adapter: null })).toBe(
            'no model · own weights',
        );
        expect(sharingText({ ...verifier, frozen: true })).toBe('base · frozen · adapter off');
        expect(sharingText({ ...solver, adapter: null, frozen: true })).toBe('base · frozen');
    });

    it('drops an edge to an unknown node with a reason instead of letting ELK fail', () => {
        const broken: GraphModel = {
            ...mathTeam,
            edges: [...mathTeam.edges, { ...mathTeam.edges[0]!, id: 'edge:x', to: 'agent:ghost' }],
        };
        const { graph, dropped } = toElkGraph(broken, measure);
        expect(dropped).toEqual([
            { id: 'edge:x', reason: 'edge start -> agent:ghost names agent:ghost, which is not in the graph' },
        ]);
        expect(graph.edges).toHaveLength(mathTeam.edges.length);
    });

    it('clips a huge condition and keeps the worst marker severity per target', () => {
        const long = { ...mathTeam.edges[0]!, condition: 'x'.repeat(100_000), max: null };
        expect(edgeLabel(long)!.length).toBeLessThan(80);
        const diagnostic = (severity: 'error' | 'warning') => ({
            uri: mathTeam.uri,
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
            severity,
            message: severity,
        });
        const worst = worstSeverity([
            { target: 'agent:solver', diagnostic: diagnostic('warning') },
            { target: 'agent:solver', diagnostic: diagnostic('error') },
            { target: null, diagnostic: diagnostic('error') },
        ]);
        expect([...worst]).toEqual([['agent:solver', 'error']]);
    });

    it('is laid out by elkjs (layered, top-down) with positions for nodes, edges and labels', async () => {
        const elk = new ElkBundled.default();
        const laidOut = await elk.layout(toElkGraph(mathTeam, measure).graph);
        const y = (id: string) => laidOut.children!.find((c) => c.id === id)!.y!;
        expect(y('start')).toBeLessThan(y('agent:planner'));
        expect(y('agent:planner')).toBeLessThan(y('agent:solver'));
        expect(y('agent:solver')).toBeLessThan(y('agent:verifier'));
        expect(y('agent:verifier')).toBeLessThan(y('end'));
        for (const edge of laidOut.edges ?? []) expect(edge.sections?.length).toBeGreaterThan(0);
        const label = laidOut.edges!.find((e) => e.id === 'edge:agent:verifier->agent:solver#0')!.labels![0]!;
        expect(typeof label.x).toBe('number');
    });
});
