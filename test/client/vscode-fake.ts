// A small stand-in for the `vscode` module, enough to drive the extension's commands in vitest:
// records messages, status bar text and log lines, and answers dialogs with scripted choices.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

type Listener = (...args: unknown[]) => void;

export class Uri {
    private constructor(
        readonly scheme: string,
        readonly fsPath: string,
    ) {}
    static file(p: string): Uri {
        return new Uri('file', p);
    }
    static parse(text: string, strict = false): Uri {
        const match = /^([a-z][\w+.-]*):\/\/(.*)$/i.exec(text);
        if (!match) {
            if (strict) throw new Error(`Scheme is missing: ${text}`);
            return new Uri('file', text);
        }
        return new Uri(match[1]!, decodeURIComponent(match[2]!));
    }
    static joinPath(base: Uri, ...parts: string[]): Uri {
        return new Uri(base.scheme, path.join(base.fsPath, ...parts));
    }
    /** The real Uri's path component (for a file URI: the path with forward slashes). */
    get path(): string {
        return this.fsPath;
    }
    toString(): string {
        return `${this.scheme}://${encodeURI(this.fsPath)}`;
    }
}

export class Range {
    constructor(
        readonly startLine: number,
        readonly startCharacter: number,
        readonly endLine: number,
        readonly endCharacter: number,
    ) {}
}

/** Replacements in files on disk (the fake has no open buffers: applyEdit writes the file). */
export class WorkspaceEdit {
    readonly replacements: { uri: Uri; range: Range; text: string }[] = [];
    replace(uri: Uri, range: Range, text: string): void {
        this.replacements.push({ uri, range, text });
    }
}

/** A document read from disk (empty when the file does not exist), with the offset ↔ position mapping. */
function fakeDocument(uri: Uri) {
    const text = existsSync(uri.fsPath) ? readFileSync(uri.fsPath, 'utf8') : '';
    return {
        uri,
        languageId: 'mas',
        isDirty: false,
        save: async () => true,
        getText: () => text,
        positionAt: (offset: number) => {
            const before = text.slice(0, offset).split('\n');
            return { line: before.length - 1, character: before.at(-1)!.length };
        },
    };
}

function offsetOf(text: string, line: number, character: number): number {
    return (
        text
            .split('\n')
            .slice(0, line)
            .reduce((sum, l) => sum + l.length + 1, 0) + character
    );
}

function applyToDisk(edit: WorkspaceEdit): boolean {
    for (const { uri, range, text } of edit.replacements) {
        const old = readFileSync(uri.fsPath, 'utf8');
        const start = offsetOf(old, range.startLine, range.startCharacter);
        const end = offsetOf(old, range.endLine, range.endCharacter);
        writeFileSync(uri.fsPath, old.slice(0, start) + text + old.slice(end));
    }
    return true;
}

/** vscode.EventEmitter's shape: `event` subscribes, `fire` calls every listener. */
export class EventEmitter<T> {
    private listeners: ((value: T) => void)[] = [];
    readonly event = (listener: (value: T) => void) => {
        this.listeners.push(listener);
        return { dispose: () => void (this.listeners = this.listeners.filter((l) => l !== listener)) };
    };
    fire(value: T): void {
        for (const l of [...this.listeners]) l(value);
    }
    dispose(): void {
        this.listeners = [];
    }
}

export class ThemeColor {
    constructor(readonly id: string) {}
}

export class ThemeIcon {
    constructor(
        readonly id: string,
        readonly color?: ThemeColor,
    ) {}
}

export const TreeItemCollapsibleState = { None: 0, Collapsed: 1, Expanded: 2 };

export class TreeItem {
    id?: string;
    description?: string;
    tooltip?: string;
    iconPath?: ThemeIcon;
    contextValue?: string;
    command?: { title: string; command: string; arguments?: unknown[] };
    constructor(
        readonly label: string,
        readonly collapsibleState: number,
    ) {}
}

export const ProgressLocation = { Notification: 15 };
export const StatusBarAlignment = { Left: 1, Right: 2 };
export const ConfigurationTarget = { Global: 1 };

export interface Message {
    level: 'info' | 'warning' | 'error';
    text: string;
    actions: string[];
}

export function createVscodeFake() {
    const messages: Message[] = [];
    const messageListeners: ((m: Message) => void)[] = [];
    const commands = new Map<string, (...args: unknown[]) => unknown>();
    const executed: { id: string; args: unknown[] }[] = [];
    const statusItems: { text: string; command: unknown; commandChanges: number; visible: boolean }[] = [];
    const logs: string[] = [];
    const shownDocuments: { uri: Uri; selection?: Range }[] = [];
    const settings = new Map<string, unknown>();
    const clipboard: string[] = [];
    const state = {
        isTrusted: true,
        workspaceFolders: [] as { uri: Uri }[],
        /** Answers the next message: the action to pick (or undefined). */
        answer: (_m: Message): string | undefined | Promise<string | undefined> => undefined,
    };
    const show =
        (level: Message['level']) =>
        (text: string, ...actions: string[]): Promise<string | undefined> => {
            const message = { level, text, actions };
            messages.push(message);
            messageListeners.splice(0).forEach((l) => l(message));
            return Promise.resolve(state.answer(message));
        };
    const channel = (name: string) => ({
        name,
        info: (l: string) => logs.push(`[info] ${l}`),
        warn: (l: string) => logs.push(`[warn] ${l}`),
        error: (l: string) => logs.push(`[error] ${l}`),
        appendLine: (l: string) => logs.push(l),
        show: () => undefined,
        dispose: () => undefined,
    });
    const event = () => (_l: Listener) => ({ dispose: () => undefined });
    /** Tree views the extension created (id → its provider), and its file watchers' patterns and listeners. */
    const treeViews = new Map<string, unknown>();
    const watchers: { pattern: string; fire: (kind: 'create' | 'change' | 'delete') => void }[] = [];
    const createFileSystemWatcher = (pattern: string) => {
        const emitters = {
            create: new EventEmitter<unknown>(),
            change: new EventEmitter<unknown>(),
            delete: new EventEmitter<unknown>(),
        };
        watchers.push({ pattern, fire: (kind) => emitters[kind].fire(undefined) });
        return {
            onDidCreate: emitters.create.event,
            onDidChange: emitters.change.event,
            onDidDelete: emitters.delete.event,
            dispose: () => undefined,
        };
    };

    const vscode = {
        Uri,
        Range,
        WorkspaceEdit,
        EventEmitter,
        ThemeColor,
        ThemeIcon,
        TreeItem,
        TreeItemCollapsibleState,
        ProgressLocation,
        StatusBarAlignment,
        ConfigurationTarget,
        window: {
            activeTextEditor: undefined as unknown,
            createOutputChannel: channel,
            createStatusBarItem: () => {
                // Like VS Code's, assigning a command object other than the current one re-registers it (counted).
                let command: unknown;
                const item = {
                    text: '',
                    tooltip: '',
                    name: '',
                    commandChanges: 0,
                    visible: false,
                    get command() {
                        return command;
                    },
                    set command(value: unknown) {
                        if (value !== command) item.commandChanges++;
                        command = value;
                    },
                    show() {
                        item.visible = true;
                    },
                    hide() {
                        item.visible = false;
                    },
                    dispose() {
                        item.visible = false;
                    },
                };
                statusItems.push(item);
                return item;
            },
            showInformationMessage: show('info'),
            showWarningMessage: show('warning'),
            showErrorMessage: show('error'),
            withProgress: (_o: unknown, task: (p: unknown, t: unknown) => unknown) =>
                task({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: event() }),
            showQuickPick: async () => undefined,
            showOpenDialog: async () => undefined,
            showTextDocument: async (uri: Uri, options?: { selection?: Range }) => {
                shownDocuments.push({ uri, selection: options?.selection });
            },
            createTreeView: (id: string, options: { treeDataProvider: unknown }) => {
                treeViews.set(id, options.treeDataProvider);
                return { dispose: () => void treeViews.delete(id) };
            },
        },
        workspace: {
            get isTrusted() {
                return state.isTrusted;
            },
            get workspaceFolders() {
                return state.workspaceFolders;
            },
            getWorkspaceFolder: (uri: Uri) =>
                state.workspaceFolders.find((f) => uri.fsPath.startsWith(f.uri.fsPath + path.sep)),
            openTextDocument: async (uri: Uri) => fakeDocument(uri),
            applyEdit: async (edit: WorkspaceEdit) => applyToDisk(edit),
            getConfiguration: () => ({
                inspect: (key: string) => ({ globalValue: settings.get(key) }),
                update: async (key: string, value: unknown) => {
                    settings.set(key, value);
                },
            }),
            onDidChangeConfiguration: event(),
            onDidGrantWorkspaceTrust: event(),
            onDidChangeWorkspaceFolders: event(),
            createFileSystemWatcher,
        },
        commands: {
            registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
                commands.set(id, fn);
                return { dispose: () => commands.delete(id) };
            },
            executeCommand: async (id: string, ...args: unknown[]) => {
                executed.push({ id, args });
                return commands.get(id)?.(...args);
            },
        },
        extensions: { getExtension: () => undefined },
        env: { clipboard: { writeText: async (text: string) => void clipboard.push(text) } },
    };
    /** The next message shown (waits on the extension actually showing it). */
    const nextMessage = (): Promise<Message> => new Promise((resolve) => messageListeners.push(resolve));
    return {
        vscode,
        state,
        messages,
        nextMessage,
        commands,
        executed,
        statusItems,
        logs,
        shownDocuments,
        settings,
        clipboard,
        treeViews,
        watchers,
    };
}

export type VscodeFake = ReturnType<typeof createVscodeFake>;
