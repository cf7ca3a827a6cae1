import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../server/src/compile/compile-file.js';
import type { RunSpec } from '../../protocol/run-spec.js';
import { workflowWith } from '../language/verifiers/verifier-workflow.js';
import { runSpecValidator } from './run-spec-schema.js';

async function compileIn(text: string, files: Record<string, string>): Promise<{ spec: RunSpec; dir: string }> {
    const dir = mkdtempSync(join(tmpdir(), 'mas-compile-verifiers-'));
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'tasks.jsonl'), '{"question": "2+2", "answer": 4}\n');
    for (const [name, content] of Object.entries(files)) {
        mkdirSync(join(dir, name, '..'), { recursive: true });
        writeFileSync(join(dir, name), content);
    }
    const path = join(dir, 'main.mas');
    writeFileSync(path, text);
    const outcome = await compileFile(path);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome, null, 2));
    return { spec: outcome.spec, dir };
}

describe('compiling verifiers', () => {
    it('puts the called declared verifiers in the spec (file absolute) and calls as verifier nodes', async () => {
        const text = workflowWith(
            [
                'verifier equal(got: string, want: number) -> bool from "checks/v.py" function math_equal',
                'verifier unused(x: string) -> bool from "nowhere.py"',
            ].join('\n'),
            '  criterion answer weight 0.6: equal(solver.output, task.answer)\n' +
                '  criterion overlap weight 0.4: f1(solver.output, "four") * 2\n',
        ).replace('credit: outcome', 'credit: outcome\n  verifier_timeout: 2.5\n  verifier_memory: 512');
        const { spec, dir } = await compileIn(text, {
            'checks/v.py': 'def math_equal(got, want):\n    return True\n',
            'nowhere.py': 'def unused(x):\n    return True\n',
        });
        expect(spec.verifiers).toEqual([
            {
                name: 'equal',
                params: [
                    { name: 'got', type: 'string' },
                    { name: 'want', type: 'number' },
                ],
                returns: 'bool',
                file: join(dir, 'checks', 'v.py'),
                function: 'math_equal',
            },
        ]);
        const [answer, overlap] = spec.rubrics[0]!.criteria;
        expect(answer!.expr).toEqual({
            op: 'verifier',
            name: 'equal',
            args: [
                { op: 'output', agent: 'solver' },
                { op: 'task', field: 'answer' },
            ],
        });
        expect(overlap!.expr).toEqual({
            op: '*',
            left: {
                op: 'verifier',
                name: 'f1',
                args: [
                    { op: 'output', agent: 'solver' },
                    { op: 'str', value: 'four' },
                ],
            },
            right: { op: 'num', value: 2 },
        });
        expect(spec.train).toMatchObject({ verifier_timeout: 2.5, verifier_memory: 512, verifier_workers: 2 });
        const validate = runSpecValidator();
        expect(validate(spec), JSON.stringify(validate.errors)).toBe(true);
    });

    it('refuses to compile a workflow whose verifier file is missing', async () => {
        const text = workflowWith(
            'verifier equal(got: string, want: number) -> bool from "missing.py"',
            '  criterion answer weight 1: equal(solver.output, task.answer)\n',
        );
        const dir = mkdtempSync(join(tmpdir(), 'mas-compile-verifiers-'));
        writeFileSync(join(dir, 'main.mas'), text);
        const outcome = await compileFile(join(dir, 'main.mas'));
        expect(outcome.ok).toBe(false);
        expect(JSON.stringify(outcome)).toContain('verifier-file-missing');
    });
});
