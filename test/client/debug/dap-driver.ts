import type { DebugProtocol } from '@vscode/debugprotocol';
import type { TrajectoryDebugSession } from '../../../client/src/debug/trajectory-session.js';

/**
 * Drives a debug session in-process the way VS Code does for an inline adapter: DAP messages in through
 * handleMessage, responses and events out through onDidSendMessage. Waits on messages, never on time.
 */
export class DapDriver {
    private seq = 1;
    readonly events: DebugProtocol.Event[] = [];
    private readonly responses = new Map<number, (r: DebugProtocol.Response) => void>();
    private readonly eventWaiters: { event: string; after: number; resolve: (e: DebugProtocol.Event) => void }[] = [];

    constructor(private readonly session: TrajectoryDebugSession) {
        session.onDidSendMessage((raw) => {
            const message = raw as DebugProtocol.ProtocolMessage;
            if (message.type === 'response') {
                const response = message as DebugProtocol.Response;
                this.responses.get(response.request_seq)?.(response);
                this.responses.delete(response.request_seq);
            } else if (message.type === 'event') {
                const event = message as DebugProtocol.Event;
                this.events.push(event);
                for (const w of this.eventWaiters.splice(0)) {
                    if (w.event === event.event && this.events.length > w.after) w.resolve(event);
                    else this.eventWaiters.push(w);
                }
            }
        });
    }

    request<T extends DebugProtocol.Response = DebugProtocol.Response>(command: string, args?: unknown): Promise<T> {
        const seq = this.seq++;
        const done = new Promise<T>((resolve) => this.responses.set(seq, (r) => resolve(r as T)));
        this.session.handleMessage({ seq, type: 'request', command, arguments: args } as DebugProtocol.Request);
        return done;
    }

    /** The next `event` sent after this call. */
    nextEvent(event: string): Promise<DebugProtocol.Event> {
        return new Promise((resolve) => this.eventWaiters.push({ event, after: this.events.length, resolve }));
    }

    /** Sends a stepping request and returns the stop it causes together with the turn the frame shows. */
    async stepWith(
        command: string,
    ): Promise<{ reason: string; turn: number; frame: DebugProtocol.StackFrame; description?: string }> {
        const stopped = this.nextEvent('stopped');
        await this.request(command, { threadId: 1 });
        return this.whereStopped(await stopped);
    }

    async whereStopped(
        event: DebugProtocol.Event,
    ): Promise<{ reason: string; turn: number; frame: DebugProtocol.StackFrame; description?: string }> {
        const trace = await this.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: 1 });
        const frame = trace.body.stackFrames[0]!;
        const body = (event as DebugProtocol.StoppedEvent).body;
        return {
            reason: body.reason,
            turn: frame.id,
            frame,
            ...(body.description ? { description: body.description } : {}),
        };
    }
}
