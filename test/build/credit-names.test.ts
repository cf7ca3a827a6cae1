// A credit method's name is written in the catalogue and in the registry generated from it, nowhere else (issue 12):
// code checks capabilities (`methodInfo(m).capabilities.needsTree`, `method_info(m).needs_tree`) and names a method
// through the registry (`CreditMethod.turn_level`, `method_of(fn)`). This test greps the sources for string literals
// that are exactly a method name and lists them.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CREDIT_METHOD_REGISTRY } from '../../protocol/generated/credit-methods.js';

const ROOTS = ['analysis', 'client/src', 'server/src', 'protocol', 'trainer/mas_trainer', 'webview'];
/** The owner and its generated copies (the RunSpec schema's enum is checked by parsing, below). */
const OWNED = [
    /^server\/src\/language\/catalog\/training-catalog\.ts$/,
    /^server\/src\/language\/generated\//, // Langium's output: the grammar's keywords
    /^protocol\/generated\//,
    /^trainer\/mas_trainer\/credit\/methods\.json$/,
];
/** Literals that are another concept spelled like a method: the train block's `critic:` property (the value model,
 *  declared beside `dataset`) and the what-if result's `critic` field. */
const OTHER_CONCEPTS: { file: RegExp; line: RegExp }[] = [
    { file: /^server\/src\/language\/(?:lsp|validation)\//, line: /'dataset'[^\n]*'critic'|property: 'critic'/ },
    { file: /^client\/src\/views\/trajectory\/controller\.ts$/, line: /WhatIfResult\['critic'\]/ },
];
/** Python estimator modules name their method once, in their `@register("<name>")` line. */
const REGISTER_LINE = /^\s*@register\((['"])\w+\1/;

const names: ReadonlySet<string> = new Set(CREDIT_METHOD_REGISTRY.map((m) => m.name));

function files(dir: string): string[] {
    return readdirSync(dir).flatMap((entry) => {
        const path = join(dir, entry);
        if (entry === 'node_modules' || entry === '__pycache__' || entry.startsWith('.')) return [];
        return statSync(path).isDirectory() ? files(path) : [path];
    });
}

/** `file:line: literal` for every string literal in `text` that is exactly a method name. */
export function strayNames(file: string, text: string): string[] {
    if (file.endsWith('.json')) return strayInJson(file, text);
    const found: string[] = [];
    text.split('\n').forEach((line, i) => {
        if (file.endsWith('.py') && file.startsWith('trainer/mas_trainer/credit/') && REGISTER_LINE.test(line)) return;
        if (OTHER_CONCEPTS.some((o) => o.file.test(file) && o.line.test(line))) return;
        for (const match of line.matchAll(/(['"])(\w+)\1/g)) {
            if (names.has(match[2]!)) found.push(`${file}:${i + 1}: ${match[0]}`);
        }
    });
    return found;
}

/** JSON: string values equal to a name, outside `required` lists (property names) and the schema enum the
 *  generator owns (`definitions.creditMethod` of run-spec.schema.json, checked fresh by `npm run check:generated`). */
function strayInJson(file: string, text: string): string[] {
    const found: string[] = [];
    const walk = (value: unknown, path: string): void => {
        if (typeof value === 'string') {
            if (names.has(value)) found.push(`${file}: ${path} = "${value}"`);
        } else if (Array.isArray(value)) {
            value.forEach((v, i) => walk(v, `${path}[${i}]`));
        } else if (value && typeof value === 'object') {
            for (const [key, v] of Object.entries(value)) {
                if (key === 'required' || (key === 'creditMethod' && path.endsWith('.definitions'))) continue;
                walk(v, `${path}.${key}`);
            }
        }
    };
    walk(JSON.parse(text), '$');
    return found;
}

const SOURCE = /\.(?:ts|py|json|mjs)$/;

describe('credit method names', () => {
    it('are written only in the catalogue and the generated registry', () => {
        const stray = ROOTS.flatMap(files)
            .map((path) => relative('.', path).split('\\').join('/'))
            .filter((path) => SOURCE.test(path) && !OWNED.some((re) => re.test(path)))
            .flatMap((path) => strayNames(path, readFileSync(path, 'utf8')));
        expect(stray, 'check capabilities (methodInfo / method_info) or name the method through the registry').toEqual(
            [],
        );
    });

    it('finds a stray literal in either language, and lets the owner and other concepts be', () => {
        expect(strayNames('analysis/x.ts', "if (method === 'turn_level') return;")).toHaveLength(1);
        expect(strayNames('trainer/mas_trainer/x.py', 'if method == "shapley":')).toHaveLength(1);
        expect(strayNames('trainer/mas_trainer/credit/shapley.py', '@register("shapley", reruns=plan)')).toEqual([]);
        expect(strayNames('trainer/mas_trainer/credit/shapley.py', 'ParamReader("shapley", params)')).toHaveLength(1);
        expect(strayNames('server/src/language/lsp/x.ts', "['dataset', 'critic']")).toEqual([]);
        expect(strayNames('protocol/schemas/x.json', '{"enum": ["outcome"], "required": ["critic"]}')).toHaveLength(1);
        expect(
            strayNames('protocol/schemas/x.json', '{"definitions": {"creditMethod": {"enum": ["outcome"]}}}'),
        ).toEqual([]);
        expect(names.size).toBeGreaterThan(0);
    });
});
