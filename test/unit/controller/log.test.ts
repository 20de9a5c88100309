// The controller's logger (issue 16): text for people, one JSON object a line for collectors, and no
// secret in either.
import assert from 'node:assert/strict'
import {Writable} from 'node:stream'
import {describe, it} from 'node:test'
import {createLogger, redactValues} from '../../../src/controller/log.js'

const AT = new Date('2026-12-01T10:00:00.000Z')

function capture(): {stream: Writable; lines(): string[]} {
  let text = ''
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk)
      done()
    },
  })
  return {stream, lines: () => text.split('\n').filter(Boolean)}
}

describe('controller log', () => {
  it('writes one JSON object a line with time, level, msg and fields', () => {
    // Given a JSON logger
    const out = capture()
    const log = createLogger({json: true, stream: out.stream, now: () => AT})

    // When it logs at each level
    log.info('reconciled', {cluster: 'demo', namespace: 'team-a', seconds: 1.5})
    log.warn('renewal failed')
    log.error('create failed\nsecond line', {cluster: 'demo', error: new Error('driver exited (exit 2)')})

    // Then each line parses on its own
    const parsed = out.lines().map((line) => JSON.parse(line))
    assert.deepEqual(parsed, [
      {time: '2026-12-01T10:00:00.000Z', level: 'info', msg: 'reconciled', fields: {cluster: 'demo', namespace: 'team-a', seconds: 1.5}},
      {time: '2026-12-01T10:00:00.000Z', level: 'warn', msg: 'renewal failed'},
      {time: '2026-12-01T10:00:00.000Z', level: 'error', msg: 'create failed\nsecond line', fields: {cluster: 'demo', error: 'driver exited (exit 2)'}},
    ])
  })

  it('writes text lines: time, level, message, then key=value fields (quoted when they hold spaces)', () => {
    const out = capture()
    const log = createLogger({json: false, stream: out.stream, now: () => AT})
    log.info('reconciled', {cluster: 'demo', reason: 'driver said no', count: 2})
    log.error('create failed\nsecond line')
    assert.deepEqual(out.lines(), [
      '2026-12-01T10:00:00.000Z INFO  reconciled cluster=demo reason="driver said no" count=2',
      '2026-12-01T10:00:00.000Z ERROR create failed second line',
    ])
  })

  it('never writes the value of a field whose name says it is secret, however deep', () => {
    // Given fields that carry credentials by name
    const out = capture()
    const log = createLogger({json: true, stream: out.stream, now: () => AT})
    log.info('options', {
      cluster: 'demo',
      token: 'TOKEN-123456',
      options: {region: 'eu-1', 'access-key': 'AKIA-SECRET-1', password: 'PW-SECRET-2', clientKey: 'KEY-SECRET-3'},
      serviceAccountToken: 'SA-SECRET-4',
    })

    // Then their names are there, their values are not
    const [line] = out.lines()
    for (const secret of ['TOKEN-123456', 'AKIA-SECRET-1', 'PW-SECRET-2', 'KEY-SECRET-3', 'SA-SECRET-4']) assert.ok(!line.includes(secret), `${secret} in ${line}`)
    assert.deepEqual(JSON.parse(line).fields, {
      cluster: 'demo',
      token: '[redacted]',
      options: {region: 'eu-1', 'access-key': '[redacted]', password: '[redacted]', clientKey: '[redacted]'},
      serviceAccountToken: '[redacted]',
    })
  })

  it('passes every line through the redact hook, message included', () => {
    // Given a redact hook that knows a secret option value the controller read from a Secret
    const out = capture()
    const log = createLogger({json: false, stream: out.stream, now: () => AT, redact: redactValues(['hunter2-value'])})

    // When that value turns up in a driver's message
    log.error('driver said: bad password hunter2-value', {detail: 'again hunter2-value'})

    // Then it is blanked everywhere
    assert.deepEqual(out.lines(), ['2026-12-01T10:00:00.000Z ERROR driver said: bad password [redacted] detail="again [redacted]"'])
  })

  it('writes to stderr unless told otherwise', () => {
    const written: string[] = []
    const write = process.stderr.write
    process.stderr.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stderr.write
    try {
      createLogger({json: true, now: () => AT}).info('hello')
    } finally {
      process.stderr.write = write
    }
    assert.deepEqual(written, ['{"time":"2026-12-01T10:00:00.000Z","level":"info","msg":"hello"}\n'])
  })
})
