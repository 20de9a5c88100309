// A driver's output and its gRPC answer reach ke on two descriptors. When both are ready in one poll
// of the event loop, the answer's callbacks (and the promises they settle) can run before the output
// is read: what the driver printed just before it answered is then in its pipe still, unread.

/** Resolves after one whole poll phase of the event loop: data already waiting on a descriptor has been read. */
export function throughOnePollPhase(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)))
}
