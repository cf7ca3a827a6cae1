import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../server/src/compile/compile-file.js';
import { runSpecValidator } from './run-spec-schema.js';

const TEAM = `workflow Chat
dataset d from "d.jsonl" { q: string }
model m { from: scratch(layers: 1, hidden: 32, heads: 4) }
role User
role Helper
agent user: User { model: m frozen  prompt: "{{task.q}}" }
agent helper: Helper { model: m  prompt: "{{user.output}}" }
graph { start -> user -> helper -> end }
rubric r { criterion c weight 1: helper.output contains "x" }
reward w: r per trajectory
train { algorithm: grpo(group: 2) steps: 1 batch: 1 device: cpu }
`;

describe('compiling frozen agents', () => {
    it('marks the agent declared `frozen` and only it, valid against the RunSpec schema', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'mas-frozen-'));
        writeFileSync(join(dir, 'd.jsonl'), '{"q": "hi"}\n');
        const path = join(dir, 'chat.mas');
        writeFileSync(path, TEAM);
        const outcome = await compileFile(path);
        if (!outcome.ok) throw new Error(JSON.stringify(outcome, null, 2));
        expect(outcome.spec.agents.map((a) => [a.name, a.frozen, a.sharing])).toEqual([
            ['user', true, 'shared'],
            ['helper', false, 'shared'],
        ]);
        const validate = runSpecValidator();
        expect(validate(outcome.spec), JSON.stringify(validate.errors)).toBe(true);
        const notBoolean = { ...outcome.spec.agents[0], frozen: 'yes' };
        expect(validate({ ...outcome.spec, agents: [notBoolean, outcome.spec.agents[1]] })).toBe(false);
    });
});
