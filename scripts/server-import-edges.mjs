// Counts import statements from one server/src top-level folder (or main.ts) into another (issue 12 figures).
// Usage: node scripts/server-import-edges.mjs [repository root]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
const root = resolve(process.argv[2] ?? '.', 'server/src');
const top = (file) => {
    const rel = relative(root, file);
    return rel.includes(sep) ? rel.split(sep)[0] : rel;
};
const files = [];
const walk = (d) => {
    for (const n of readdirSync(d)) {
        const p = join(d, n);
        if (statSync(p).isDirectory()) {
            if (n !== 'generated') walk(p);
        } else if (p.endsWith('.ts')) files.push(p);
    }
};
walk(root);
const edges = new Map();
for (const file of files) {
    for (const m of readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
        const target = resolve(dirname(file), m[1]);
        if (!target.startsWith(root + sep)) continue;
        const [a, b] = [top(file), top(target)];
        if (a !== b) edges.set(`${a} -> ${b}`, (edges.get(`${a} -> ${b}`) ?? 0) + 1);
    }
}
let total = 0;
for (const [k, v] of [...edges].sort()) {
    console.log(`${v}\t${k}`);
    total += v;
}
console.log(`${total}\ttotal`);
