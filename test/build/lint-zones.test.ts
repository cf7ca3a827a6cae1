// Proves that the layering rules of DESIGN.md §1 are enforced: each snippet breaks one zone and must be reported.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<number> {
    const [result] = await eslint.lintText(code, { filePath });
    return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').length;
}

const violations: [zone: string, file: string, code: string][] = [
    [
        'protocol imports server',
        'protocol/x.ts',
        "import { a } from '../server/src/language/mas-module.js';\nexport { a };\n",
    ],
    ['protocol imports langium', 'protocol/x.ts', "import { URI } from 'langium';\nexport { URI };\n"],
    ['server imports vscode', 'server/src/language/x.ts', "import * as vscode from 'vscode';\nexport { vscode };\n"],
    [
        'server language imports client',
        'server/src/language/x.ts',
        "import { activate } from '../../../client/src/extension.js';\nexport { activate };\n",
    ],
    [
        'server language imports compile',
        'server/src/language/graph/x.ts',
        "import { compileDocument } from '../../compile/compile-workflow.js';\nexport { compileDocument };\n",
    ],
    [
        'server language imports handlers',
        'server/src/language/x.ts',
        "import { whenValidated } from '../handlers/lsp-requests.js';\nexport { whenValidated };\n",
    ],
    [
        'server language imports cli',
        'server/src/language/x.ts',
        "import { main } from '../cli/main.js';\nexport { main };\n",
    ],
    [
        'server compile imports vscode',
        'server/src/compile/x.ts',
        "import * as vscode from 'vscode';\nexport { vscode };\n",
    ],
    [
        'server compile imports handlers',
        'server/src/compile/x.ts',
        "import { whenValidated } from '../handlers/lsp-requests.js';\nexport { whenValidated };\n",
    ],
    [
        'server compile imports main',
        'server/src/compile/x.ts',
        "import * as main from '../main.js';\nexport { main };\n",
    ],
    [
        'server cli imports handlers',
        'server/src/cli/x.ts',
        "import { whenValidated } from '../handlers/lsp-requests.js';\nexport { whenValidated };\n",
    ],
    ['server cli imports vscode', 'server/src/cli/x.ts', "import * as vscode from 'vscode';\nexport { vscode };\n"],
    [
        'client imports server',
        'client/src/x.ts',
        "import { createMasServices } from '../../server/src/language/mas-module.js';\nexport { createMasServices };\n",
    ],
    ['client imports langium', 'client/src/x.ts', "import { AstUtils } from 'langium';\nexport { AstUtils };\n"],
    ['webview imports vscode', 'webview/graph/x.ts', "import * as vscode from 'vscode';\nexport { vscode };\n"],
    [
        'webview imports node:fs',
        'webview/graph/x.ts',
        "import { readFileSync } from 'node:fs';\nexport { readFileSync };\n",
    ],
    ['webview imports fs', 'webview/graph/x.ts', "import { readFileSync } from 'fs';\nexport { readFileSync };\n"],
    [
        'webview imports client',
        'webview/graph/x.ts',
        "import { activate } from '../../client/src/extension.js';\nexport { activate };\n",
    ],
    ['analysis imports langium', 'analysis/x.ts', "import { AstUtils } from 'langium';\nexport { AstUtils };\n"],
    ['analysis imports vscode', 'analysis/x.ts', "import * as vscode from 'vscode';\nexport { vscode };\n"],
    [
        'analysis imports server',
        'analysis/x.ts',
        "import { compile } from '../server/src/compile/compile-file.js';\nexport { compile };\n",
    ],
];

describe('lint zones (DESIGN.md §1)', () => {
    it.each(violations)('%s is reported', async (_zone, file, code) => {
        expect(await restrictedImports(file, code)).toBe(1);
    });

    it('allowed imports pass', async () => {
        expect(
            await restrictedImports(
                'client/src/x.ts',
                "import * as vscode from 'vscode';\nimport type { RunSpec } from '../../protocol/run-spec.js';\nexport type T = RunSpec;\nexport { vscode };\n",
            ),
        ).toBe(0);
        expect(
            await restrictedImports(
                'server/src/x.ts',
                "import { AstUtils } from 'langium';\nimport { readFileSync } from 'node:fs';\nexport { AstUtils, readFileSync };\n",
            ),
        ).toBe(0);
        expect(
            await restrictedImports(
                'server/src/handlers/x.ts',
                "import { compileDocument } from '../compile/compile-workflow.js';\nimport { buildGraphModel } from '../language/graph/graph-model.js';\nexport { compileDocument, buildGraphModel };\n",
            ),
        ).toBe(0);
        expect(
            await restrictedImports(
                'server/src/cli/x.ts',
                "import { compileFile } from '../compile/compile-file.js';\nimport { main } from './main.js';\nexport { compileFile, main };\n",
            ),
        ).toBe(0);
        expect(
            await restrictedImports(
                'server/src/compile/x.ts',
                "import { withDefaults } from '../language/catalog/defaults.js';\nexport { withDefaults };\n",
            ),
        ).toBe(0);
        expect(
            await restrictedImports(
                'webview/graph/x.ts',
                "import type { RunSpec } from '../../protocol/run-spec.js';\nexport type T = RunSpec;\n",
            ),
        ).toBe(0);
    });
});
