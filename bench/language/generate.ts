/** Generated inputs of a given size, the same shape for every figure. */
export interface Generator {
    /** File extension of the language, with the dot. */
    extension: string;
    /** A file of about `lines` lines, declarations named with `prefix` so files do not clash. */
    file(prefix: string, lines: number): string;
    /** `count` declarations, then a position where completion must offer all of them. */
    completionFile(count: number): { text: string; offset: number };
    /** A file of `lines` one-line declarations; with `broken`, every other line is a syntax error instead. */
    fileWithErrors(lines: number, broken: boolean): string;
    /** A small edit: the text of the file with one declaration renamed. */
    edit(text: string, version: number): string;
}

/** A .mas unit of 8 lines: role, model, agent, a two-criterion rubric. */
function masUnit(p: string): string[] {
    return [
        `role R${p} "Does step ${p}"`,
        `model m${p} { from: scratch(layers: 2, hidden: 64, vocab: chars) }`,
        `agent a${p}: R${p} { model: m${p}  prompt: "Solve {{task.question}}"  max_tokens: 64 }`,
        `rubric rb${p} {`,
        `  criterion c1 weight 0.5: length(a${p}.output) <= 400 and a${p}.output contains "x"`,
        `  criterion c2 weight 0.5: number(extract(a${p}.output, /(\\d+)/)) == task.answer`,
        `}`,
        // A workflow has one reward; later units keep the line count with a comment.
        p.endsWith('_0') ? `reward rw${p}: rb${p} per trajectory` : `// rubric rb${p} is not rewarded`,
    ];
}

export const masGenerator: Generator = {
    extension: '.mas',
    file(prefix, lines) {
        const units = Math.max(1, Math.round((lines - 4) / 9));
        const agents = Array.from({ length: units }, (_, i) => `a${prefix}_${i}`);
        return [
            `dataset d${prefix} from "data.jsonl" { question: string  answer: number }`,
            ...Array.from({ length: units }, (_, i) => masUnit(`${prefix}_${i}`)).flat(),
            `graph {`,
            ...[`start`, ...agents, `end`].slice(0, -1).map((from, i) => `  ${from} -> ${[...agents, 'end'][i]}`),
            `}`,
        ].join('\n');
    },
    completionFile(count) {
        const roles = Array.from({ length: count }, (_, i) => `role Role${i} "r"`).join('\n');
        const text = `${roles}\nmodel m { from: scratch(layers: 2, hidden: 64, vocab: chars) }\nagent probe: `;
        return { text: `${text} { model: m prompt: "p" }\n`, offset: text.length };
    },
    fileWithErrors(lines, broken) {
        return Array.from({ length: lines }, (_, i) =>
            i % 2 === 0 || !broken ? `role R${i} "ok"` : `role ) ${i} "broken"`,
        ).join('\n');
    },
    edit(text, version) {
        return text.replace(/^role R(\S+) "Does step/m, `role R$1 "Does step (edit ${version})`);
    },
};

export const peerGenerator: Generator = {
    extension: '.dmodel',
    file(prefix, lines) {
        const out = [`datatype String${prefix}`, `datatype Int${prefix}`];
        let entity = 0;
        while (out.length < lines) {
            const name = `E${prefix}_${entity}`;
            const parent = entity > 0 ? ` extends E${prefix}_${entity - 1}` : '';
            out.push(
                `entity ${name}${parent} {`,
                `  name: String${prefix}`,
                `  size: Int${prefix}`,
                `  many parts: ${name}`,
                `  other: E${prefix}_0`,
                `}`,
            );
            entity++;
        }
        return out.join('\n');
    },
    completionFile(count) {
        const types = Array.from({ length: count }, (_, i) => `datatype T${i}`).join('\n');
        const text = `${types}\nentity Probe {\n  field: `;
        return { text: `${text}\n}\n`, offset: text.length };
    },
    fileWithErrors(lines, broken) {
        return Array.from({ length: lines }, (_, i) =>
            i % 2 === 0 || !broken ? `datatype D${i}` : `entity ) ${i} {`,
        ).join('\n');
    },
    edit(text, version) {
        return text.replace(/^datatype String(\S+)$/m, `datatype String$1\ndatatype Edit${version}`);
    },
};
