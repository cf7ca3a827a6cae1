// Verifiers are workspace code: Start Training's pre-flight and re-scoring refuse them in an untrusted workspace.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSpec, VerifierSpec } from '../../protocol/run-spec.js';
import { preflight } from '../../client/src/training/preflight.js';
import { verifierNames, verifierTrustRefusal, workspaceVerifiersOf } from '../../client/src/training/verifier-trust.js';

function specWith(file: string): Partial<RunSpec> {
    const equal: VerifierSpec = {
        name: 'equal',
        params: [{ name: 'got', type: 'string' }],
        returns: 'bool',
        file,
        function: 'math_equal',
    };
    return {
        verifiers: [equal, { ...equal, name: 'unused' }],
        rubrics: [
            {
                name: 'r',
                criteria: [
                    {
                        name: 'a',
                        weight: 0.5,
                        expr: {
                            op: 'not',
                            arg: { op: 'verifier', name: 'equal', args: [{ op: 'output', agent: 's' }] },
                        },
                    },
                    { name: 'b', weight: 0.5, expr: { op: 'verifier', name: 'f1', args: [] } },
                ],
            },
        ],
        reward: { name: 'team', rubric: 'r', level: 'trajectory' },
    };
}

describe('verifiers and workspace trust in the client', () => {
    it('finds the verifier calls of an expression, and the workspace verifiers a rubric calls (not built-ins)', () => {
        const spec = specWith('/w/v.py');
        expect(verifierNames(spec.rubrics![0]!.criteria[0]!.expr)).toEqual(['equal']);
        expect(workspaceVerifiersOf(spec.rubrics![0]!, spec.verifiers).map((v) => v.name)).toEqual(['equal']);
    });

    it('refuses in an untrusted workspace, naming the verifier and its file; allows when trusted or when none', () => {
        const [equal] = specWith('/w/v.py').verifiers!;
        expect(verifierTrustRefusal('Re-scoring', [equal!], false)).toMatch(
            /^Re-scoring would run the workflow's Python verifier equal \(\/w\/v\.py\), and this workspace is not trusted/,
        );
        expect(verifierTrustRefusal('Re-scoring', [equal!], true)).toBeUndefined();
        expect(verifierTrustRefusal('Re-scoring', [], false)).toBeUndefined();
    });

    it("Start Training's pre-flight refuses user verifiers when untrusted, and a missing verifier file", () => {
        const dir = mkdtempSync(join(tmpdir(), 'mas-verifier-preflight-'));
        const file = join(dir, 'v.py');
        const untrusted = preflight(specWith(file), { trusted: false, cudaAvailable: undefined, env: {} });
        expect(untrusted.map((p) => p.message)).toEqual([expect.stringContaining('not trusted')]);
        const missing = preflight(specWith(file), { trusted: true, cudaAvailable: undefined, env: {} });
        expect(missing.map((p) => p.message)).toEqual([
            expect.stringContaining(`verifier equal: The verifier file ${file} does not exist`), // the language's message
            expect.stringContaining(`verifier unused`),
        ]);
        writeFileSync(file, 'def math_equal(got):\n    return True\n');
        expect(preflight(specWith(file), { trusted: true, cudaAvailable: undefined, env: {} })).toEqual([]);
    });
});
