// The controller's work queue (issue 16): one worker per key at a time, dedupe, delayed adds and a
// per-key exponential back-off, specified with a fake clock (no sleeps).
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {backoffDelay, WorkQueue, type Clock} from '../../../src/controller/work-queue.js'

/** A clock that moves only when told: timers fire in order of their due time. */
function fakeClock(): Clock & {advance(ms: number): void; pending(): number} {
  let now = 0
  let next = 0
  const timers = new Map<number, {at: number; fn: () => void}>()
  return {
    now: () => now,
    setTimer: (fn, ms) => {
      timers.set(++next, {at: now + ms, fn})
      return next
    },
    clearTimer: (handle) => void timers.delete(handle as number),
    advance(ms) {
      const until = now + ms
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0]
        if (!due) break
        timers.delete(due[0])
        now = due[1].at
        due[1].fn()
      }
      now = until
    },
    pending: () => timers.size,
  }
}

/** The key get() gives now, or 'nothing' when it would wait (no waiting worker is left behind). */
async function takeNow(queue: WorkQueue): Promise<string | undefined | 'nothing'> {
  return queue.depth === 0 ? 'nothing' : queue.get()
}

describe('work queue', () => {
  it('hands out a key added several times once', async () => {
    // Given a key added three times
    const queue = new WorkQueue(fakeClock())
    queue.add('ns/a')
    queue.add('ns/a')
    queue.add('ns/b')
    queue.add('ns/a')

    // Then each key comes out once, in order
    assert.equal(await takeNow(queue), 'ns/a')
    assert.equal(await takeNow(queue), 'ns/b')
    assert.equal(await takeNow(queue), 'nothing')
  })

  it('never gives a key to a second worker while the first has it; added meanwhile, it comes back once after done', async () => {
    // Given a key a worker holds
    const queue = new WorkQueue(fakeClock())
    queue.add('ns/a')
    assert.equal(await takeNow(queue), 'ns/a')

    // When it is added twice while in work
    queue.add('ns/a')
    queue.add('ns/a')

    // Then no other worker gets it until the first is done, and then once
    assert.equal(await takeNow(queue), 'nothing')
    queue.done('ns/a')
    assert.equal(await takeNow(queue), 'ns/a')
    queue.done('ns/a')
    assert.equal(await takeNow(queue), 'nothing')
  })

  it('wakes a waiting worker when a key arrives', async () => {
    const queue = new WorkQueue(fakeClock())
    const waiting = queue.get()
    queue.add('ns/a')
    assert.equal(await waiting, 'ns/a')
  })

  it('adds a key after a delay, and the earlier of two delayed adds wins', async () => {
    // Given a key added after 10 s and again after 3 s
    const clock = fakeClock()
    const queue = new WorkQueue(clock)
    queue.addAfter('ns/a', 10_000)
    queue.addAfter('ns/a', 3_000)

    // Then it is not there before 3 s, is there at 3 s, and only once
    clock.advance(2_999)
    assert.equal(await takeNow(queue), 'nothing')
    clock.advance(1)
    assert.equal(await takeNow(queue), 'ns/a')
    queue.done('ns/a')
    clock.advance(60_000)
    assert.equal(await takeNow(queue), 'nothing')
  })

  it('backs off 1 s, 2 s, 4 s … per key, capped at 5 minutes, and forget() starts over', () => {
    // Given a key that keeps failing
    const queue = new WorkQueue(fakeClock())
    const delays = Array.from({length: 12}, () => queue.addWithBackoff('ns/a'))

    // Then the delays double up to the cap
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000, 300000, 300000])
    // and another key has its own count
    assert.equal(queue.addWithBackoff('ns/b'), 1000)
    // and a success resets it
    queue.forget('ns/a')
    assert.equal(queue.addWithBackoff('ns/a'), 1000)
  })

  it('retries a failing key a bounded number of times over a window', async () => {
    // Given a key that fails every time it is worked on, for 20 s of (fake) time
    const clock = fakeClock()
    const queue = new WorkQueue(clock)
    queue.add('ns/a')
    let attempts = 0
    for (let elapsed = 0; elapsed <= 20_000; elapsed += 100) {
      const key = await takeNow(queue)
      if (key === 'ns/a') {
        attempts++
        queue.addWithBackoff(key)
        queue.done(key)
      }
      clock.advance(100)
    }
    // Then it ran at 0, 1, 3, 7 and 15 s: five attempts, not a hot loop
    assert.equal(attempts, 5)
  })

  it('after shutDown, hands out nothing, answers waiting workers, and drops delayed adds', async () => {
    const clock = fakeClock()
    const queue = new WorkQueue(clock)
    const waiting = queue.get()
    queue.addAfter('ns/a', 1000)
    queue.shutDown()
    assert.equal(await waiting, undefined)
    assert.equal(clock.pending(), 0)
    queue.add('ns/b')
    assert.equal(await queue.get(), undefined)
  })

  it('computes the back-off delay from the failure count', () => {
    assert.equal(backoffDelay(0), 0)
    assert.equal(backoffDelay(1), 1000)
    assert.equal(backoffDelay(3), 4000)
    assert.equal(backoffDelay(100), 300_000)
  })
})
