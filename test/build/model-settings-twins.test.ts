// The words of the model settings `format`, `dtype` and `attention` are written in three places that must agree: the
// language catalogue (server/src/language/catalog/model-catalog.ts, what the validator accepts and completion
// offers), the RunSpec schema (protocol/schemas/run-spec.schema.json) and the trainer's twins (MODEL_FORMATS,
// MODEL_DTYPES, MODEL_ATTENTIONS in trainer/mas_trainer/spec.py, what parse_spec accepts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
    AGENT_SETTINGS,
    MODEL_ATTENTIONS,
    MODEL_DTYPES,
    MODEL_FORMATS,
    MODEL_SETTINGS,
} from '../../server/src/language/catalog/model-catalog.js';

const specPy = readFileSync('trainer/mas_trainer/spec.py', 'utf8');
const schema = JSON.parse(readFileSync('protocol/schemas/run-spec.schema.json', 'utf8')) as {
    definitions: Record<string, { properties: Record<string, { enum?: unknown[]; type?: string; default?: unknown }> }>;
};

/** The strings of a Python tuple constant `NAME = ("a", "b")` of spec.py. */
function pythonTuple(name: string): string[] {
    const match = new RegExp(`^${name} = \\(([^)]*)\\)`, 'm').exec(specPy);
    expect(match, `${name} in spec.py`).not.toBeNull();
    return [...match![1]!.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
}

describe('model settings: catalogue, schema and trainer agree', () => {
    it.each([
        ['format', MODEL_FORMATS, 'MODEL_FORMATS', true],
        ['dtype', MODEL_DTYPES, 'MODEL_DTYPES', false],
        ['attention', MODEL_ATTENTIONS, 'MODEL_ATTENTIONS', true],
    ] as const)('%s', (key, words, pythonName, nullable) => {
        expect(pythonTuple(pythonName)).toEqual([...words]);
        expect(schema.definitions['model']!.properties[key]!.enum).toEqual([...words, ...(nullable ? [null] : [])]);
        expect(MODEL_SETTINGS.find((s) => s.name === key)?.values).toEqual(words);
    });

    it('uses the catalogue defaults in the trainer', () => {
        expect(specPy).toMatch(/^ {4}dtype: str = "auto"/m);
        expect(MODEL_SETTINGS.find((s) => s.name === 'dtype')?.default).toBe('auto');
        expect(specPy).toMatch(/^ {4}gradient_checkpointing: bool = False/m);
        expect(MODEL_SETTINGS.find((s) => s.name === 'gradient_checkpointing')?.default).toBe('false');
        expect(AGENT_SETTINGS.find((s) => s.name === 'top_p')?.default).toBe(1);
        expect(AGENT_SETTINGS.find((s) => s.name === 'top_k')?.default).toBe(0);
    });
});
