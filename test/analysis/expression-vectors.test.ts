import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tryEvaluate } from '../../analysis/expression/evaluate.js';
import type { EvalContext, ExpressionVector } from '../../protocol/expression.js';

const VECTOR_DIR = join(import.meta.dirname, '../fixtures/expressions');
const TOPICS = [
    'literals-refs',
    'arithmetic',
    'comparison',
    'logic',
    'strings',
    'regex',
    'regex-limits',
    'regex-differential',
    'conversions',
    'errors',
];

/** The vector's context with its generated task fields filled in. */
function contextOf(vector: ExpressionVector): EvalContext {
    const task = { ...vector.context.task };
    for (const [field, text] of Object.entries(vector.generated ?? {}))
        task[field] = text.repeat.repeat(text.times) + (text.suffix ?? '');
    return { ...vector.context, task };
}

function load(topic: string): ExpressionVector[] {
    return JSON.parse(readFileSync(join(VECTOR_DIR, `${topic}.json`), 'utf8')) as ExpressionVector[];
}

describe('expression conformance vectors', () => {
    it('has one file per topic and enough vectors', () => {
        const files = readdirSync(VECTOR_DIR)
            .filter((f) => f.endsWith('.json'))
            .map((f) => f.replace(/\.json$/, ''));
        expect(files.sort()).toEqual([...TOPICS].sort());
        const all = TOPICS.flatMap(load);
        expect(all.length).toBeGreaterThanOrEqual(150);
        expect(new Set(all.map((v) => v.name)).size).toBe(all.length);
        for (const vector of all) {
            expect('expected' in vector !== 'error' in vector, vector.name).toBe(true);
        }
    });

    for (const topic of TOPICS) {
        describe(topic, () => {
            for (const vector of load(topic)) {
                it(vector.name, () => {
                    const result = tryEvaluate(vector.expr, contextOf(vector));
                    if (vector.error !== undefined) {
                        expect(result.ok ? { value: result.value } : { error: result.error.kind }).toEqual({
                            error: vector.error,
                        });
                    } else {
                        expect(result.ok ? { value: result.value } : { error: result.error.kind }).toEqual({
                            value: vector.expected,
                        });
                    }
                });
            }
        });
    }
});
