/** Where an agent is declared in a .mas file: 1-based first and last line of its `agent name: Role { … }` block. */
export interface AgentDeclaration {
    agent: string;
    line: number;
    endLine: number;
}

/** Blanks comments and string contents (keeping line breaks and lengths) so that braces and keywords inside
 *  them do not count. */
function maskCommentsAndStrings(text: string): string {
    return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n\r]*|"(?:[^"\\]|\\[\s\S])*"/g, (m) => m.replace(/[^\n]/g, ' '));
}

/**
 * Finds the agent declarations of a .mas document by their text (the extension host may not load Langium,
 * DESIGN.md §1): the line of the `agent` keyword to the line of the block's closing brace.
 */
export function findAgentDeclarations(text: string): AgentDeclaration[] {
    const masked = maskCommentsAndStrings(text);
    const lineOf = (offset: number) => masked.slice(0, offset).split('\n').length;
    const found: AgentDeclaration[] = [];
    for (const match of masked.matchAll(/(^|[\s;}])agent\s+([_a-zA-Z]\w*)\s*:/g)) {
        const start = match.index! + match[1]!.length;
        const open = masked.indexOf('{', start);
        let end = open;
        if (open !== -1) {
            for (let depth = 0, i = open; i < masked.length; i++) {
                if (masked[i] === '{') depth++;
                else if (masked[i] === '}' && --depth === 0) {
                    end = i;
                    break;
                }
            }
        }
        found.push({ agent: match[2]!, line: lineOf(start), endLine: lineOf(end === -1 ? start : end) });
    }
    return found;
}

/** The agent whose declaration covers a 1-based line, if any. */
export function agentAtLine(declarations: readonly AgentDeclaration[], line: number): AgentDeclaration | undefined {
    return declarations.find((d) => line >= d.line && line <= d.endLine);
}
