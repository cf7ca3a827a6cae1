import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyAction, createValidationServices, problemCodes } from './validation-helpers.js';

const { validate, buildFiles, codeActions } = createValidationServices();
const fixture = (code: string) =>
    readFileSync(join(import.meta.dirname, '../../fixtures/invalid', `${code}.mas`), 'utf8');

describe('frozen agents', () => {
    it('parses `model: base frozen` (also after `adapter separate`) and accepts a team with one frozen agent', async () => {
        const text = fixture('all-agents-frozen').replace(
            'model: base frozen  prompt: "{{user',
            'model: base  prompt: "{{user',
        );
        const document = await validate(text);
        expect(problemCodes(document)).toEqual([]);
        const [user, helper] = document.parseResult.value.elements.filter((e) => e.$type === 'Agent') as {
            model?: { frozen: boolean };
        }[];
        expect([user?.model?.frozen, helper?.model?.frozen]).toEqual([true, false]);
    });

    it('keeps `frozen` usable as a dataset field and criterion name (`task.frozen`)', async () => {
        const text = fixture('all-agents-frozen')
            .replace('{ question: string }', '{ question: string  frozen: bool }')
            .replace('model: base frozen  prompt: "{{user', 'model: base  prompt: "{{user')
            .replace('criterion polite weight 1:', 'criterion frozen weight 1: task.frozen and');
        const document = await validate(text);
        expect(problemCodes(document)).toEqual([]);
    });

    it('removes `adapter separate` from a frozen agent, leaving it frozen', async () => {
        const document = await validate(fixture('frozen-separate-pointless'));
        const diagnostic = document.diagnostics?.find(
            (d) => (d.data as { code?: string }).code === 'frozen-separate-pointless',
        );
        expect(diagnostic?.severity).toBe(2);
        expect(diagnostic?.message).toContain('`adapter separate` has no effect on a frozen agent');
        const actions = await codeActions(document, 'frozen-separate-pointless');
        expect(actions.map((a) => a.title)).toEqual(['Remove `adapter separate`']);
        const fixed = applyAction(document, actions[0]!);
        expect(fixed).toContain('agent user: User { model: base frozen  prompt:');
        expect(problemCodes(await validate(fixed))).toEqual([]);
    });

    it('warns about `weights separate` on a frozen agent too, with the same fix', async () => {
        const text = fixture('frozen-separate-pointless').replace('adapter separate frozen', 'weights separate frozen');
        const document = await validate(text);
        expect(problemCodes(document)).toEqual(['frozen-separate-pointless']);
        const actions = await codeActions(document, 'frozen-separate-pointless');
        expect(applyAction(document, actions[0]!)).toContain('{ model: base frozen  prompt:');
    });

    it('refuses a team whose agents are all frozen and offers to train each one', async () => {
        const document = await validate(fixture('all-agents-frozen'));
        const diagnostic = document.diagnostics?.find(
            (d) => (d.data as { code?: string }).code === 'all-agents-frozen',
        );
        expect(diagnostic?.severity).toBe(1);
        expect(diagnostic?.message).toContain('(user, helper)');
        const actions = await codeActions(document, 'all-agents-frozen');
        expect(actions.map((a) => a.title)).toEqual([
            "Train the agent 'user' (remove `frozen`)",
            "Train the agent 'helper' (remove `frozen`)",
        ]);
        const fixed = applyAction(document, actions[1]!);
        expect(fixed).toContain('agent helper: Helper { model: base  prompt:');
        expect(fixed).toContain('agent user: User { model: base frozen  prompt:');
        expect(problemCodes(await validate(fixed))).toEqual([]);
    });

    it('counts the agents of imported files, and fixes them in their own file', async () => {
        const main = fixture('all-agents-frozen')
            .replace(/^agent user: .*$/m, '')
            .replace('workflow Chat', 'workflow Chat\nimport "agents.mas"');
        const docs = await buildFiles({
            'main.mas': main,
            'agents.mas': 'agent user: User { model: base frozen  prompt: "{{task.question}}" }\n',
        });
        const document = docs['main.mas']!;
        expect(problemCodes(document)).toEqual(['all-agents-frozen']);
        const actions = await codeActions(document, 'all-agents-frozen');
        const imported = docs['agents.mas']!;
        const fix = actions.find((a) => a.title.includes("'user'"))!;
        expect(applyAction(imported, fix, imported.textDocument.uri)).toContain('{ model: base  prompt:');
    });
});
