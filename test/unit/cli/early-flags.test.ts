// The first parse: ke's own flags by their oclif definitions, the driver's still-unknown flags left
// alone, and the cluster name only where no driver flag can hide it.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {Flags} from '@oclif/core'
import {parseEarly, withBooleanValues} from '../../../src/cli/early-flags.js'
import {driverFlag, driverRuntimeFlags, driverTimeoutFlags, optionInputFlags, setFlags} from '../../../src/cli/common-flags.js'
import {DRIVER_START_FLAGS} from '../../../src/driver/run/start-flags.js'
import {KeError} from '../../../src/errors.js'

const own = {
  ...driverFlag,
  ...optionInputFlags,
  ...driverTimeoutFlags,
  ...driverRuntimeFlags,
  ...setFlags,
  debug: Flags.boolean(),
  json: Flags.boolean(),
}

describe('early flags › ke\'s own flags', () => {
  it('reads --driver in every spelling', async () => {
    // Given --driver X, --driver=X, -d X and -dX, Then each gives the driver
    for (const argv of [['--driver', 'sample', 'c1'], ['--driver=sample', 'c1'], ['-d', 'sample', 'c1'], ['-dsample', 'c1']]) {
      assert.equal((await parseEarly(argv, own)).flags.driver, 'sample', argv.join(' '))
    }
  })

  it('does not take --driver-timeout for --driver', async () => {
    // Given a longer flag that starts with the same name, Then each keeps its own value
    const {flags} = await parseEarly(['--driver-timeout', '45', '--driver', 'sample'], own)
    assert.deepEqual([flags.driver, flags['driver-timeout']], ['sample', 45])
  })

  it('reads every --env in order, --env-file, --rancher-env and --attach', async () => {
    // Given the flags that change how the driver starts, among the driver's own
    const {flags} = await parseEarly(['--env', 'A=1', '--region', 'eu', '--env=B=2', '--env-file', 'f.env', '--rancher-env', '--attach', '127.0.0.1:9', 'c1'], own)
    // Then they are all read, and the driver's flag is left alone
    assert.deepEqual([flags.env, flags['env-file'], flags['rancher-env'], flags.attach], [['A=1', 'B=2'], 'f.env', true, '127.0.0.1:9'])
  })

  it('reads ke\'s flags that follow a driver\'s flag with its value', async () => {
    // Given --driver after a driver flag and its value
    const {flags, unknownFlags} = await parseEarly(['--region', 'eu', '--driver', 'sample', '--json'], own)
    // Then --driver and --json are read, and --region is reported as unknown (for now)
    assert.deepEqual([flags.driver, flags.json, unknownFlags], ['sample', true, ['--region']])
  })

  it('checks values by the flag\'s definition: a bad --timeout is refused as the full parse would', async () => {
    // Given --timeout abc, Then oclif's integer flag refuses it
    await assert.rejects(parseEarly(['--timeout', 'abc', 'c1'], own), /Expected an integer/)
    // And --key-style outside its options is refused too
    await assert.rejects(parseEarly(['--key-style', 'bogus'], own), /to be one of/)
  })

  it('says the timeouts in seconds, with the driver-timeout default from its definition', async () => {
    const {flags} = await parseEarly(['--timeout', '90'], own)
    assert.deepEqual([flags.timeout, flags['driver-timeout']], [90, 30])
  })

  it('spells a boolean of ke\'s with =true or =false as the flag, and refuses other values', async () => {
    // Given --rancher-env=true and --dry-run=false
    const {flags, name} = await parseEarly(['--rancher-env=true', '--dry-run=false', 'c1'], {...own, 'dry-run': Flags.boolean({allowNo: true})})
    // Then they are read as booleans, and neither "true" nor "false" is taken for the name
    assert.deepEqual([flags['rancher-env'], flags['dry-run'], name], [true, false, {certain: 'c1', possible: ['c1']}])
    await assert.rejects(parseEarly(['--rancher-env=maybe'], own), (error: unknown) => error instanceof KeError && /takes true or false/.test(error.message))
  })

  it('stops reading flags at `--`', async () => {
    // Given --driver after --, Then it is no flag but a positional
    const {flags, name} = await parseEarly(['c1', '--', '--driver'], own)
    assert.equal(flags.driver, undefined)
    assert.deepEqual(name.possible, ['c1', '--driver'])
  })
})

describe('early flags › the cluster name', () => {
  it('is the positional among ke\'s flags', async () => {
    const {name} = await parseEarly(['--driver', 'sample', '--env', 'A=1', 'c1', '--json'], own)
    assert.deepEqual(name, {certain: 'c1', possible: ['c1']})
  })

  it('is never the value of a driver\'s flag given before it (`--region eu NAME`)', async () => {
    // Given a driver flag ke does not know yet, with its value, before the name
    const {name, unknownFlags} = await parseEarly(['--driver', 'sample', '--region', 'eu', 'c1'], own)
    // Then the name is c1; eu is only possibly positional
    assert.equal(name.certain, 'c1')
    assert.deepEqual([name.possible, unknownFlags], [['eu', 'c1'], ['--region']])
  })

  it('is certain when it comes first, whatever the driver\'s flags after it', async () => {
    const {name} = await parseEarly(['c1', '--node-count', '5', '--private'], own)
    assert.deepEqual(name, {certain: 'c1', possible: ['c1', '5']})
  })

  it('is never `false` from a driver\'s `--bool=false`, nor a value given with `=`', async () => {
    // Given driver flags with = before the name
    const {name, unknownFlags} = await parseEarly(['--private=false', '--region=eu', 'c1'], own)
    // Then neither value is a possible name: they stay inside their flags
    assert.deepEqual(name, {certain: 'c1', possible: ['c1']})
    assert.deepEqual(unknownFlags, ['--private=false', '--region=eu'])
  })

  it('is not certain right after a driver\'s flag that may take it as its value (`--private NAME`)', async () => {
    // Given a driver flag without = right before the only positional
    const {name} = await parseEarly(['--driver', 'sample', '--private', 'c1'], own)
    // Then the name is only possible: a boolean leaves it the name, a string flag takes it
    assert.deepEqual(name, {certain: undefined, possible: ['c1']})
  })

  it('is certain when one of ke\'s flags stands between a driver\'s flag and it', async () => {
    const {name} = await parseEarly(['--private', '--driver', 'sample', 'c1'], own)
    assert.equal(name.certain, 'c1')
  })

  it('takes a negative number as a value, not as a flag', async () => {
    const {name, unknownFlags} = await parseEarly(['--offset', '-5', 'c1'], own)
    assert.deepEqual([name.certain, unknownFlags], ['c1', ['--offset']])
  })
})

describe('early flags › what early-start.ts reads without oclif', () => {
  it('names every flag that changes how a driver starts, and --driver with its short form', () => {
    // the oclif definitions are keyed by the shared names (a type check enforces it); this says it once more
    assert.deepEqual(Object.keys(driverRuntimeFlags).sort(), [...DRIVER_START_FLAGS].sort())
    assert.equal(driverFlag.driver.char, 'd')
  })
})

describe('a boolean flag written with a value', () => {
  const flags = {private: Flags.boolean({allowNo: true}), debug: Flags.boolean(), quiet: Flags.boolean({char: 'q'}), region: Flags.string()}
  const spelled = (argv: string[]) => withBooleanValues(argv, flags)
  const refusal = (argv: string[]) => {
    try {
      spelled(argv)
    } catch (error) {
      return error instanceof KeError ? [error.exitCode, error.message, error.hint] : error
    }
    return 'not refused'
  }

  it('is the flag alone for true, --no-x for false where the flag has that form, and nothing for false where it has not', () => {
    assert.deepEqual(spelled(['--private=true', '--debug=YES', '--private=0', 'c1', '--debug=false']), ['--private', '--debug', '--no-private', 'c1'])
  })

  it('reads a short flag the same way', () => {
    assert.deepEqual(spelled(['-q=1', 'c1', '-q=no']), ['--quiet', 'c1'])
  })

  it('reads --no-x=true as --no-x and --no-x=false as the flag', () => {
    assert.deepEqual(spelled(['--no-private=true', '--no-private=false']), ['--no-private', '--private'])
  })

  it('leaves other flags, values and everything after `--` as written', () => {
    assert.deepEqual(spelled(['--region=eu=1', 'c1', '--', '--debug=false']), ['--region=eu=1', 'c1', '--', '--debug=false'])
  })

  it('is the same when spelled twice', () => {
    const once = spelled(['--private=false', '--debug=1'])
    assert.deepEqual(spelled(once), once)
  })

  it('is refused in one line for a value other than true or false', () => {
    assert.deepEqual(refusal(['--debug=maybe']), [2, '--debug takes true or false, got "maybe"', 'write --debug alone, or leave it out'])
    assert.deepEqual(refusal(['--private=maybe']), [2, '--private takes true or false, got "maybe"', 'write --private or --no-private'])
    assert.deepEqual(refusal(['--no-private=maybe']), [2, '--no-private takes true or false, got "maybe"', 'write --private or --no-private'])
    assert.deepEqual(refusal(['-q=2']), [2, '-q takes true or false, got "2"', 'write --quiet alone, or leave it out'])
  })
})
