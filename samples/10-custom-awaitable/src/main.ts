// A custom awaitable: `await` works on any object with a then() method. It calls then() with the function that
// resumes the awaiting coroutine, and the object decides when to call it, and with what value.

/** What `await` hands to then(): call it to resume the coroutine with a value. */
type Resume<T> = (value: T) => void;

/**
 * The article's step(): whoever holds it sends values in, and each value sent resumes the coroutine awaiting it
 * with the next count. It is not a promise: an object with then() is all `await` needs.
 */
class Step {
  private s = 0;
  private waiting: Resume<number> | undefined;

  /** Called by `await step` (in a microtask, once per await) with the function that resumes the awaiter. */
  then(resume: Resume<number>): void {
    this.waiting = resume;
  }

  /** Sends a value in, like the article's c.send(value), and resumes the coroutine awaiting this step. */
  send(value: string): void {
    const resume = this.waiting;
    this.waiting = undefined;
    if (!resume) {
      console.log(`nobody awaits the step: ${value} is lost`);
      return;
    }
    console.log(`Step got value ${value}`);
    this.s += 1;
    resume(this.s);
  }
}

const step = new Step();

async function coro(): Promise<never> {
  while (true) {
    const got = await step;
    console.log(got);
  }
}

void coro(); // runs to its first `await step`, and then() is called a moment later, in a microtask
step.send('too early'); // so a value sent right away finds nobody waiting

// The event loop is the sender here: an interval sends the values in, one every 10 ms.
const values = ['first', 'second', 'third'];
const sender = setInterval(() => {
  step.send(values.shift()!);
  if (values.length === 0) clearInterval(sender);
}, 10);
