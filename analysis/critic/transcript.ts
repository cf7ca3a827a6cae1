/**
 * The critic's view of a rollout (format `mas-prefix-v1`, protocol/schemas/run-dir/README.md; Python twin:
 * mas_trainer/critic/transcript.py): before each decision, every earlier turn as "<agent>> <prompt><output>\n"
 * followed by "<agent>> <prompt>" of the deciding turn. Nulled turns are part of the history but get no value.
 */
export interface TranscriptTurn {
    agent: string;
    prompt: string;
    output: string;
    nulled?: boolean;
}

export function decisionPrefixes(turns: readonly TranscriptTurn[]): string[] {
    const prefixes: string[] = [];
    let history = '';
    for (const turn of turns) {
        if (!turn.nulled) prefixes.push(`${history}${turn.agent}> ${turn.prompt}`);
        history += `${turn.agent}> ${turn.prompt}${turn.output}\n`;
    }
    return prefixes;
}

/** Credit of each decision from its value: r_t + V(h_{t+1}) − V(h_t), with V = 0 after the last decision. */
export function criticCredit(rewards: readonly number[], values: readonly number[]): number[] {
    if (rewards.length !== values.length) {
        throw new Error(
            `critic credit needs one value per decision: ${rewards.length} rewards, ${values.length} values`,
        );
    }
    return rewards.map((r, t) => r + (t + 1 < values.length ? values[t + 1] : 0) - values[t]);
}
