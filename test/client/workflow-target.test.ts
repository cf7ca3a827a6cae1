// Which workflow Start Training acts on when no argument names one: the walkthrough's Train button runs the command
// with the walkthrough in front, so there is no active text editor (found by the e2e walkthrough scenario).
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VscodeFake } from './vscode-fake.js';

const fake = vi.hoisted(() => ({ current: undefined as VscodeFake | undefined }));
vi.mock('vscode', async () => {
    const { createVscodeFake } = await import('./vscode-fake.js');
    fake.current = createVscodeFake();
    return fake.current.vscode;
});

const { workflowTarget } = await import('../../client/src/training/training-controller.js');
const { Uri } = await import('./vscode-fake.js');

type Window = Record<string, unknown>;
const window = (): Window => fake.current!.vscode.window as unknown as Window;
const team = Uri.file('/ws/team.mas');
const notes = Uri.file('/ws/notes.md');
const tab = (uri: unknown) => ({ input: { uri } });

afterEach(() => {
    Object.assign(window(), { activeTextEditor: undefined, visibleTextEditors: undefined, tabGroups: undefined });
});

describe('workflowTarget', () => {
    it('takes the argument, then the active .mas editor', () => {
        expect(workflowTarget(team)).toBe(team);
        window()['activeTextEditor'] = { document: { uri: team, languageId: 'mas' } };
        expect(workflowTarget(undefined)).toBe(team);
    });

    it('with a webview in front, takes the .mas file shown beside it', () => {
        window()['visibleTextEditors'] = [
            { document: { uri: notes, languageId: 'markdown' } },
            { document: { uri: team, languageId: 'mas' } },
        ];
        expect(workflowTarget(undefined)).toBe(team);
    });

    it('with the walkthrough in front of the .mas tab, takes that tab', () => {
        const walkthrough = { input: { viewType: 'gettingStarted' } };
        window()['visibleTextEditors'] = [];
        window()['tabGroups'] = {
            activeTabGroup: { tabs: [walkthrough, tab(notes), tab(team)] },
            all: [{ tabs: [walkthrough, tab(notes), tab(team)] }],
        };
        expect(workflowTarget(undefined)).toBe(team);
    });

    it('finds nothing when no .mas file is open', () => {
        window()['visibleTextEditors'] = [{ document: { uri: notes, languageId: 'markdown' } }];
        window()['tabGroups'] = { activeTabGroup: { tabs: [tab(notes)] }, all: [{ tabs: [tab(notes), tab('x.mas')] }] };
        expect(workflowTarget(undefined)).toBeUndefined();
    });
});
