// The base of the tracer's private-field stamps (generator records in generators.ts, timer tasks in tasks.ts): its
// constructor returns the object it is given, so a subclass's private field is added to that object, where the
// program's reflection cannot see it and reading it is fast.

// oxlint-disable-next-line typescript/no-extraneous-class -- the return-override base that makes stamping work
export class StampBase {
  constructor(o: object) {
    return o;
  }
}
