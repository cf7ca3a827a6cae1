import {
    Breakpoint,
    DebugSession,
    Event,
    InitializedEvent,
    Scope,
    Source,
    StackFrame,
    StoppedEvent,
    TerminatedEvent,
    Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { RunReader } from '../../../analysis/run-dir/service.js';
import { DEFAULT_CREDIT_METHOD } from '../../../protocol/credit.js';
import type { TrajectoryRecord } from '../../../protocol/run-dir.js';
import type { RunJson } from '../../../protocol/run-dir.js';
import { BreakpointTable } from './breakpoints.js';
import { checkLaunchArgs, type TrajectoryLaunchArgs } from './launch-args.js';
import { evaluateAtTurn, type CompileExpression } from './evaluate-at-turn.js';
import { agentDeclarationLine, variablesFor, VARIABLE_SCOPES } from './variables.js';

export const TURN_EVENT = 'mas/turn';

/** The custom event the session sends after every stop, so the trajectory view can follow. */
export interface TurnEventBody {
    runDir: string;
    step: number;
    rollout: number;
    turn: number;
}

export interface SessionDeps {
    reader: RunReader;
    readText: (path: string) => Promise<string>;
    /** Resolves the .mas file a run was compiled from (relative paths against the workspace). */
    /** `recorded`: the path is the run's own (RunSpec source.file, from the training machine), not the launch config's. */
    resolveProgram?: (path: string, recorded: boolean) => string;
    /** Compiles conditions and console expressions (`mas/compileExpression`, answered by the language server). */
    compileExpression: CompileExpression;
}

const THREAD_ID = 1;

/**
 * The `mas-trajectory` debug adapter (inline DAP): steps through one recorded rollout, a turn per step, forwards
 * and backwards. Breakpoints sit on agent declarations of the .mas file and may carry a condition in the .mas
 * expression language (`credit < 0`, `output contains "REVISE"`). No vscode import: tests drive it with DAP messages.
 */
export class TrajectoryDebugSession extends DebugSession {
    private readonly breakpoints: BreakpointTable;
    private record: TrajectoryRecord | undefined;
    private run: RunJson | undefined;
    private args: TrajectoryLaunchArgs | undefined;
    private program: string | undefined;
    private programText = '';
    private turn = 0;
    private method: string = DEFAULT_CREDIT_METHOD;
    private configurationDone!: () => void;
    private readonly configured = new Promise<void>((resolve) => {
        this.configurationDone = resolve;
    });

    constructor(private readonly deps: SessionDeps) {
        super();
        this.breakpoints = new BreakpointTable(deps.readText, deps.compileExpression);
        this.setDebuggerLinesStartAt1(true);
        this.setDebuggerColumnsStartAt1(true);
    }

    protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
        response.body = {
            ...response.body,
            supportsConfigurationDoneRequest: true,
            supportsStepBack: true,
            supportsConditionalBreakpoints: true,
            supportsEvaluateForHovers: true,
            supportsRestartRequest: false,
        };
        this.sendResponse(response);
        this.sendEvent(new InitializedEvent());
    }

    protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
        this.configurationDone();
        this.sendResponse(response);
    }

    protected override async launchRequest(
        response: DebugProtocol.LaunchResponse,
        raw: DebugProtocol.LaunchRequestArguments,
    ): Promise<void> {
        try {
            const args = checkLaunchArgs(raw);
            this.args = args;
            const index = await this.deps.reader.index(args.runDir);
            this.run = index.run;
            this.method = args.method ?? index.run.spec.train.credit.method;
            const step = args.step ?? index.steps[0]?.step;
            if (step === undefined)
                throw new Error(`${args.runDir} has no recorded trajectories yet; launch again after the first step.`);
            this.record = await this.deps.reader.rollout(args.runDir, step, args.rollout ?? 0);
            const programPath = args.program ?? index.run.spec.source.file;
            this.program = this.deps.resolveProgram
                ? this.deps.resolveProgram(programPath, args.program === undefined)
                : programPath;
            this.programText = await this.deps.readText(this.program).catch(() => '');
            this.sendResponse(response);
        } catch (error) {
            this.sendErrorResponse(response, 1001, error instanceof Error ? error.message : String(error));
            this.sendEvent(new TerminatedEvent());
            return;
        }
        await this.configured;
        this.turn = 0;
        if (this.args!.stopOnEntry !== false || this.hits(0)) this.stopAt(this.hits(0) ? 'breakpoint' : 'entry');
        else this.runTo(1);
    }

    protected override async setBreakPointsRequest(
        response: DebugProtocol.SetBreakpointsResponse,
        args: DebugProtocol.SetBreakpointsArguments,
    ): Promise<void> {
        const results = await this.breakpoints.set(args.source.path ?? '', args.breakpoints ?? [], [
            ...new Set(this.record?.turns.map((t) => t.agent) ?? []),
        ]);
        response.body = {
            breakpoints: results.map(
                (r) =>
                    Object.assign(
                        new Breakpoint(r.verified, r.line),
                        r.message ? { message: r.message } : {},
                    ) as DebugProtocol.Breakpoint,
            ),
        };
        this.sendResponse(response);
    }

    protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
        const r = this.record;
        response.body = {
            threads: [new Thread(THREAD_ID, r ? `step ${r.step} · rollout ${r.rollout}` : 'trajectory')],
        };
        this.sendResponse(response);
    }

    protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse): void {
        const turn = this.record?.turns[this.turn];
        if (!turn) {
            response.body = { stackFrames: [], totalFrames: 0 };
            return this.sendResponse(response);
        }
        const line = agentDeclarationLine(this.programText, turn.agent);
        const source =
            this.program && line
                ? new Source(this.program.split(/[\\/]/).pop() ?? this.program, this.program)
                : undefined;
        const frame = new StackFrame(
            this.turn,
            `turn ${this.turn} · ${turn.agent} (${turn.role})`,
            source,
            line ?? 0,
            1,
        );
        if (!source) frame.presentationHint = 'label';
        response.body = { stackFrames: [frame], totalFrames: 1 };
        this.sendResponse(response);
    }

    protected override scopesRequest(response: DebugProtocol.ScopesResponse): void {
        response.body = { scopes: VARIABLE_SCOPES.map((s) => new Scope(s.name, s.reference, s.expensive)) };
        this.sendResponse(response);
    }

    protected override variablesRequest(
        response: DebugProtocol.VariablesResponse,
        args: DebugProtocol.VariablesArguments,
    ): void {
        response.body = {
            variables:
                this.record && this.run ? variablesFor(args.variablesReference, this.record, this.turn, this.run) : [],
        };
        this.sendResponse(response);
    }

    protected override async evaluateRequest(
        response: DebugProtocol.EvaluateResponse,
        args: DebugProtocol.EvaluateArguments,
    ): Promise<void> {
        const record = this.record;
        if (!record) return this.sendErrorResponse(response, 1002, 'No trajectory is loaded yet.');
        try {
            const value = await evaluateAtTurn(
                args.expression,
                this.deps.compileExpression,
                record,
                this.turn,
                this.method,
                this.run?.spec.agents.map((a) => a.name) ?? [],
            );
            response.body = { result: JSON.stringify(value), variablesReference: 0 };
            this.sendResponse(response);
        } catch (error) {
            this.sendErrorResponse(response, 1003, error instanceof Error ? error.message : String(error));
        }
    }

    protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
        response.body = { allThreadsContinued: true };
        this.sendResponse(response);
        this.runTo(1);
    }

    protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
        this.sendResponse(response);
        this.runTo(-1);
    }

    protected override nextRequest(response: DebugProtocol.NextResponse): void {
        this.sendResponse(response);
        this.step(1);
    }

    protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
        this.sendResponse(response);
        this.step(1);
    }

    protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
        this.sendResponse(response);
        this.runTo(1);
    }

    protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
        this.sendResponse(response);
        this.step(-1);
    }

    protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
        this.sendResponse(response);
    }

    /** Custom request from the trajectory view: jump to a turn (the user clicked it there). */
    protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
        const turn = (args as { turn?: unknown } | undefined)?.turn;
        if (
            command === 'mas/gotoTurn' &&
            Number.isSafeInteger(turn) &&
            this.record &&
            (turn as number) >= 0 &&
            (turn as number) < this.record.turns.length
        ) {
            this.sendResponse(response);
            this.turn = turn as number;
            return this.stopAt('goto');
        }
        this.sendErrorResponse(response, 1004, `unknown request ${command} or turn out of range`);
    }

    private last(): number {
        return Math.max(0, (this.record?.turns.length ?? 1) - 1);
    }

    private step(direction: 1 | -1): void {
        const next = this.turn + direction;
        if (next < 0) return this.stopAt('entry', 'Start of trajectory');
        if (next > this.last()) return this.stopAt('step', 'End of trajectory');
        this.turn = next;
        this.stopAt('step');
    }

    /** Continue (or reverse-continue) to the next turn whose agent has a breakpoint whose condition holds. */
    private runTo(direction: 1 | -1): void {
        for (let t = this.turn + direction; t >= 0 && t <= this.last(); t += direction) {
            if (this.hits(t)) {
                this.turn = t;
                return this.stopAt('breakpoint');
            }
        }
        this.turn = direction > 0 ? this.last() : 0;
        this.stopAt(direction > 0 ? 'step' : 'entry', direction > 0 ? 'End of trajectory' : 'Start of trajectory');
    }

    private hits(turn: number): boolean {
        const record = this.record;
        if (!record?.turns[turn]) return false;
        const result = this.breakpoints.hit(record, turn, this.method);
        if (result.error) this.sendEvent(new Event('output', { category: 'stderr', output: `${result.error}\n` }));
        return result.hit;
    }

    private stopAt(reason: string, description?: string): void {
        const event = new StoppedEvent(reason, THREAD_ID) as DebugProtocol.StoppedEvent;
        if (description) event.body.description = description;
        this.sendEvent(event);
        if (this.record && this.args) {
            const body: TurnEventBody = {
                runDir: this.args.runDir,
                step: this.record.step,
                rollout: this.record.rollout,
                turn: this.turn,
            };
            this.sendEvent(new Event(TURN_EVENT, body));
        }
    }
}
