// The logs VS Code writes under its user-data folder, as the end-to-end rig reads them: one folder per extension
// host (`logs/<session>/exthost<N>/`, a new one after each window reload) holding the host's own log and one log
// per extension output channel (Yieldscope's is `<extension id>/Yieldscope.log`).

import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { extensionIdentity } from '../../scripts/code-server.mjs';

export class ExtensionHostLogs {
  constructor(private readonly userDataDir: string) {}

  /** The log folders of the extension hosts started so far, oldest first. */
  hostDirs(): string[] {
    const logs = join(this.userDataDir, 'logs');
    if (!existsSync(logs)) return [];
    const dirs: string[] = [];
    for (const session of readdirSync(logs)) {
      for (const name of readdirSync(join(logs, session))) {
        if (/^exthost\d+$/.test(name)) dirs.push(join(logs, session, name));
      }
    }
    return dirs.sort((a, b) => statSync(a).ctimeMs - statSync(b).ctimeMs);
  }

  /** The current (newest) extension host's own log: activations, extension errors. */
  host(): string {
    return this.read('remoteexthost.log');
  }

  /** Yieldscope's output channel ("Yieldscope", a log channel), as the current extension host wrote it. */
  yieldscope(): string {
    return this.read(join(extensionIdentity().id, 'Yieldscope.log'));
  }

  /** Copies every host's logs and `extraFiles` into `target`; returns `target`. */
  saveTo(target: string, extraFiles: readonly string[] = []): string {
    mkdirSync(target, { recursive: true });
    const own = join(extensionIdentity().id, 'Yieldscope.log');
    for (const [i, dir] of this.hostDirs().entries()) {
      for (const [file, as] of [
        ['remoteexthost.log', `exthost${i + 1}.log`],
        [own, `exthost${i + 1}-yieldscope.log`],
      ] as const) {
        if (existsSync(join(dir, file))) copyFileSync(join(dir, file), join(target, as));
      }
    }
    for (const file of extraFiles) {
      if (existsSync(file)) copyFileSync(file, join(target, file.split('/').at(-1) ?? 'log'));
    }
    return target;
  }

  /** A file of the current extension host's log folder, or '' while it does not exist. */
  private read(relative: string): string {
    const dir = this.hostDirs().at(-1);
    if (!dir) return '';
    try {
      return readFileSync(join(dir, relative), 'utf8');
    } catch {
      return '';
    }
  }
}
