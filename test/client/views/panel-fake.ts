// A stand-in for the parts of the `vscode` module the panel hosts use: webview panels that record what
// the host posts and let a test play the webview's messages, serializers, document and diagnostic events.
import * as path from 'node:path';

type Listener<T> = (value: T) => void;

export class Emitter<T> {
    private listeners: Listener<T>[] = [];
    readonly event = (listener: Listener<T>) => {
        this.listeners.push(listener);
        return {
            dispose: () => {
                this.listeners = this.listeners.filter((l) => l !== listener);
            },
        };
    };
    fire(value: T): void {
        for (const l of [...this.listeners]) l(value);
    }
    get count(): number {
        return this.listeners.length;
    }
}

export class Uri {
    private constructor(
        readonly scheme: string,
        readonly path: string,
    ) {}
    get fsPath(): string {
        return this.path;
    }
    static file(p: string): Uri {
        return new Uri('file', p);
    }
    static parse(text: string): Uri {
        const match = /^([a-z][\w+.-]*):\/\/(.*)$/i.exec(text);
        return match ? new Uri(match[1]!, decodeURIComponent(match[2]!)) : new Uri('file', text);
    }
    static joinPath(base: Uri, ...parts: string[]): Uri {
        return new Uri(base.scheme, path.join(base.path, ...parts));
    }
    toString(): string {
        return `${this.scheme}://${encodeURI(this.path)}`;
    }
}

export class Position {
    constructor(
        readonly line: number,
        readonly character: number,
    ) {}
}

export class Range {
    readonly start: Position;
    readonly end: Position;
    constructor(a: number | Position, b: number | Position, c?: number, d?: number) {
        this.start = typeof a === 'number' ? new Position(a, b as number) : a;
        this.end = typeof a === 'number' ? new Position(c!, d!) : (b as Position);
    }
}

export class FakePanel {
    readonly received = new Emitter<unknown>();
    readonly viewState = new Emitter<void>();
    readonly disposed = new Emitter<void>();
    readonly posted: unknown[] = [];
    visible = true;
    title: string;
    revealed = 0;
    readonly webview = {
        options: {} as { enableScripts?: boolean; localResourceRoots?: Uri[] },
        html: '',
        cspSource: 'https://file+.vscode-resource.test',
        asWebviewUri: (uri: Uri) => `https://file+.vscode-resource.test${uri.path}`,
        postMessage: async (message: unknown) => {
            this.posted.push(message);
            this.postListeners.splice(0).forEach((l) => l(message));
            return true;
        },
        onDidReceiveMessage: this.received.event,
    };
    readonly onDidChangeViewState = this.viewState.event;
    readonly onDidDispose = this.disposed.event;
    private isDisposed = false;
    private postListeners: ((m: unknown) => void)[] = [];
    /** Resolves with the next message the host posts that matches. */
    nextPost(
        match: (m: { type: string; [key: string]: unknown }) => boolean,
    ): Promise<{ type: string; [key: string]: unknown }> {
        return new Promise((resolve) => {
            const listen = (m: unknown) => {
                const message = m as { type: string };
                if (match(message)) resolve(message);
                else this.postListeners.push(listen);
            };
            this.postListeners.push(listen);
        });
    }
    constructor(
        readonly viewType: string,
        title: string,
    ) {
        this.title = title;
    }
    reveal(): void {
        this.revealed++;
    }
    dispose(): void {
        if (this.isDisposed) return;
        this.isDisposed = true;
        this.disposed.fire();
    }
    /** Plays a message from the webview. */
    send(message: unknown): void {
        this.received.fire(message);
    }
    ofType(type: string): { type: string; [key: string]: unknown }[] {
        return (this.posted as { type: string }[]).filter((m) => m.type === type) as {
            type: string;
            [key: string]: unknown;
        }[];
    }
}

export function createPanelFake() {
    const panels: FakePanel[] = [];
    const serializers = new Map<string, { deserializeWebviewPanel(panel: FakePanel, state: unknown): Promise<void> }>();
    const textChanges = new Emitter<{ document: { uri: Uri } }>();
    const diagnostics = new Emitter<{ uris: Uri[] }>();
    const shown: { uri: Uri; selection?: Range }[] = [];
    const revealedRanges: Range[] = [];
    type PickItem = { label: string; runDir?: string };
    const state = {
        openDialogAnswer: undefined as Uri[] | undefined,
        errors: [] as string[],
        /** The labels of every quick pick shown, in order. */
        quickPicks: [] as string[][],
        /** Chooses from a quick pick; by default "Browse…", so the folder dialog answers. */
        quickPickAnswer: (items: PickItem[]): PickItem | undefined => items.find((i) => i.label.includes('Browse')),
    };
    const vscode = {
        Uri,
        Range,
        Position,
        ViewColumn: { Active: -1, Beside: -2, One: 1 },
        TextEditorRevealType: { InCenterIfOutsideViewport: 2 },
        window: {
            createWebviewPanel: (viewType: string, title: string) => {
                const panel = new FakePanel(viewType, title);
                panels.push(panel);
                return panel;
            },
            registerWebviewPanelSerializer: (
                viewType: string,
                serializer: { deserializeWebviewPanel(panel: FakePanel, state: unknown): Promise<void> },
            ) => {
                serializers.set(viewType, serializer);
                return { dispose: () => serializers.delete(viewType) };
            },
            showTextDocument: async (uri: Uri, options?: { selection?: Range }) => {
                shown.push({ uri, selection: options?.selection });
                return { revealRange: (range: Range) => revealedRanges.push(range) };
            },
            showOpenDialog: async () => state.openDialogAnswer,
            showQuickPick: async (items: PickItem[]) => {
                state.quickPicks.push(items.map((i) => i.label));
                return state.quickPickAnswer(items);
            },
            showErrorMessage: async (text: string) => {
                state.errors.push(text);
                return undefined;
            },
        },
        workspace: {
            workspaceFolders: [] as { uri: Uri }[],
            onDidChangeTextDocument: textChanges.event,
        },
        languages: { onDidChangeDiagnostics: diagnostics.event },
    };
    return { vscode, panels, serializers, textChanges, diagnostics, shown, revealedRanges, state };
}

export type PanelFake = ReturnType<typeof createPanelFake>;
