import type { ErrorObject, ValidateFunction } from 'ajv';
import expressionSchema from '../../protocol/schemas/expression.schema.json';
import runSpecSchema from '../../protocol/schemas/run-spec.schema.json';
import runSchema from '../../protocol/schemas/run-dir/run.schema.json';
import type { RunJson } from '../../protocol/run-dir.js';

/**
 * The validator of protocol/schemas/run-dir/run.schema.json (RunSpec and expression schemas included): the same ajv
 * mechanism the tests use to check RunSpec. ajv is loaded and the schema compiled on first use (about 0.1 s), not when
 * the extension or the CLI starts; the caller's closure keeps the result.
 */
async function compileRunJsonValidator(): Promise<ValidateFunction<RunJson>> {
    // ajv is CommonJS: under Node16 resolution its class is the default export's `default` (as in the schema tests).
    const Ajv = (await import('ajv')).default.default;
    const ajv = new Ajv({ allErrors: false, strict: false });
    ajv.addSchema(expressionSchema);
    ajv.addSchema(runSpecSchema);
    return ajv.compile<RunJson>(runSchema);
}

/** `/spec/agents/0/name` → `spec.agents[0].name`: the field as a reader of run.json would write it. */
function fieldName(pointer: string): string {
    if (pointer === '') return '(the top level)';
    return pointer
        .slice(1)
        .split('/')
        .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
        .map((part, i) => (/^\d+$/.test(part) ? `[${part}]` : i === 0 ? part : `.${part}`))
        .join('');
}

function describeError(error: ErrorObject): string {
    const field = fieldName(error.instancePath);
    if (error.keyword === 'required')
        return `field '${(error.params as { missingProperty: string }).missingProperty}' is missing${field === '(the top level)' ? '' : ` in '${field}'`}`;
    if (error.keyword === 'enum')
        return `field '${field}' must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    if (error.keyword === 'additionalProperties')
        return `field '${field}' has an unknown member '${(error.params as { additionalProperty: string }).additionalProperty}'`;
    return `field '${field}' ${error.message ?? 'is invalid'}`;
}

/** Checks a parsed run.json against its schema: the value, or one sentence naming the first wrong field. */
export type RunJsonCheck = (value: unknown) => Promise<{ ok: true; value: RunJson } | { ok: false; error: string }>;

export function runJsonChecker(): RunJsonCheck {
    let compiled: Promise<ValidateFunction<RunJson>> | undefined;
    return async (value) => {
        const validate = await (compiled ??= compileRunJsonValidator());
        let valid: boolean;
        try {
            valid = validate(value);
        } catch (error) {
            // The depth scan bounds nesting, but ajv recurses a few frames per level of the expression schema.
            if (error instanceof RangeError) return { ok: false, error: 'it is nested too deeply to be checked' };
            throw error;
        }
        if (valid) return { ok: true, value: value as RunJson };
        return {
            ok: false,
            error: validate.errors?.[0] ? describeError(validate.errors[0]) : 'it does not match its schema',
        };
    };
}
