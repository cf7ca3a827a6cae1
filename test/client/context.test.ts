// The context object owns every disposable: activation registers every contributed command from the one command
// table, and disposing the context releases everything it registered (commands, serializers, the debugger, listeners).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_IDS } from '../../protocol/commands.js';
import { fakeExtensionRoot, tempDir } from './helpers.js';

/** What the extension registered and has not released yet. */
const live = vi.hoisted(() => new Set<object>());
const fake = vi.hoisted(() => ({ current: undefined as import('./vscode-fake.js').VscodeFake | undefined }));
vi.mock('vscode', async () => {
    const { createVscodeFake } = await import('./vscode-fake.js');
    fake.current = createVscodeFake();
    const held = () => {
        const token = {};
        live.add(token);
        return {
            dispose: () => {
                live.delete(token);
            },
        };
    };
    const { vscode } = fake.current;
    Object.assign(vscode.window, { registerWebviewPanelSerializer: held });
    Object.assign(vscode.workspace, {
        textDocuments: [],
        onDidOpenTextDocument: held,
        onDidGrantWorkspaceTrust: held,
        onDidChangeConfiguration: held,
    });
    const registerCommand = vscode.commands.registerCommand;
    vscode.commands.registerCommand = (id, fn) => {
        const registration = registerCommand(id, fn);
        const hold = held();
        return {
            dispose: () => {
                hold.dispose();
                return registration.dispose();
            },
        };
    };
    return {
        ...vscode,
        debug: {
            registerDebugAdapterDescriptorFactory: held,
            registerDebugConfigurationProvider: held,
            onDidReceiveDebugSessionCustomEvent: held,
            onDidTerminateDebugSession: held,
        },
        DebugAdapterInlineImplementation: class {},
        ViewColumn: { Active: -1, Beside: -2 },
    };
});

const { MasContext } = await import('../../client/src/context.js');
const { activate } = await import('../../client/src/extension.js');
const { Uri } = await import('./vscode-fake.js');

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function extensionContext() {
    const storage = tempDir('mas-ctx-');
    cleanups.push(storage.cleanup);
    return {
        extensionUri: Uri.file(fakeExtensionRoot),
        globalStorageUri: Uri.file(storage.dir),
        subscriptions: [] as { dispose(): unknown }[],
    };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('MasContext', () => {
    it('registers every contributed command at activation, from one table', async () => {
        const ctx = new MasContext(extensionContext() as never);
        await tick(); // the re-attach scheduled by activation
        expect([...fake.current!.commands.keys()].sort()).toEqual(Object.values(COMMAND_IDS).sort());
        await ctx.dispose();
        expect(live.size).toBe(0);
    });

    it('disposing it releases every registration it made, and nothing is left to the module', async () => {
        const extension = extensionContext();
        await activate(extension as never);
        expect(extension.subscriptions).toHaveLength(1); // the context: VS Code disposes it with the extension
        await tick();
        expect(live.size).toBeGreaterThan(Object.values(COMMAND_IDS).length); // commands, serializers, debugger, listeners
        await extension.subscriptions[0]!.dispose();
        expect(live.size).toBe(0);
        expect(fake.current!.commands.size).toBe(0);
    });
});
