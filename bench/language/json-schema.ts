import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv';
import { EmptyFileSystem, URI } from 'langium';
import { compileDocument } from '../../server/src/compile/compile-workflow.js';
import { createMasServices } from '../../server/src/language/mas-module.js';
import { percentile } from './stats.js';

// ajv is CommonJS: its class is the default export's `default` when bundled as ESM.
const Ajv = AjvModule.default;

/**
 * The same workflow as .mas (full build) and as JSON (parse + ajv validation against
 * protocol/schemas/run-spec.schema.json), for users comparing with JSON/YAML-configured trainers.
 * Returns the lines to print.
 */
export async function jsonSchemaFigure(repoRoot: string, workflowText: string, runs: number): Promise<string[]> {
    const schemaDir = join(repoRoot, 'protocol', 'schemas');
    const schemaPath = join(schemaDir, 'run-spec.schema.json');
    if (!existsSync(schemaPath)) {
        return [`JSON Schema figure skipped: ${schemaPath} does not exist yet.`];
    }
    const { shared } = createMasServices(EmptyFileSystem);
    const masSamples: number[] = [];
    let json = '';
    let refusal = '';
    for (let run = 0; run < runs + 3; run++) {
        const started = performance.now();
        const document = shared.workspace.LangiumDocumentFactory.fromString(
            workflowText,
            URI.parse(`file:///json/w${run}.mas`),
        );
        shared.workspace.LangiumDocuments.addDocument(document);
        await shared.workspace.DocumentBuilder.build([document], { validation: true });
        const millis = performance.now() - started;
        if (run >= 3) {
            masSamples.push(millis);
        }
        const outcome = compileDocument(document, shared.workspace.LangiumDocuments);
        if (outcome.ok) {
            json = JSON.stringify(outcome.spec, null, 2);
        } else {
            refusal = outcome.diagnostics
                .slice(0, 3)
                .map((d) => JSON.stringify(d))
                .join('; ');
        }
        shared.workspace.LangiumDocuments.deleteDocument(document.uri);
    }
    if (!json) {
        return [`JSON Schema figure skipped: the benchmark workflow does not compile: ${refusal}`];
    }
    const ajv = new Ajv({ allErrors: true, strict: false });
    const expressionSchema = join(schemaDir, 'expression.schema.json');
    if (existsSync(expressionSchema)) {
        ajv.addSchema(JSON.parse(readFileSync(expressionSchema, 'utf8')) as object);
    }
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
    const jsonSamples: number[] = [];
    let valid = false;
    for (let run = 0; run < runs + 3; run++) {
        const started = performance.now();
        valid = validate(JSON.parse(json)) as boolean;
        const millis = performance.now() - started;
        if (run >= 3) {
            jsonSamples.push(millis);
        }
    }
    const mas = percentile(masSamples, 50);
    const viaJson = percentile(jsonSamples, 50);
    return [
        `same workflow as .mas: full build (parse, link, all semantic checks) p50 ${mas.toFixed(3)} ms`,
        `same workflow as JSON (${json.length} chars): JSON.parse + ajv schema validation p50 ${viaJson.toFixed(3)} ms ` +
            `(valid: ${valid}; the schema checks shape only, none of the semantic checks)`,
    ];
}
