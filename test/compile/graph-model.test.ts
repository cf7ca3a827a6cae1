import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGraphModel } from '../../server/src/language/graph/graph-model.js';
import { graphToDot } from '../../server/src/language/graph/graph-dot.js';
import { loadMasFiles } from '../../server/src/language/workspace/load-workspace.js';
import type { AgentNode, GraphModel } from '../../protocol/graph-model.js';
import { folderWith } from '../cli/cli-helpers.js';

async function graphOf(path: string): Promise<GraphModel> {
    const workspace = await loadMasFiles([path]);
    return buildGraphModel(workspace.roots[0]!, workspace.shared.workspace.LangiumDocuments);
}

describe('graph model', () => {
    it('describes agents with role, model, sharing and adapter, in graph order', async () => {
        const model = await graphOf(join(import.meta.dirname, 'inputs/math-team.mas'));
        expect(model.workflow).toBe('MathTeam');
        expect(model.nodes.map((n) => n.id)).toEqual([
            'start',
            'agent:planner',
            'agent:solver',
            'agent:verifier',
            'end',
        ]);
        const verifier = model.nodes.find((n) => n.id === 'agent:verifier') as AgentNode;
        expect(verifier).toMatchObject({
            label: 'verifier',
            role: 'Verifier',
            roleDescription: 'Accepts the solution or asks for a revision',
            model: 'base',
            modelSource: 'Qwen/Qwen2.5-0.5B-Instruct',
            sharing: 'adapter',
            adapter: 'lora(rank 16)',
            reachable: true,
        });
        expect(verifier.source!.uri).toMatch(/math-team\.mas$/);
        expect(verifier.source!.range.start.line).toBe(12);
        expect(model.markers).toEqual([]);
    });

    it('marks a frozen agent, and only it', async () => {
        const dir = folderWith({
            'chat.mas': readFileSync(join(import.meta.dirname, 'inputs/math-team.mas'), 'utf8').replace(
                /(agent planner: Planner \{ *model: base)/,
                '$1 frozen',
            ),
            'common.mas': readFileSync(join(import.meta.dirname, 'inputs/common.mas'), 'utf8'),
        });
        const model = await graphOf(join(dir, 'chat.mas'));
        const agents = model.nodes.filter((n): n is AgentNode => n.kind === 'agent');
        expect(agents.map((a) => [a.label, a.frozen ?? false])).toEqual([
            ['planner', true],
            ['solver', false],
            ['verifier', false],
        ]);
    });

    it('marks an agent on an API model frozen and names its endpoint', async () => {
        const dir = folderWith({
            'chat.mas':
                readFileSync(join(import.meta.dirname, 'inputs/math-team.mas'), 'utf8').replace(
                    /(agent planner: Planner \{ *model: )base/,
                    '$1gpt',
                ) + '\nmodel gpt { from: openai "http://127.0.0.1:8000/v1" name "qwen3-8b" }\n',
            'common.mas': readFileSync(join(import.meta.dirname, 'inputs/common.mas'), 'utf8'),
        });
        const model = await graphOf(join(dir, 'chat.mas'));
        const agents = model.nodes.filter((n): n is AgentNode => n.kind === 'agent');
        expect(agents.map((a) => [a.label, a.frozen ?? false, a.modelSource])).toEqual([
            ['planner', true, 'qwen3-8b @ http://127.0.0.1:8000/v1'],
            ['solver', false, 'Qwen/Qwen2.5-0.5B-Instruct'],
            ['verifier', false, 'Qwen/Qwen2.5-0.5B-Instruct'],
        ]);
    });

    it('gives edges stable ids, their condition text, bound and cycle membership', async () => {
        const model = await graphOf(join(import.meta.dirname, 'inputs/math-team.mas'));
        const loop = model.edges.find((e) => e.id === 'edge:agent:verifier->agent:solver#0')!;
        expect(loop).toMatchObject({ condition: 'verifier.output contains "REVISE"', max: 2, inCycle: true });
        expect(loop.source!.range.start).toEqual({ line: 16, character: 2 });
        expect(model.edges.find((e) => e.id === 'edge:start->agent:planner#0')).toMatchObject({
            condition: null,
            max: null,
            inCycle: false,
        });
    });

    it('names a LoRA started from an adapter folder by the folder, not by a rank it does not use', async () => {
        const dir = folderWith({
            'g.mas': `model m { from: hf "x"  adapter: lora(from: "adapters/solver") }
role R
agent a: R { model: m }
graph { start -> a -> end }`,
        });
        const model = await graphOf(join(dir, 'g.mas'));
        expect((model.nodes.find((n) => n.id === 'agent:a') as AgentNode).adapter).toBe('lora(from adapters/solver)');
    });

    it('numbers repeated edges, marks unreachable agents and attaches diagnostics to what they touch', async () => {
        const dir = folderWith({
            'g.mas': `model m { from: hf "x" }
role R
agent a: R { model: m }
agent b: R { model: m }
agent lost: R { model: m }
agent odd: Ghost { model: m }
graph {
  start -> a
  a -> b when a.output contains "x"
  a -> b
  b -> end
}`,
        });
        const model = await graphOf(join(dir, 'g.mas'));
        expect(model.workflow).toBe('g');
        expect(model.edges.map((e) => e.id)).toContain('edge:agent:a->agent:b#1');
        expect((model.nodes.find((n) => n.id === 'agent:lost') as AgentNode).reachable).toBe(false);
        const ghost = model.markers.find((m) => m.diagnostic.message.includes('Ghost'));
        expect(ghost).toMatchObject({ target: 'agent:odd', diagnostic: { severity: 'error', code: 'linking-error' } });
    });

    it('escapes quotes, backslashes and line breaks in DOT', () => {
        const dot = graphToDot({
            version: 1,
            workflow: 'W "x"',
            uri: 'file:///w.mas',
            markers: [],
            nodes: [
                { id: 'start', kind: 'start', label: 'start' },
                { id: 'end', kind: 'end', label: 'end' },
            ],
            edges: [
                {
                    id: 'edge:start->end#0',
                    from: 'start',
                    to: 'end',
                    condition: 'output matches /a\\d/\nx',
                    max: null,
                    inCycle: false,
                    source: null,
                },
            ],
        });
        expect(dot).toContain('digraph "W \\"x\\"" {');
        expect(dot).toContain('"start" -> "end" [label="output matches /a\\\\d/\\nx"];');
    });
});
