// package.json's contributions hold together: every command a menu, a welcome view or the walkthrough names exists
// (in the one command table, protocol/commands.ts, or is VS Code's own), every when-clause reads context keys that
// VS Code or the extension's code sets, the Runs view's row matchers match the context values the view gives its
// rows, and the files the manifest points at (icon, walkthrough pages) exist.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RUN_CONTEXT_VALUES, RUNS_VIEW_ID } from '../../client/src/runs/run-state.js';
import { COMMAND_IDS } from '../../protocol/commands.js';

interface MenuEntry {
    command: string;
    when?: string;
    group?: string;
}
interface Manifest {
    contributes: {
        commands: { command: string }[];
        menus: Record<string, MenuEntry[]>;
        viewsContainers: { activitybar: { id: string; icon: string }[] };
        views: Record<string, { id: string; icon?: string }[]>;
        viewsWelcome: { view: string; contents: string }[];
        walkthroughs: {
            id: string;
            steps: { id: string; description: string; media: { markdown?: string }; completionEvents?: string[] }[];
        }[];
    };
}
const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;
const c = manifest.contributes;

/** Context keys VS Code itself sets that the manifest uses. */
const BUILT_IN_KEYS = new Set([
    'resourceLangId',
    'resourceExtname',
    'resourceDirname',
    'explorerResourceIsFolder',
    'view',
    'viewItem',
    'isWorkspaceTrusted',
    // webview/context: the webview's viewType, and the section its `data-vscode-context` names.
    'webviewId',
    'webviewSection',
]);
/** VS Code commands the welcome content and the walkthrough link to. */
const BUILT_IN_COMMANDS = new Set(['workbench.action.files.openFile', 'workbench.action.openWalkthrough']);

/** Context keys the extension sets (`setContext`, key) anywhere in client/src. */
function keysSetByCode(): Set<string> {
    const keys = new Set<string>();
    const walk = (dir: string): void => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
            const file = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(file);
            else if (file.endsWith('.ts'))
                for (const m of readFileSync(file, 'utf8').matchAll(/'setContext',\s*'([\w.]+)'/g)) keys.add(m[1]!);
        }
    };
    walk('client/src');
    return keys;
}

const views = Object.values(c.views).flat();
const viewIds = new Set(views.map((v) => v.id));
const commandIds = new Set<string>(Object.values(COMMAND_IDS));
const allMenus = Object.entries(c.menus).flatMap(([menu, entries]) => entries.map((e) => ({ menu, ...e })));

/** Every `command:<id>` link in a markdown text (welcome content, walkthrough step). */
const linkedCommands = (text: string): string[] => [...text.matchAll(/\(command:([\w.-]+)/g)].map((m) => m[1]!);

/** The comparisons and bare keys of a when-clause: regex literals and quoted values taken out first. */
function whenAtoms(when: string): { key: string; op?: string; value?: string }[] {
    return when
        .split(/&&|\|\|/)
        .map((atom) =>
            atom
                .trim()
                .replace(/^!+/, '')
                .replace(/^\(+|\)+$/g, ''),
        )
        .map((atom) => {
            const m = /^([\w.]+)\s*(==|!=|=~)\s*(.+)$/.exec(atom);
            return m ? { key: m[1]!, op: m[2]!, value: m[3]!.trim() } : { key: atom };
        });
}

describe('package.json contributions', () => {
    it('every command a menu, a welcome view or the walkthrough names exists', () => {
        const named = [
            ...allMenus.map((e) => e.command),
            ...c.viewsWelcome.flatMap((w) => linkedCommands(w.contents)),
            ...c.walkthroughs.flatMap((w) => w.steps.flatMap((s) => linkedCommands(s.description))),
            ...c.walkthroughs
                .flatMap((w) =>
                    w.steps.flatMap((s) => (s.completionEvents ?? []).filter((e) => e.startsWith('onCommand:'))),
                )
                .map((e) => e.slice('onCommand:'.length)),
        ];
        const focus = new Set([...viewIds].map((id) => `${id}.focus`)); // VS Code's command for each contributed view
        const unknown = named.filter((id) => !commandIds.has(id) && !BUILT_IN_COMMANDS.has(id) && !focus.has(id));
        expect(unknown).toEqual([]);
        expect(named).toContain(COMMAND_IDS.refreshRuns);
    });

    it('every when-clause reads context keys VS Code or the extension sets', () => {
        const setByCode = keysSetByCode();
        expect(setByCode).toContain('mas.trainingRunning');
        const whens = [
            ...allMenus.map((e) => e.when),
            ...c.walkthroughs
                .flatMap((w) =>
                    w.steps.flatMap((s) => (s.completionEvents ?? []).filter((e) => e.startsWith('onContext:'))),
                )
                .map((e) => e.slice('onContext:'.length)),
        ].filter((w): w is string => w !== undefined);
        const keys = whens.flatMap(whenAtoms).map((a) => a.key);
        const unknown = keys.filter((k) => k !== 'false' && !BUILT_IN_KEYS.has(k) && !setByCode.has(k));
        expect(unknown).toEqual([]);
        for (const atom of whens.flatMap(whenAtoms).filter((a) => a.key === 'view'))
            expect(viewIds).toContain(atom.value);
    });

    it("the Runs view's row matchers each match a context value the view gives its rows", () => {
        const rowEntries = (c.menus['view/item/context'] ?? []).filter((e) =>
            e.when?.includes(`view == ${RUNS_VIEW_ID}`),
        );
        expect(rowEntries.length).toBeGreaterThan(0);
        for (const entry of rowEntries) {
            const atoms = whenAtoms(entry.when!).filter((a) => a.key === 'viewItem');
            expect(atoms, entry.when).toHaveLength(1);
            const { op, value } = atoms[0]!;
            const matches =
                op === '=~'
                    ? RUN_CONTEXT_VALUES.filter((v) => new RegExp(value!.slice(1, value!.lastIndexOf('/'))).test(v))
                    : RUN_CONTEXT_VALUES.filter((v) => v === value);
            expect(matches.length, entry.when).toBeGreaterThan(0);
        }
        // Stop is offered on running rows only; dashboard and trajectories inline on every row that has run.json.
        const inline = (command: string) =>
            rowEntries.find((e) => e.command === command && e.group?.startsWith('inline'))?.when;
        expect(inline(COMMAND_IDS.stopTraining)).toBe(`view == ${RUNS_VIEW_ID} && viewItem == masRun.running`);
        expect(inline(COMMAND_IDS.showDashboard)).toBeDefined();
        expect(inline(COMMAND_IDS.showTrajectories)).toBeDefined();
    });

    it("the extension's icon is a 128×128 PNG (scripts/make-icon.py draws it)", () => {
        const { icon } = JSON.parse(readFileSync('package.json', 'utf8')) as { icon: string };
        const png = readFileSync(icon);
        expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
        expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([128, 128]); // IHDR width, height
    });

    it('Stop Training is in the palette only while a run is followed', () => {
        expect(c.menus['commandPalette']).toContainEqual({
            command: COMMAND_IDS.stopTraining,
            when: 'mas.trainingRunning',
        });
    });

    it('the activity-bar container, the Runs view, its welcome content and the walkthrough pages exist', () => {
        const container = c.viewsContainers.activitybar.find((v) => v.id === 'mas-studio')!;
        expect(c.views['mas-studio']!.map((v) => v.id)).toEqual([RUNS_VIEW_ID]);
        expect(c.viewsWelcome.map((w) => w.view)).toEqual([RUNS_VIEW_ID]);
        // One colour (currentColor): VS Code masks activity-bar icons with the theme's colour, light or dark.
        const svg = readFileSync(container.icon, 'utf8');
        expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 24 24"/);
        expect(svg.match(/(?:fill|stroke)="(?!none|currentColor)[^"]*"/g)).toBeNull();
        const steps = c.walkthroughs[0]!.steps;
        expect(steps.map((s) => s.id)).toEqual([
            'mas.walkthrough.openExample',
            'mas.walkthrough.checkEnvironment',
            'mas.walkthrough.train',
            'mas.walkthrough.lazyAgent',
        ]);
        for (const step of steps) expect(existsSync(step.media.markdown!), step.media.markdown).toBe(true);
        // The welcome view's walkthrough link names this extension's walkthrough.
        const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { publisher: string; name: string };
        expect(c.viewsWelcome[0]!.contents).toContain(
            `command:workbench.action.openWalkthrough?${encodeURIComponent(JSON.stringify(`${pkg.publisher}.${pkg.name}#${c.walkthroughs[0]!.id}`))}`,
        );
    });
});
