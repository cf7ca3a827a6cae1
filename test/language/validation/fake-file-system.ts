import { EmptyFileSystemProvider, type FileSystemNode, type FileSystemProvider, type URI } from 'langium';

/**
 * A file system where every path is a file except those whose name contains `missing` (they fail as
 * Node's `fs.statSync` does, with ENOENT): the fixtures name their datasets freely, and the one fixture
 * about a missing dataset file names it `missing.jsonl`.
 */
export class EverythingButMissingFileSystem extends EmptyFileSystemProvider implements FileSystemProvider {
    override statSync(uri: URI): FileSystemNode {
        if (uri.path.split('/').pop()?.includes('missing')) {
            throw Object.assign(new Error(`ENOENT: no such file or directory, stat '${uri.fsPath}'`), {
                code: 'ENOENT',
            });
        }
        return { isFile: true, isDirectory: false, uri };
    }
}

export const everythingButMissing = { fileSystemProvider: () => new EverythingButMissingFileSystem() };
