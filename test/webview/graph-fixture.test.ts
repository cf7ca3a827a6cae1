// The browser tests draw test/fixtures/webview/graph-math-team.json; this keeps that fixture equal to what the
// server's graph builder gives for examples/math-team today, so the view is never tested against a stale contract.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GraphModel } from '../../protocol/graph-model.js';
import { buildGraphModel } from '../../server/src/language/graph/graph-model.js';
import { loadMasFiles } from '../../server/src/language/workspace/load-workspace.js';

describe('graph view fixture', () => {
    it('is what the server builds for examples/math-team (uris aside)', async () => {
        const file = join(process.cwd(), 'examples', 'math-team', 'math-team.mas');
        const workspace = await loadMasFiles([file]);
        const built = buildGraphModel(workspace.roots[0]!, workspace.shared.workspace.LangiumDocuments);
        const fixture = readFileSync(new URL('../fixtures/webview/graph-math-team.json', import.meta.url), 'utf8');
        const expected = JSON.parse(
            fixture.replaceAll('file:///workspace/math-team/', `${built.uri.replace(/math-team\.mas$/, '')}`),
        ) as GraphModel;
        // Regenerate with: node bin/mas.cjs graph examples/math-team/math-team.mas --format json (then rewrite the uris).
        expect(JSON.parse(JSON.stringify(built))).toEqual(expected);
    });
});
