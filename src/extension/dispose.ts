// Disposal in one place: a small `Disposable` base with `_register()`, and a tiny typed event emitter. Neither
// imports `vscode`, so the recording module (plain Node) uses them too; `vscode.Disposable` objects satisfy
// `IDisposable` structurally, so the host code registers them the same way.
// (After vscode-extension-samples custom-editor-sample/src/dispose.ts.)

export interface IDisposable {
  dispose(): unknown;
}

/** Disposes everything in the list, last registered first, and empties it. One failure does not stop the rest. */
export function disposeAll(disposables: IDisposable[]): void {
  const errors: unknown[] = [];
  while (disposables.length) {
    const item = disposables.pop();
    try {
      item?.dispose();
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, 'several disposables failed');
}

export function toDisposable(fn: () => void): IDisposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      fn();
    },
  };
}

export abstract class Disposable implements IDisposable {
  private _isDisposed = false;
  private readonly _disposables: IDisposable[] = [];

  dispose(): void {
    if (this._isDisposed) return;
    this._isDisposed = true;
    disposeAll(this._disposables);
  }

  /** Ties `value`'s lifetime to this object; if this is already disposed, `value` is disposed at once. */
  protected _register<T extends IDisposable>(value: T): T {
    if (this._isDisposed) value.dispose();
    else this._disposables.push(value);
    return value;
  }

  protected get isDisposed(): boolean {
    return this._isDisposed;
  }
}

/** Subscribe with a listener; dispose the result to unsubscribe. Same shape as `vscode.Event`. */
export type Event<T> = (listener: (value: T) => void) => IDisposable;

/** A minimal synchronous emitter. A throwing listener is reported to `onListenerError` and does not stop the others. */
export class Emitter<T> implements IDisposable {
  private listeners: ((value: T) => void)[] = [];
  private disposed = false;

  constructor(private readonly onListenerError: (error: unknown) => void = (e) => console.error(e)) {}

  readonly event: Event<T> = (listener) => {
    if (this.disposed) return toDisposable(() => {});
    this.listeners.push(listener);
    return toDisposable(() => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    });
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (e) {
        this.onListenerError(e);
      }
    }
  }

  dispose(): void {
    this.disposed = true;
    this.listeners = [];
  }
}
