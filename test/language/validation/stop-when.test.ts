import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTrain } from '../../../server/src/language/generated/ast.js';
import { createValidationServices, diagnosticCode, problemCodes } from './validation-helpers.js';

const { validate, codeActions } = createValidationServices();
const base = readFileSync(join(import.meta.dirname, '../../fixtures/invalid/linking-error.mas'), 'utf8').replace(
    'Solvr',
    'Solver',
);

/** The base workflow with `line` added to its train block. */
function withStopWhen(line: string): string {
    expect(base).toContain('  credit: outcome\n');
    return base.replace('  credit: outcome\n', `  credit: outcome\n  ${line}\n`);
}

describe('stop_when', () => {
    it('parses metric, comparison, threshold and step count', async () => {
        const document = await validate(withStopWhen('stop_when: success >= 0.99 for 10 steps'));
        expect(document.parseResult.parserErrors).toEqual([]);
        expect(problemCodes(document)).toEqual([]);
        const train = document.parseResult.value.elements.find(isTrain)!;
        const { metric, op, threshold, steps } = train.stopWhen[0]!;
        expect({ metric, op, threshold, steps }).toEqual({ metric: 'success', op: '>=', threshold: 0.99, steps: 10 });
    });

    it('accepts reward_mean, a criterion of the reward rubric and a negative threshold', async () => {
        for (const line of ['stop_when: reward_mean > -0.5 for 3 steps', 'stop_when: answer <= 0.1 for 1 steps']) {
            const document = await validate(withStopWhen(line));
            expect(document.parseResult.parserErrors, line).toEqual([]);
            expect(problemCodes(document), line).toEqual([]);
        }
        const train = (
            await validate(withStopWhen('stop_when: reward_mean > -0.5 for 3 steps'))
        ).parseResult.value.elements.find(isTrain)!;
        expect(train.stopWhen[0]!.threshold).toBe(-0.5);
    });

    it('rejects a metric the trainer does not record, and offers the closest one', async () => {
        const document = await validate(withStopWhen('stop_when: sucess >= 0.99 for 10 steps'));
        expect(problemCodes(document)).toEqual(['invalid-stop-condition']);
        const message = document.diagnostics!.find((d) => diagnosticCode(d) === 'invalid-stop-condition')!.message;
        expect(message).toContain("'sucess'");
        expect(message).toContain('`answer`');
        const actions = await codeActions(document, 'invalid-stop-condition');
        expect(actions.map((action) => action.title)).toEqual(["Change to 'success'"]);
    });

    it('rejects a step count that is zero or not whole', async () => {
        for (const count of ['0', '2.5']) {
            const document = await validate(withStopWhen(`stop_when: success >= 0.9 for ${count} steps`));
            expect(problemCodes(document), count).toEqual(['invalid-stop-condition']);
        }
    });

    it('reports a second stop_when', async () => {
        const document = await validate(
            withStopWhen('stop_when: success >= 0.9 for 2 steps\n  stop_when: reward_mean > 0.5 for 2 steps'),
        );
        expect(problemCodes(document)).toEqual(['duplicate-property']);
    });

    it('is a parse error without its step count or comparison', async () => {
        for (const line of ['stop_when: success >= 0.9', 'stop_when: success 0.9 for 2 steps']) {
            const document = await validate(withStopWhen(line));
            expect(document.parseResult.parserErrors.length, line).toBeGreaterThan(0);
        }
    });
});
