// KE_HOMEs for tests that stand alone: each test starts from its own home, made fresh or copied from one
// prepared once per suite, so no test sees what another test did, run alone or in any order.
import assert from 'node:assert/strict'
import {cpSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, type TestContext} from 'node:test'
import {makeHome, runKe, type KeOptions} from './ke.js'

/** An empty KE_HOME for this test alone, removed when it ends. */
export function freshHome(t: TestContext, prefix = 'ke-test-'): string {
  const {home, dispose} = makeHome(prefix)
  t.after(dispose)
  return home
}

/** KE_HOMEs made as a suite goes (one a call, each empty), all removed once the suite ends. Call in a describe. */
export function suiteHomes(): (prefix: string) => string {
  const disposals: Array<() => void> = []
  after(() => disposals.forEach((dispose) => dispose()))
  return (prefix) => {
    const made = makeHome(prefix)
    disposals.push(made.dispose)
    return made.home
  }
}

/**
 * `ke create --driver sample NAME ARGS` in `home`, which must succeed. The sample driver's Create is
 * instant unless --create-seconds says otherwise.
 */
export async function createSampleCluster(home: string, name: string, args: string[] = [], opts: Omit<KeOptions, 'home'> = {}): Promise<void> {
  const created = await runKe(['create', '--driver', 'sample', ...args, name], {...opts, home})
  assert.equal(created.code, 0, `ke create ${name}: ${created.stderr}`)
}

export interface PreparedHome {
  /** The prepared home itself: read it, never change it. */
  readonly home: string
  /** A copy of the prepared home for this test alone (files, modes, driver state), removed when it ends. */
  copy(t: TestContext): string
}

/**
 * A KE_HOME made once by `prepare` (in a `before` hook of the suite where this is called) that each test
 * copies: a cluster is created once for a suite, yet every test gets it as `prepare` left it.
 */
export function preparedHome(prepare: (home: string) => Promise<void>, prefix = 'ke-prepared-'): PreparedHome {
  let made: {home: string; dispose: () => void} | undefined
  before(async () => {
    made = makeHome(prefix)
    await prepare(made.home)
  })
  after(() => made?.dispose())
  return {
    get home() {
      assert.ok(made, 'the prepared home is made in a before hook')
      return made.home
    },
    copy(t) {
      assert.ok(made, 'the prepared home is made in a before hook')
      const home = mkdtempSync(join(tmpdir(), prefix))
      t.after(() => rmSync(home, {recursive: true, force: true}))
      cpSync(made.home, home, {recursive: true})
      return home
    },
  }
}
