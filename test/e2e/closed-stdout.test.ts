// A reader that goes away before ke has written its answer (`ke ls | head -1`, `ke create ... | true`)
// is no failure of ke's: the command finishes as it would have, with no stack trace, whether it runs
// through oclif or without it (create, rm, ls).
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {collect, makeHome, runKe, startKe} from '../support/ke.js'

/** Runs `ke ARGS` with its stdout closed by the reader before ke writes to it. */
async function withReaderGone(args: string[], home: string, env: Record<string, string> = {}): Promise<{code: number | null; stderr: string}> {
  const child = startKe(args, {home, env})
  child.stdout!.destroy()
  const {code, stderr} = await collect(child)
  return {code, stderr}
}

describe('ke with its reader gone', () => {
  for (const [way, env] of [
    ['without oclif', {}],
    ['through oclif', {KE_DIRECT: '0', KE_FAST_LS: '0'}],
  ] as const) {
    it(`create, ls, ls --json and rm finish as usual, ${way}`, async () => {
      const {home, dispose} = makeHome()
      try {
        const quietly = async (args: string[]) => {
          const {code, stderr} = await withReaderGone(args, home, env)
          assert.equal(code, 0, `${args.join(' ')}: ${stderr}`)
          assert.doesNotMatch(stderr, /EPIPE|node:events|\n\s+at /, args.join(' '))
        }
        await quietly(['create', '--driver', 'sample', 'alpha'])
        assert.equal((await runKe(['ls', '-q'], {home})).stdout, 'alpha\n')
        await quietly(['ls'])
        await quietly(['ls', '--json'])
        await quietly(['rm', '-y', 'alpha'])
        assert.equal((await runKe(['ls', '-q'], {home})).stdout, '')
      } finally {
        dispose()
      }
    })
  }
})
