import { describe, expect, it } from 'vitest';
import { resolveWorkflowSource } from '../../../analysis/run-dir/workflow-source.js';

const files =
    (...list: string[]) =>
    (file: string) =>
        list.includes(file);

describe('resolveWorkflowSource (first-hour bug B2: re-score and debug read the workspace copy)', () => {
    it('uses the recorded path when it is inside the workspace', () => {
        expect(resolveWorkflowSource('/ws/examples/x/x.mas', ['/ws'], files('/ws/examples/x/x.mas'))).toEqual({
            file: '/ws/examples/x/x.mas',
            outsideWorkspace: false,
        });
    });

    it("prefers the workspace's copy over the file in another checkout, by the longest matching tail", () => {
        const exists = files('/other/checkout/examples/x/x.mas', '/ws/examples/x/x.mas', '/ws/x.mas');
        expect(resolveWorkflowSource('/other/checkout/examples/x/x.mas', ['/ws'], exists)).toEqual({
            file: '/ws/examples/x/x.mas',
            outsideWorkspace: false,
        });
    });

    it('finds a run copied from another machine whose checkout does not exist here', () => {
        expect(resolveWorkflowSource('/home/alice/proj/team.mas', ['/a', '/ws'], files('/ws/team.mas'))).toEqual({
            file: '/ws/team.mas',
            outsideWorkspace: false,
        });
    });

    it('falls back to the recorded file outside the workspace, flagged, and to nothing when none exists', () => {
        expect(resolveWorkflowSource('/other/x.mas', ['/ws'], files('/other/x.mas'))).toEqual({
            file: '/other/x.mas',
            outsideWorkspace: true,
        });
        expect(resolveWorkflowSource('/other/x.mas', ['/ws'], files())).toEqual({
            file: undefined,
            outsideWorkspace: false,
        });
    });

    it('resolves a relative recorded path against the workspace folders and never climbs out with ..', () => {
        expect(resolveWorkflowSource('examples/x.mas', ['/ws'], files('/ws/examples/x.mas'))).toEqual({
            file: '/ws/examples/x.mas',
            outsideWorkspace: false,
        });
        expect(resolveWorkflowSource('../../etc/x.mas', ['/ws'], files('/etc/x.mas', '/ws/etc/x.mas'))).toEqual({
            file: '/ws/etc/x.mas',
            outsideWorkspace: false,
        });
    });
});
