// The parts of the `vscode` module that starting a debugger touches, added to another stand-in (panel-fake.ts):
// workspace folders, the `launch` configuration section per folder (what launch.json holds), `debug.startDebugging`,
// and the debug registrations (the configuration provider is kept so a test can resolve a saved entry).
import * as path from 'node:path';

interface Folder {
    uri: { fsPath: string };
    name: string;
    index: number;
}

type Provider = {
    resolveDebugConfiguration?: (folder: unknown, config: Record<string, unknown>) => unknown;
};

/** VS Code's values (ConfigurationTarget.WorkspaceFolder is 3). */
export const ConfigurationTarget = { Global: 1, Workspace: 2, WorkspaceFolder: 3 };

export function createLaunchFake(Uri: { file(p: string): { fsPath: string } }) {
    const state = {
        folders: [] as Folder[],
        /** Folder path → the `launch.configurations` value (what the folder's launch.json holds). */
        launchJson: new Map<string, unknown>(),
        /** What startDebugging answers (false: VS Code did not start a session). */
        startResult: true,
        isTrusted: true,
        /** `launch.configurations` in the user's settings.json (applies to every folder without its own). */
        userLaunch: undefined as unknown,
        /** A `launch` update fails (a read-only .vscode folder). */
        updateError: undefined as string | undefined,
    };
    const started: { folder: string | undefined; config: Record<string, unknown> }[] = [];
    const startListeners: (() => void)[] = [];
    /** Resolves once `count` sessions have been started (a signal, not a delay). */
    const startedCount = (count: number) =>
        new Promise<void>((resolve) => {
            const check = () => (started.length >= count ? resolve() : startListeners.push(check));
            check();
        });
    const updates: { folder: string; key: string; target: number }[] = [];
    const quickPicks: unknown[] = [];
    const warnings: string[] = [];
    const providers = new Map<string, Provider>();
    const disposable = { dispose: () => undefined };

    const setFolders = (...paths: string[]) => {
        state.folders = paths.map((p, index) => ({ uri: Uri.file(p), name: path.basename(p), index }));
    };
    const workspace = {
        get isTrusted() {
            return state.isTrusted;
        },
        get workspaceFolders() {
            return state.folders.length ? state.folders : undefined;
        },
        getWorkspaceFolder: (uri: { fsPath: string }) =>
            state.folders.find((f) => uri.fsPath.startsWith(f.uri.fsPath + path.sep)),
        getConfiguration: (section: string, scope?: { fsPath: string }) => {
            if (section !== 'launch' || !scope) throw new Error(`launch-fake: unexpected section ${section}`);
            return {
                // Like VS Code's: `get` falls back to the user's settings, `inspect` tells the levels apart.
                get: (key: string) =>
                    key === 'configurations' ? (state.launchJson.get(scope.fsPath) ?? state.userLaunch) : undefined,
                inspect: (key: string) =>
                    key === 'configurations'
                        ? { globalValue: state.userLaunch, workspaceFolderValue: state.launchJson.get(scope.fsPath) }
                        : undefined,
                update: async (key: string, value: unknown, target: number) => {
                    if (state.updateError) throw new Error(state.updateError);
                    updates.push({ folder: scope.fsPath, key, target });
                    if (key === 'configurations') state.launchJson.set(scope.fsPath, structuredClone(value));
                },
            };
        },
    };
    const debug = {
        startDebugging: async (folder: Folder | undefined, config: Record<string, unknown>) => {
            started.push({ folder: folder?.uri.fsPath, config: structuredClone(config) });
            startListeners.splice(0).forEach((l) => l());
            return state.startResult;
        },
        registerDebugAdapterDescriptorFactory: () => disposable,
        registerDebugConfigurationProvider: (type: string, provider: Provider) => {
            providers.set(type, provider);
            return disposable;
        },
        onDidReceiveDebugSessionCustomEvent: () => disposable,
        onDidTerminateDebugSession: () => disposable,
        activeDebugSession: undefined,
    };
    const window = {
        showQuickPick: async (items: unknown) => {
            quickPicks.push(items);
            return undefined;
        },
        showWarningMessage: async (text: string) => {
            warnings.push(text);
            return undefined;
        },
    };
    return {
        state,
        setFolders,
        workspace,
        debug,
        window,
        started,
        startedCount,
        updates,
        quickPicks,
        warnings,
        providers,
    };
}

export type LaunchFake = ReturnType<typeof createLaunchFake>;
