import type { DebugProtocol } from '@vscode/debugprotocol';
import type { OpenExpr } from '../../../protocol/lsp.js';
import type { TrajectoryRecord } from '../../../protocol/run-dir.js';
import { compileTurnExpression, evaluateCompiledAtTurn, type CompileExpression } from './evaluate-at-turn.js';
import { agentAtLine, findAgentDeclarations } from './mas-source.js';

interface AgentBreakpoint {
    agent: string;
    condition?: OpenExpr;
    conditionText?: string;
}

export interface BreakpointResult {
    verified: boolean;
    line: number;
    message?: string;
}

/**
 * Breakpoints per .mas file: each one sits on an agent declaration (a line inside the block snaps to the
 * `agent` line) and fires on that agent's turns, when its condition (the .mas expression language) holds.
 */
export class BreakpointTable {
    private readonly byFile = new Map<string, AgentBreakpoint[]>();

    constructor(
        private readonly readText: (path: string) => Promise<string>,
        private readonly compile: CompileExpression,
    ) {}

    async set(
        path: string,
        requested: readonly DebugProtocol.SourceBreakpoint[],
        agentsInRun: readonly string[],
    ): Promise<BreakpointResult[]> {
        let text = '';
        try {
            text = await this.readText(path);
        } catch {
            this.byFile.delete(path);
            return requested.map((b) => ({ verified: false, line: b.line, message: `Cannot read ${path}.` }));
        }
        const declarations = findAgentDeclarations(text);
        const kept: AgentBreakpoint[] = [];
        const results: BreakpointResult[] = [];
        for (const b of requested) results.push(await this.place(b, declarations, agentsInRun, kept));
        this.byFile.set(path, kept);
        return results;
    }

    /** One breakpoint snapped to its agent declaration, its condition compiled by the language server; kept when valid. */
    private async place(
        b: DebugProtocol.SourceBreakpoint,
        declarations: ReturnType<typeof findAgentDeclarations>,
        agentsInRun: readonly string[],
        kept: AgentBreakpoint[],
    ): Promise<BreakpointResult> {
        const declaration = agentAtLine(declarations, b.line);
        if (!declaration)
            return {
                verified: false,
                line: b.line,
                message: 'Trajectory breakpoints sit on agent declarations: put it on an `agent` line.',
            };
        const entry: AgentBreakpoint = { agent: declaration.agent };
        if (b.condition?.trim()) {
            try {
                const agents = declarations.map((d) => d.agent);
                entry.condition = await compileTurnExpression(b.condition, this.compile, agents);
                entry.conditionText = b.condition;
            } catch (error) {
                return { verified: false, line: declaration.line, message: `Condition: ${(error as Error).message}` };
            }
        }
        kept.push(entry);
        const acts = agentsInRun.length === 0 || agentsInRun.includes(declaration.agent);
        return acts
            ? { verified: true, line: declaration.line }
            : {
                  verified: true,
                  line: declaration.line,
                  message: `'${declaration.agent}' does not act in the loaded rollout.`,
              };
    }

    /** Whether a breakpoint fires at `turn`; a condition that raises fires too and says why. */
    hit(record: TrajectoryRecord, turn: number, method: string): { hit: boolean; error?: string } {
        const agent = record.turns[turn]?.agent;
        for (const list of this.byFile.values()) {
            for (const b of list) {
                if (b.agent !== agent) continue;
                if (!b.condition) return { hit: true };
                try {
                    if (evaluateCompiledAtTurn(b.condition, record, turn, method) === true) return { hit: true };
                } catch (error) {
                    return {
                        hit: true,
                        error: `Breakpoint condition '${b.conditionText}' on ${agent} failed at turn ${turn}: ${(error as Error).message}`,
                    };
                }
            }
        }
        return { hit: false };
    }
}
