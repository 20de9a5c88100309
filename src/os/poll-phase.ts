// Data that two descriptors have ready in the same poll of the event loop is read in the order the
// poll returns them, and the callbacks of the first (and the promises they settle) run before the
// second is read: waiting through one more poll phase lets what was already sent arrive.

/** Resolves after one whole poll phase of the event loop: data already waiting on a descriptor has been read. */
export function throughOnePollPhase(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)))
}
