// README.md is the extension's marketplace page (the VSIX ships it); the contributor material lives in
// CONTRIBUTING.md, whose quick start stays one link away from the README (issue 15 item 1).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script shared with check:generated, no type declarations.
import { readmeWithCodes } from '../../scripts/sync-readme-codes.mjs';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string): string => readFileSync(path.join(root, file), 'utf8');
const readme = read('README.md');
const contributing = read('CONTRIBUTING.md');

/** The `## Heading` sections of a Markdown page, by heading. */
function sections(markdown: string): Map<string, string> {
    const map = new Map<string, string>();
    for (const part of markdown.split(/^(?=## )/m)) {
        const heading = /^## (.*)/.exec(part)?.[1];
        if (heading) map.set(heading, part);
    }
    return map;
}

describe('README.md is the user page, CONTRIBUTING.md the contributor page', () => {
    it('the README walks the first hour: environment, example, train, dashboard, trajectories', () => {
        const firstHour = sections(readme).get('Your first hour') ?? '';
        for (const step of [
            'MAS: Set Up Trainer Environment',
            'examples/lazy-team/',
            'MAS: Start Training',
            'MAS: Show Training Dashboard',
            'MAS: Show Trajectories and Credit',
        ])
            expect(firstHour).toContain(step);
        expect([...sections(readme).keys()]).toEqual(
            expect.arrayContaining(['Language features', 'Commands', 'Settings', 'Diagnostics', 'Contributing']),
        );
    });

    it('every setting the extension contributes is in the README', () => {
        const manifest = JSON.parse(read('package.json')) as {
            contributes: { configuration: { properties: Record<string, unknown> } };
        };
        const settings = sections(readme).get('Settings') ?? '';
        for (const key of Object.keys(manifest.contributes.configuration.properties))
            expect(settings).toContain(`\`${key}\``);
    });

    it('contributor material is in CONTRIBUTING.md, not in the README (whose last section only links to it)', () => {
        const userPart = readme.slice(0, readme.indexOf('\n## Contributing'));
        for (const contributorOnly of ['npm test', 'npm run lint', 'Langium is pinned', 'lint-zones', '.ci/run']) {
            expect(userPart).not.toContain(contributorOnly);
            expect(contributing).toContain(contributorOnly);
        }
    });

    it('the quick start (demo and tests from a fresh clone) opens CONTRIBUTING.md and the README links to it', () => {
        const first = [...sections(contributing).entries()][0]!;
        expect(first[0]).toBe('Quick start');
        expect(first[1]).toMatch(/^npm run demo\b/m);
        expect(first[1]).toMatch(/^npm test\b/m);
        expect(sections(readme).get('Contributing')).toContain('](CONTRIBUTING.md#quick-start)');
    });

    it('every relative link and image of the README exists; images are under media/, which the VSIX ships', () => {
        const targets = [...readme.matchAll(/(!?)\[[^\]]*\]\(([^)\s]+)\)/g)].filter(
            ([, , target]) => !/^(?:[a-z]+:|#)/.test(target!),
        );
        const images = targets.filter(([, bang]) => bang === '!').map(([, , target]) => target!);
        expect(images.length).toBeGreaterThan(0);
        for (const image of images) expect(image).toMatch(/^media\//);
        for (const [, , target] of targets) expect(existsSync(path.join(root, target!.split('#')[0]!))).toBe(true);
    });

    it('.vscodeignore lets README.md and media/ into the VSIX and keeps CONTRIBUTING.md out', () => {
        const rules = read('.vscodeignore')
            .split('\n')
            .map((line) => line.trim());
        expect(rules[rules.findIndex((line) => !line.startsWith('#'))]).toBe('**'); // an allow-list
        expect(rules).toContain('!README.md');
        expect(rules).toContain('!media/**');
        expect(rules.filter((line) => /CONTRIBUTING/i.test(line))).toEqual([]);
    });
});

describe('the diagnostic-codes table of the README (scripts/sync-readme-codes.mjs)', () => {
    it('README.md holds the table docs/diagnostic-codes.md gives', async () => {
        expect(await readmeWithCodes(readme, read('docs/diagnostic-codes.md'))).toBe(readme);
    });

    it('prettier leaves the synced README as it is, so formatting never makes the check fail', async () => {
        const synced = (await readmeWithCodes(readme, read('docs/diagnostic-codes.md'))) as string;
        expect(await prettier.format(synced, { parser: 'markdown', printWidth: 120 })).toBe(synced);
    });
});
