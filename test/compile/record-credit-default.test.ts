// A train block without `record_credit` records every cheap estimator in a team of at most SMALL_TEAM_AGENTS
// agents (issue 15 item 3), so a first run shows the estimators side by side; larger teams record none.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../server/src/compile/compile-file.js';
import type { TrainSpec } from '../../protocol/run-spec.js';
import { CREDIT_METHOD_REGISTRY } from '../../protocol/generated/credit-methods.js';
import { cheapCreditMethods, SMALL_TEAM_AGENTS } from '../../server/src/language/catalog/record-credit.js';
import { TRAIN_SETTINGS } from '../../server/src/language/catalog/training-catalog.js';
import { runSpecValidator } from './run-spec-schema.js';

/** A chain of `agents` agents, trained with `trainLines` in its train block. */
function team(agents: number, trainLines: string): string {
    const names = Array.from({ length: agents }, (_, i) => `a${i}`);
    return [
        'workflow Team',
        'dataset d from "d.jsonl" { q: string }',
        'model m { from: scratch(layers: 1, hidden: 16, vocab: chars) }',
        'role R',
        ...names.map((name) => `agent ${name}: R { model: m prompt: "{{task.q}}" }`),
        `graph { start -> ${names.join(' -> ')} -> end }`,
        `rubric r { criterion c weight 1: ${names[0]}.output contains "x" }`,
        'reward w: r per trajectory',
        `train { ${trainLines} }`,
    ].join('\n');
}

async function recorded(agents: number, trainLines = 'steps: 2'): Promise<TrainSpec['record_credit']> {
    const dir = mkdtempSync(join(tmpdir(), 'mas-record-credit-'));
    writeFileSync(join(dir, 'd.jsonl'), '{"q": "a"}\n');
    const file = join(dir, 'team.mas');
    writeFileSync(file, team(agents, trainLines));
    const outcome = await compileFile(file);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome));
    const validate = runSpecValidator();
    expect(validate(outcome.spec), JSON.stringify(validate.errors)).toBe(true);
    return outcome.spec.train.record_credit;
}

describe('record_credit left out', () => {
    it('the cheap estimators are those computed from the group alone: no tree, no nulled re-runs, no critic', () => {
        expect(cheapCreditMethods()).toEqual(['outcome', 'agent_normalized', 'turn_level']);
        for (const entry of CREDIT_METHOD_REGISTRY) {
            const { needsTree, needsNulledReruns, needsCritic } = entry.capabilities;
            expect(cheapCreditMethods().includes(entry.name)).toBe(!needsTree && !needsNulledReruns && !needsCritic);
        }
    });

    it('a team of 1 to SMALL_TEAM_AGENTS agents records every cheap estimator', async () => {
        // The hover text, the README and the estimators page state the size: they follow the constant.
        const documented = `at most ${SMALL_TEAM_AGENTS} agents`;
        expect(TRAIN_SETTINGS.find((s) => s.name === 'record_credit')?.doc).toContain(documented);
        for (const file of ['README.md', 'docs/credit-estimators.md'])
            expect(readFileSync(file, 'utf8').replace(/\s+/g, ' ')).toContain(documented);
        for (const agents of [1, 3, SMALL_TEAM_AGENTS])
            expect(await recorded(agents)).toEqual(['outcome', 'agent_normalized', 'turn_level']);
    });

    it('beside a costly training estimator too (its own credit is recorded anyway)', async () => {
        expect(await recorded(3, 'credit: shapley')).toEqual(['outcome', 'agent_normalized', 'turn_level']);
    });

    it('a larger team records none', async () => {
        expect(await recorded(SMALL_TEAM_AGENTS + 1)).toBe('none');
    });

    it('an explicit record_credit wins whatever the team size', async () => {
        expect(await recorded(3, 'record_credit: none')).toBe('none');
        expect(await recorded(SMALL_TEAM_AGENTS + 2, 'record_credit: all')).toBe('all');
    });

    it("the setting's documentation (hover, completion) states the default", () => {
        const doc = TRAIN_SETTINGS.find((setting) => setting.name === 'record_credit')!.doc;
        expect(doc).toContain(`at most ${SMALL_TEAM_AGENTS} agents`);
        for (const method of cheapCreditMethods()) expect(doc).toContain(`\`${method}\``);
    });
});
