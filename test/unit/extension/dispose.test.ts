// The Disposable base and the emitter.

import * as assert from 'node:assert/strict';
import { Disposable, Emitter, disposeAll, toDisposable } from '../../../src/extension/dispose';

class Owner extends Disposable {
  own<T extends { dispose(): unknown }>(d: T): T {
    return this._register(d);
  }
}

describe('extension/dispose', () => {
  it('disposes what it registered, last first, once', () => {
    const order: string[] = [];
    const owner = new Owner();
    owner.own(toDisposable(() => order.push('a')));
    owner.own(toDisposable(() => order.push('b')));
    owner.dispose();
    owner.dispose();
    assert.deepEqual(order, ['b', 'a']);
    owner.own(toDisposable(() => order.push('late')));
    assert.deepEqual(order, ['b', 'a', 'late'], 'registering on a disposed owner disposes at once');
  });

  it('keeps disposing after one failure, then reports it', () => {
    const order: string[] = [];
    const list = [
      toDisposable(() => order.push('a')),
      toDisposable(() => {
        throw new Error('boom');
      }),
      toDisposable(() => order.push('c')),
    ];
    assert.throws(() => disposeAll(list), /boom/);
    assert.deepEqual(order, ['c', 'a']);
    assert.equal(list.length, 0);
  });

  it('emits to listeners until they unsubscribe, and survives a throwing one', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter<number>((e) => errors.push(e));
    const seen: number[] = [];
    emitter.event(() => {
      throw new Error('listener');
    });
    const sub = emitter.event((n) => seen.push(n));
    emitter.fire(1);
    sub.dispose();
    emitter.fire(2);
    emitter.dispose();
    emitter.fire(3);
    assert.deepEqual(seen, [1]);
    assert.equal(errors.length, 2);
  });
});
