// Types for scripts/code-server.mjs, so that the TypeScript end-to-end tests can import it.

export declare const CODE_SERVER_VERSION: string;
export declare const CODE_SERVER_NODE: string;
/** Settings that keep the editor quiet and offline (telemetry, welcome page, trust, updates, chat, git prompt). */
export declare const QUIET_SETTINGS: Readonly<Record<string, unknown>>;

export declare function codeServerRoot(): string;
export declare function codeServerDir(): string;
export declare function codeServerEntry(dir?: string): string;
export declare function codeServerNode(): string;
export declare function isCodeServerInstalled(dir?: string): boolean;

/** Installs Node 24 and code-server into the cache unless they are there (locked, atomic, with progress). */
export declare function installCodeServer(options?: {
  out?: NodeJS.WritableStream;
}): Promise<{ installed: boolean; seconds: number; dir: string }>;

export declare function extensionIdentity(): { id: string; version: string };
/** Production build packaged as `vsixFile` (as `npm run package` does, without deleting dist/). */
export declare function packageExtension(vsixFile: string): Promise<{ vsix: string; seconds: number }>;

export interface CodeServerDirs {
  /** VS Code's user data: settings, state, logs. */
  userDataDir: string;
  /** The only extensions besides the built-in ones. */
  extensionsDir: string;
  /** A private config and data home (XDG_CONFIG_HOME, XDG_DATA_HOME) and code-server's config.yaml. */
  configHome: string;
}

/** Installs a .vsix into an emptied `extensionsDir`; returns the extension's folder. */
export declare function installExtension(options: CodeServerDirs & { vsix: string }): Promise<string>;
/** Writes the settings as the user's and the server machine's (machine-scoped settings are read only there). */
export declare function writeSettings(userDataDir: string, settings: Record<string, unknown>): void;

export declare function freePort(): Promise<number>;
export declare function isPortOpen(port: number): Promise<boolean>;
export declare function workbenchUrl(port: number, folder: string): string;
export declare function privateEnv(home: string): NodeJS.ProcessEnv;

export interface CodeServer {
  readonly port: number;
  /** The leader of code-server's own process group. */
  readonly pid: number;
  /** The workbench with the folder open. */
  readonly url: string;
  /** code-server's stdout and stderr. */
  readonly logFile: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stops the whole process group and checks that the port is closed. */
  stop(): Promise<void>;
}

export declare function startCodeServer(
  options: CodeServerDirs & {
    folder: string;
    logFile: string;
    port?: number;
    env?: Record<string, string>;
    timeoutMs?: number;
  },
): Promise<CodeServer>;
