// An agent whose `model:` binding lost its name while being typed (`model: adapter separate`) must not break the
// graph: the view keeps drawing the agent, without a model (found by the mutation fuzzer).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGraphModel } from '../../server/src/language/graph/graph-model.js';
import { loadMasFiles } from '../../server/src/language/workspace/load-workspace.js';

describe('graph of a half-typed agent', () => {
    it('draws the agent with no model instead of throwing', async () => {
        const folder = mkdtempSync(join(tmpdir(), 'mas-graph-'));
        try {
            const file = join(folder, 'team.mas');
            writeFileSync(
                file,
                'model m { from: hf "x" }\nrole R\nagent a: R { model: adapter separate\ngraph { start -> a -> end }\n',
            );
            const workspace = await loadMasFiles([file]);
            const built = buildGraphModel(workspace.roots[0]!, workspace.shared.workspace.LangiumDocuments);
            expect(built.nodes.map((n) => n.id)).toContain('agent:a');
        } finally {
            rmSync(folder, { recursive: true, force: true });
        }
    });
});
