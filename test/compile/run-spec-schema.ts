import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';

const SCHEMA_DIR = join(import.meta.dirname, '../../protocol/schemas');
// ajv is CommonJS: under Node16 resolution its class is the default export's `default`.
const Ajv = AjvModule.default;

function schema(name: string): object {
    return JSON.parse(readFileSync(join(SCHEMA_DIR, name), 'utf8')) as object;
}

/** A strict ajv validator of protocol/schemas/run-spec.schema.json (with the expression schema it refers to). */
export function runSpecValidator() {
    const ajv = new Ajv({ allErrors: true, strict: true });
    ajv.addSchema(schema('expression.schema.json'));
    return ajv.compile(schema('run-spec.schema.json'));
}

/** A strict ajv validator of protocol/schemas/expression.schema.json alone. */
export function runSpecExpressionValidator() {
    return new Ajv({ allErrors: true, strict: true }).compile(schema('expression.schema.json'));
}
