// Flat ESLint config: typescript-eslint recommended + the layering rules of DESIGN.md §1 as import zones.
// Zones use `no-restricted-imports` patterns per folder: they work on the import text, so they need no
// module resolution and fire on in-memory snippets too (see test/build/lint-zones.test.ts).
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** Import patterns that reach another part of the repository, whatever the relative depth. */
const part = (name) => [`**/${name}`, `**/${name}/**`, `${name}/**`];

/** One zone: files matching `files` may not import what `patterns`/`paths` name. */
function zone(files, why, { patterns = [], paths = [] }) {
    return {
        files,
        rules: {
            'no-restricted-imports': [
                'error',
                {
                    paths: paths.map((name) => ({ name, message: why })),
                    patterns: patterns.length ? [{ group: patterns, message: why }] : [],
                },
            ],
        },
    };
}

const serverWhy = 'server/ never imports vscode or the extension host; talk to it over LSP (DESIGN.md §1).';
const serverRule = { patterns: [...part('client'), ...part('webview')], paths: ['vscode'] };

export default tseslint.config(
    {
        ignores: [
            'node_modules/**',
            'out/**',
            'server/src/language/generated/**',
            'trainer/**',
            'runs/**',
            '**/*.cjs',
            '**/generated/**',
            '.cache/**',
            'test-results/**',
            'bench/results/**',
        ],
    },
    ...tseslint.configs.recommended,
    {
        rules: {
            '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
            // `map.get(k)?.push(v) ?? map.set(k, [v])` is an idiom used here; plain dead expressions still fail.
            '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true }],
        },
    },
    zone(['protocol/**'], 'protocol/ holds contracts only and imports nothing from the other parts (DESIGN.md §1).', {
        patterns: [
            ...part('server'),
            ...part('client'),
            ...part('analysis'),
            ...part('webview'),
            'langium',
            'langium/**',
        ],
        paths: ['vscode'],
    }),
    zone(['server/**'], serverWhy, serverRule),
    // Inside the server the layers point one way: language/ (grammar, scoping, validation, graph analysis, catalogue)
    // <- compile/ (AST -> RunSpec) <- handlers/ (custom LSP requests) and cli/ <- main.ts. A later zone replaces the
    // rule of an earlier one for the files it matches, so each inner zone repeats the server-wide restrictions.
    zone(
        ['server/src/language/**'],
        `${serverWhy} server/src/language/ is the bottom layer: it imports no compile/, handlers/, cli/ or main.ts.`,
        {
            patterns: [...serverRule.patterns, ...part('compile'), ...part('handlers'), ...part('cli'), '**/main.js'],
            paths: serverRule.paths,
        },
    ),
    zone(
        ['server/src/cli/**'],
        `${serverWhy} server/src/cli/ runs without an LSP connection: it imports no handlers/.`,
        {
            patterns: [...serverRule.patterns, ...part('handlers')],
            paths: serverRule.paths,
        },
    ),
    zone(
        ['server/src/compile/**'],
        `${serverWhy} server/src/compile/ reads language/ only: it imports no handlers/, cli/ or main.ts.`,
        {
            patterns: [...serverRule.patterns, ...part('handlers'), ...part('cli'), '**/main.js'],
            paths: serverRule.paths,
        },
    ),
    zone(
        ['client/**'],
        'client/ never imports server/ or the Langium runtime: use LSP methods declared in protocol/ (DESIGN.md §1).',
        {
            patterns: [...part('server'), ...part('webview'), 'langium', 'langium/**'],
        },
    ),
    zone(
        ['webview/**'],
        'webview/ is browser code: no vscode, no Node built-ins, no client/ or server/; only protocol/ and webview/common (DESIGN.md §1).',
        {
            patterns: [...part('server'), ...part('client'), ...part('analysis'), 'langium', 'langium/**'],
            paths: ['vscode', ...nodeBuiltins],
        },
    ),
    zone(
        ['analysis/**'],
        'analysis/ is pure TypeScript: no vscode, no langium, no client/ or server/ (DESIGN.md §1).',
        {
            patterns: [...part('server'), ...part('client'), ...part('webview'), 'langium', 'langium/**'],
            paths: ['vscode'],
        },
    ),
);
