// The logging interface that the vscode-free parts of the host (recording, trace server, output) write to.
// In the extension it is the "Yieldscope" log output channel; in tests, a collector or nothing.

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
};
