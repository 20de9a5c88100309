// A reader that goes away before ke has written all it had (`ke ls | head -1`, `| true`) is no failure
// of ke's: the write error (EPIPE) is dropped, as oclif's Command drops it for the commands it runs.
// What runs without oclif (direct.ts, fast-ls.ts) installs the same; any other error is thrown, as there.
let installed = false

export function ignoreClosedStdout(): void {
  if (installed) return
  installed = true
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error
  })
}
