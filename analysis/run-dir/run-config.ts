/** At most this many settings are listed per run: a crafted run.json cannot make the view build a huge table. */
export const MAX_CONFIG_KEYS = 300;
const MAX_VALUE_CHARS = 200;
const MAX_DEPTH = 4;

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
    const raw = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
    return raw.length > MAX_VALUE_CHARS ? `${raw.slice(0, MAX_VALUE_CHARS)}…` : raw;
}

/** Leaves of `value` as `prefix.key` → text; arrays of scalars and deeper levels stay one value. */
function flatten(prefix: string, value: unknown, out: Map<string, string>, depth: number): void {
    if (out.size >= MAX_CONFIG_KEYS) return;
    if (!isRecord(value) || depth >= MAX_DEPTH) {
        out.set(prefix, text(value));
        return;
    }
    for (const key of Object.keys(value).sort()) flatten(`${prefix}.${key}`, value[key], out, depth + 1);
}

/** Named entries of a spec list (`models`, `agents`) keyed by their name, so runs with other orders still compare. */
function flattenNamed(prefix: string, list: unknown, out: Map<string, string>): void {
    if (!Array.isArray(list)) return;
    for (const item of list) {
        if (!isRecord(item) || typeof item['name'] !== 'string') continue;
        const { name, prompt: _prompt, ...rest } = item; // prompts are long text: compared by the source hash
        flatten(`${prefix}.${name}`, rest, out, 1);
    }
}

/**
 * A run's settings as `name -> value` text from run.json's spec (train block, models, agents, reward, source hash),
 * for the dashboard's "settings that differ" table. Tolerates any shape: run.json may come from anyone.
 */
export function runConfig(spec: unknown): Record<string, string> {
    const out = new Map<string, string>();
    if (!isRecord(spec)) return {};
    flatten('train', spec['train'], out, 0);
    flattenNamed('model', spec['models'], out);
    flattenNamed('agent', spec['agents'], out);
    if (spec['reward'] !== undefined) flatten('reward', spec['reward'], out, 0);
    if (isRecord(spec['source']) && typeof spec['source']['sha256'] === 'string')
        out.set('source.sha256', spec['source']['sha256'].slice(0, 12));
    return Object.fromEntries([...out].slice(0, MAX_CONFIG_KEYS));
}
