// "Debug a Rollout" (Runs view) starts the `mas-trajectory` debugger with a configuration built here: it must be one
// the contributed debugger declares (package.json configurationAttributes) and the adapter's own check accepts.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkLaunchArgs, rolloutLaunchConfig } from '../../../client/src/debug/launch-args.js';

interface Debugger {
    type: string;
    configurationAttributes: { launch: { required: string[]; properties: Record<string, unknown> } };
}
const debuggers = (JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { debuggers: Debugger[] } })
    .contributes.debuggers;

describe('Debug a Rollout', () => {
    it('builds a launch configuration of the contributed debugger with only declared attributes', () => {
        const config = rolloutLaunchConfig('/w/runs/demo', 'demo', 3, 5);
        expect(config).toEqual({
            type: 'mas-trajectory',
            request: 'launch',
            name: 'Debug demo · step 3 · rollout 5',
            runDir: '/w/runs/demo',
            step: 3,
            rollout: 5,
            stopOnEntry: true,
        });
        const contributed = debuggers.find((d) => d.type === config.type)!;

        const { launch } = contributed.configurationAttributes;
        for (const key of launch.required) expect(config).toHaveProperty(key);
        const own = Object.keys(config).filter((k) => !['type', 'request', 'name'].includes(k));
        expect(own.filter((k) => !(k in launch.properties))).toEqual([]);
        expect(checkLaunchArgs(config)).toBe(config);
        // Without a step and rollout the debugger opens the first recorded step's rollout 0.
        expect(Object.keys(rolloutLaunchConfig('/w/runs/demo', 'demo'))).not.toContain('step');
    });
});
