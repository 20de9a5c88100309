// `ke driver install URL`, `ke driver ls`, `ke driver rm`: Rancher's "Add Cluster Driver" for the
// command line, against a local HTTP server on 127.0.0.1.
import {describe, it, before, after, beforeEach, afterEach} from 'node:test'
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'
import {collect, makeHome, runKe, runKeJson, startKe, waitFor} from '../support/ke.js'
import {closedPort, startFileServer, type FileServer} from '../support/file-server.js'
import {makeStoredZip, makeTarGz} from '../support/archives.js'
import {startKeInPty} from '../support/pty.js'

/** Any ELF file will do: install checks ELF-ness and names, it never runs the driver. */
const ELF = readFileSync('/bin/true')
const BARE = '/releases/v1.2.3/kontainer-engine-driver-lke-v1.2.3-linux-amd64'
const HTML = '<!DOCTYPE html><html><body>Sign in to download</body></html>'

/** An ELF header for linux/arm64 (or x86-64 on an arm64 machine): a driver built for another CPU. */
function armElf(): Buffer {
  const elf = Buffer.from(ELF)
  elf.writeUInt16LE(process.arch === 'arm64' ? 62 : 183, 18)
  return elf
}

const digest = (algorithm: string, data: Buffer | string) => createHash(algorithm).update(data).digest('hex')

let server: FileServer
let okeTarGz: Buffer
let otcZip: Buffer
let home: string
let dispose: () => void

const driversDir = () => join(home, 'drivers')
const records = () => JSON.parse(readFileSync(join(driversDir(), 'installed.json'), 'utf8')).drivers
/** What is in the drivers directory besides the lock and records: installed binaries and any leftovers. */
const driverFiles = () => (existsSync(driversDir()) ? readdirSync(driversDir()).filter((f) => !f.startsWith('installed.json')).sort() : [])

before(async () => {
  okeTarGz = await makeTarGz({'dist/linux/kontainer-engine-driver-oke': ELF, 'dist/README.md': '# oke'})
  otcZip = makeStoredZip({'bin/kontainer-engine-driver-otccce': ELF, 'LICENSE': 'Apache-2.0'})
  server = await startFileServer({
    [BARE]: {body: ELF},
    '/downloads/oddly-named-binary': {body: ELF},
    '/downloads/redirect': {status: 302, headers: {location: BARE}},
    '/downloads/kontainer-engine-driver-stuck': {body: ELF, stall: true},
    '/downloads/kontainer-engine-driver-arm': {body: armElf()},
    '/downloads/login-page': {body: HTML, headers: {'content-type': 'text/html'}},
    '/downloads/oke.tar.gz': {body: okeTarGz},
    '/downloads/otc.zip': {body: otcZip},
    '/downloads/docs-only.tar.gz': {body: await makeTarGz({'README.md': 'no driver here', 'kontainer-engine-driver-notes.txt': 'not an ELF'})},
    '/downloads/docs-only.zip': {body: makeStoredZip({'README.md': 'no driver here'})},
  })
})

after(() => server.close())

beforeEach(() => {
  ;({home, dispose} = makeHome('ke-driver-install-'))
})

afterEach(() => dispose())

describe('ke driver install', () => {
  it('installs a bare ELF driver named after its URL, as Rancher names it', async () => {
    // Given a Linux driver binary served at .../kontainer-engine-driver-lke-v1.2.3-linux-amd64
    // When it is installed from that URL
    const result = await runKeJson(['driver', 'install', server.url(BARE)], {home})

    // Then it is stored as kontainer-engine-driver-lke (name cut at the first -), executable, in a private directory
    assert.equal(result.code, 0, result.stderr)
    const path = join(driversDir(), 'kontainer-engine-driver-lke')
    assert.equal(result.json.name, 'lke')
    assert.equal(result.json.path, path)
    assert.deepEqual(readFileSync(path), ELF)
    assert.equal(statSync(path).mode & 0o777, 0o755)
    assert.equal(statSync(driversDir()).mode & 0o777, 0o700)
    // And the record says where it came from and what was installed
    const record = records().lke
    assert.equal(record.source, server.url(BARE))
    assert.deepEqual(record.checksum, {algorithm: 'sha256', hex: digest('sha256', ELF), verified: false})
    assert.equal(record.bytes, ELF.length)
    assert.ok(Date.parse(record.installedAt) <= Date.now())
    // And nothing else was left behind
    assert.deepEqual(driverFiles(), ['kontainer-engine-driver-lke'])
  })

  it('prints what it did for a person, and timestamped progress lines without a terminal', async () => {
    // Given a driver binary on the server
    // When it is installed without --json (stderr is a pipe, as in CI)
    const result = await runKe(['driver', 'install', server.url(BARE)], {home})

    // Then stdout says what was installed and how to use it; stderr shows plain progress lines
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /^Installed driver lke from http:\/\/127\.0\.0\.1:\d+\/releases/)
    // as ke was run here (its script, from the repository's root): a line that runs as printed
    assert.match(result.stdout, /use it: {3}node -- bin\/run\.js create --driver lke --help\n/)
    assert.match(result.stderr, new RegExp(`^\\d\\d:\\d\\d:\\d\\d Downloading ${server.url(BARE).replace(/[.]/g, '\\.')} \\(\\d+\\.\\d KB\\)$`, 'm'))
    assert.match(result.stderr, /^\d\d:\d\d:\d\d Downloaded \d+\.\d KB/m)
    assert.doesNotMatch(result.stderr, /\r|\x1b\[/)
  })

  it('shows a progress bar on a terminal', async () => {
    // Given a terminal (a pty) and no CI
    // When a driver is installed
    const pty = startKeInPty(['driver', 'install', server.url(BARE)], {home})

    // Then the terminal showed the bar with a percentage, then a tick with the size, and the command succeeded
    assert.equal(await pty.exited, 0, pty.screen())
    assert.match(pty.screen(), /Downloading kontainer-engine-driver-lke-v1\.2\.3-linux-amd64 [█░]+ +\d+% /)
    assert.match(pty.screen(), /✔ Downloaded kontainer-engine-driver-lke-v1\.2\.3-linux-amd64 34\.8 KB/)
    assert.match(pty.screen(), /Installed driver lke from/)
  })

  it('stops on Ctrl-C during the download, exits 130 and leaves nothing behind', async () => {
    // Given a server that sends half the driver and then stalls
    const install = startKe(['driver', 'install', server.url('/downloads/kontainer-engine-driver-stuck')], {home})
    const done = collect(install)
    await waitFor(() => server.requests.includes('/downloads/kontainer-engine-driver-stuck') && existsSync(driversDir()) && readdirSync(driversDir()).some((f) => f.startsWith('.install-')), 'the download to start')

    // When the user presses Ctrl-C
    install.kill('SIGINT')

    // Then ke says it was interrupted, exits 130, and removes its staging directory
    const result = await done
    assert.equal(result.code, 130, result.stderr)
    assert.match(result.stderr, /^Error: download of http:\/\/127\.0\.0\.1:\d+\/downloads\/kontainer-engine-driver-stuck interrupted; nothing was installed$/m)
    assert.deepEqual(driverFiles(), [])
  })

  it('installs a driver built for another CPU with a warning that it cannot run here', async () => {
    // Given an ELF driver for another architecture
    // When it is installed
    const result = await runKeJson(['driver', 'install', server.url('/downloads/kontainer-engine-driver-arm')], {home})

    // Then it is installed (Rancher would too) and the warning says why it will not start
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.json.warnings.length, 1)
    assert.match(result.json.warnings[0], /^installed, but it cannot run here: .*(arm64|x64)/)
    assert.match(result.stderr, /Warning: installed, but it cannot run here/)
  })

  it('installs under --name whatever the URL is called', async () => {
    // Given a driver binary whose URL does not follow Rancher's naming
    // When it is installed with --name
    const result = await runKeJson(['driver', 'install', server.url('/downloads/oddly-named-binary'), '--name', 'mine'], {home})

    // Then it is stored under that name
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.json.name, 'mine')
    assert.ok(existsSync(join(driversDir(), 'kontainer-engine-driver-mine')))
  })

  it('refuses a bare binary whose URL gives no name, and installs nothing', async () => {
    // Given a driver binary whose URL's last part does not start with kontainer-engine-driver-
    // When it is installed without --name
    const result = await runKe(['driver', 'install', server.url('/downloads/oddly-named-binary')], {home})

    // Then it is a usage error that says how to name it
    assert.equal(result.code, 2)
    assert.equal(
      result.stderr.trim().split('\n').pop(),
      'Error: the URL\'s file name "oddly-named-binary" does not start with kontainer-engine-driver-, so the driver has no name (pass --name NAME; Rancher itself only accepts bare drivers whose URL ends in kontainer-engine-driver-NAME)',
    )
    assert.deepEqual(driverFiles(), [])
  })

  it('follows redirects, as GitHub release downloads need', async () => {
    // Given a URL that redirects to the driver
    // When it is installed with --name (the redirecting URL has no driver name in it)
    const result = await runKeJson(['driver', 'install', server.url('/downloads/redirect'), '--name', 'lke'], {home})

    // Then the driver behind the redirect is installed, and the record keeps the URL the user gave
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(readFileSync(join(driversDir(), 'kontainer-engine-driver-lke')), ELF)
    assert.equal(records().lke.source, server.url('/downloads/redirect'))
  })

  for (const [algorithm, length] of [['sha1', 40], ['sha256', 64], ['sha512', 128]] as const) {
    it(`verifies a ${length}-digit checksum as ${algorithm}`, async () => {
      // Given the driver's published checksum, upper-case and with spaces around it as people paste it
      const checksum = `  ${digest(algorithm, ELF).toUpperCase()} `

      // When it is installed with --checksum
      const result = await runKeJson(['driver', 'install', server.url(BARE), '--checksum', checksum], {home})

      // Then the length chose the algorithm, the download matched, and the record says it was verified
      assert.equal(result.code, 0, result.stderr)
      assert.deepEqual(result.json.checksum, {algorithm, hex: digest(algorithm, ELF), verified: true})
      assert.deepEqual(records().lke.checksum, {algorithm, hex: digest(algorithm, ELF), verified: true})
      assert.deepEqual(result.json.warnings, [])
    })
  }

  it('verifies a 32-digit checksum as md5 and warns that md5 is weak', async () => {
    // Given the driver's md5
    // When it is installed with that checksum
    const result = await runKeJson(['driver', 'install', server.url(BARE), '--checksum', digest('md5', ELF)], {home})

    // Then it is installed, verified, with a warning on stderr and in the result
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(result.json.checksum, {algorithm: 'md5', hex: digest('md5', ELF), verified: true})
    assert.deepEqual(result.json.warnings, ['md5 checksums are weak (collisions can be made on purpose); prefer --checksum with sha256'])
  })

  it('names both hashes on a checksum mismatch and installs nothing', async () => {
    // Given a sha256 that is not the file's (say, of another release)
    const wrong = digest('sha256', 'another release')

    // When the driver is installed with it
    const result = await runKe(['driver', 'install', server.url(BARE), '--checksum', wrong], {home})

    // Then it fails naming the expected and the actual hash
    assert.equal(result.code, 1)
    assert.equal(
      result.stderr.split('\n').find((line) => line.startsWith('Error:')),
      `Error: checksum mismatch for ${server.url(BARE)}: expected sha256 ${wrong}, got ${digest('sha256', ELF)}; nothing was installed (check the URL and the checksum the driver publishes; an HTML error page or a different release also gives this)`,
    )
    // And neither a driver, nor a record, nor a download is left
    assert.deepEqual(driverFiles(), [])
    assert.equal(existsSync(join(driversDir(), 'installed.json')), false)
  })

  it('keeps the installed driver when a reinstall fails its checksum', async () => {
    // Given lke installed
    assert.equal((await runKe(['driver', 'install', server.url(BARE)], {home})).code, 0)
    const before = records().lke

    // When a reinstall fails its checksum
    const result = await runKe(['driver', 'install', server.url(BARE), '--checksum', digest('sha1', 'other')], {home})

    // Then the old driver and its record stay as they were
    assert.equal(result.code, 1)
    assert.deepEqual(readFileSync(join(driversDir(), 'kontainer-engine-driver-lke')), ELF)
    assert.deepEqual(records().lke, before)
  })

  for (const [checksum, described] of [['abc123', '6 characters'], [digest('sha256', ELF).slice(0, 63), '63 characters']] as const) {
    it(`rejects a checksum of ${described} as a usage error before downloading`, async () => {
      // Given a checksum whose length matches no algorithm
      const requestsBefore = server.requests.length

      // When a driver is installed with it
      const result = await runKe(['driver', 'install', server.url(BARE), '--checksum', checksum], {home})

      // Then it exits 2 with one line naming the accepted lengths, and nothing was requested
      assert.equal(result.code, 2)
      assert.equal(
        result.stderr.trim(),
        `Error: --checksum has ${described}; expected 32 (md5), 40 (sha1), 64 (sha256) or 128 (sha512) hex digits (e.g. --checksum "$(sha256sum kontainer-engine-driver-NAME | cut -d" " -f1)")`,
      )
      assert.equal(server.requests.length, requestsBefore)
      assert.deepEqual(driverFiles(), [])
    })
  }

  it('reports the HTTP status when the server answers 404', async () => {
    // Given a URL the server has no file for
    const url = server.url('/releases/v9.9.9/kontainer-engine-driver-lke-linux-amd64')

    // When it is installed
    const result = await runKeJson(['driver', 'install', url], {home})

    // Then the error names the status instead of failing later on the error page
    assert.equal(result.code, 1)
    assert.deepEqual(result.json.error, {
      code: 'DOWNLOAD_FAILED',
      message: `download of ${url} failed: HTTP 404 Not Found`,
      hint: 'check the URL: the server has no file there',
      exit: 1,
    })
    assert.deepEqual(driverFiles(), [])
  })

  it('says the URL is unreachable when nothing listens on its port', async () => {
    // Given a port on 127.0.0.1 that nothing listens on
    const url = `http://127.0.0.1:${await closedPort()}/kontainer-engine-driver-lke`

    // When a driver is installed from it
    const result = await runKe(['driver', 'install', url], {home})

    // Then one line names the URL and the connection error
    assert.equal(result.code, 1)
    assert.match(result.stderr, new RegExp(`^Error: cannot download ${url.replace(/[.]/g, '\\.')}: connect ECONNREFUSED 127\\.0\\.0\\.1:\\d+ \\(check the host and port in the URL, and your network\\)$`, 'm'))
    assert.doesNotMatch(result.stderr, /\n\s+at /)
    assert.deepEqual(driverFiles(), [])
  })

  it('rejects a URL that is not http or https', async () => {
    // Given a file:// URL
    // When it is installed
    const result = await runKe(['driver', 'install', 'file:///bin/true'], {home})

    // Then it is a usage error saying what is supported
    assert.equal(result.code, 2)
    assert.match(result.stderr, /^Error: URL scheme file: is not supported; ke downloads drivers over http and https/)
  })

  it('says what it got when the URL serves neither a binary nor an archive', async () => {
    // Given a URL that answers 200 with a login page
    // When it is installed with --name
    const result = await runKe(['driver', 'install', server.url('/downloads/login-page'), '--name', 'x'], {home})

    // Then the error shows the start of what was downloaded
    assert.equal(result.code, 1)
    assert.equal(
      result.stderr.trim().split('\n').pop(),
      `Error: ${server.url('/downloads/login-page')} is neither a driver binary (ELF) nor a tar or zip archive: the file starts with "<!DOCTYPE html><html><body>Sign in to do" (check the URL: it must point at a kontainer-engine-driver-* Linux binary or an archive holding one)`,
    )
    assert.deepEqual(driverFiles(), [])
  })

  it('takes the driver out of a tar.gz and names it after the file inside', async () => {
    // Given a tar.gz holding dist/linux/kontainer-engine-driver-oke and a README
    // When it is installed
    const result = await runKeJson(['driver', 'install', server.url('/downloads/oke.tar.gz')], {home})

    // Then the driver inside is installed as oke, and the record names the archive entry
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.json.name, 'oke')
    assert.equal(result.json.archiveEntry, 'dist/linux/kontainer-engine-driver-oke')
    assert.deepEqual(readFileSync(join(driversDir(), 'kontainer-engine-driver-oke')), ELF)
    assert.equal(statSync(join(driversDir(), 'kontainer-engine-driver-oke')).mode & 0o777, 0o755)
    // And the checksum recorded is the archive's: the file that was downloaded
    assert.equal(records().oke.source, server.url('/downloads/oke.tar.gz'))
    assert.deepEqual(records().oke.checksum, {algorithm: 'sha256', hex: digest('sha256', okeTarGz), verified: false})
    assert.deepEqual(driverFiles(), ['kontainer-engine-driver-oke'])
  })

  it('takes the driver out of a zip, with the whole file name after the prefix as its name', async () => {
    // Given a zip holding bin/kontainer-engine-driver-otccce
    // When it is installed, pinning the zip's sha256
    const result = await runKeJson(['driver', 'install', server.url('/downloads/otc.zip'), '--checksum', digest('sha256', otcZip)], {home})

    // Then the driver is installed as otccce
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.json.name, 'otccce')
    assert.equal(result.json.archiveEntry, 'bin/kontainer-engine-driver-otccce')
    assert.deepEqual(readFileSync(join(driversDir(), 'kontainer-engine-driver-otccce')), ELF)
    assert.equal(records().otccce.checksum.verified, true)
  })

  it('installs a driver from an archive under --name', async () => {
    // Given the tar.gz holding kontainer-engine-driver-oke
    // When it is installed with --name oracle
    const result = await runKeJson(['driver', 'install', server.url('/downloads/oke.tar.gz'), '--name', 'oracle'], {home})

    // Then it is stored as oracle
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.json.name, 'oracle')
    assert.deepEqual(driverFiles(), ['kontainer-engine-driver-oracle'])
  })

  for (const archive of ['docs-only.tar.gz', 'docs-only.zip']) {
    it(`fails with Rancher's message when ${archive.endsWith('zip') ? 'a zip' : 'a tar.gz'} holds no driver`, async () => {
      // Given an archive with no ELF file named kontainer-engine-driver-* (a text file of that name does not count)
      // When it is installed
      const result = await runKeJson(['driver', 'install', server.url(`/downloads/${archive}`)], {home})

      // Then the error is Rancher's, and nothing is installed
      assert.equal(result.code, 1)
      assert.equal(result.json.error.code, 'DOWNLOAD_FAILED')
      assert.equal(result.json.error.message, 'failed to find driver in archive. There must be a file of form kontainer-engine-driver-*')
      assert.deepEqual(driverFiles(), [])
    })
  }

  it('keeps the password of a URL out of the record and the output', async () => {
    // Given a URL with user:password
    const url = server.url(BARE).replace('http://', 'http://robot:hunter2-secret@')

    // When the driver is installed from it
    const result = await runKeJson(['driver', 'install', url], {home})

    // Then the download used the credentials, but neither the record nor the output holds the password
    assert.equal(result.code, 0, result.stderr)
    assert.match(String(server.headers.get(BARE)?.authorization), /^Basic /)
    assert.equal(records().lke.source, server.url(BARE))
    assert.doesNotMatch(result.stdout + result.stderr + readFileSync(join(driversDir(), 'installed.json'), 'utf8'), /hunter2-secret/)
  })

  it('refuses --name that is not a plain name, before downloading', async () => {
    // Given a --name with a path in it
    // When a driver is installed under it
    const result = await runKe(['driver', 'install', server.url(BARE), '--name', '../evil'], {home})

    // Then it is a usage error
    assert.equal(result.code, 2)
    assert.match(result.stderr, /^Error: driver name "\.\.\/evil" \(--name\) is not valid/)
    assert.deepEqual(driverFiles(), [])
  })
})

describe('ke driver ls', () => {
  it('lists installed drivers with source, checksum and time, and hand-copied ones without', async () => {
    // Given lke installed from the server and a driver copied into $KE_HOME/drivers by hand
    assert.equal((await runKe(['driver', 'install', server.url(BARE)], {home})).code, 0)
    writeFileSync(join(driversDir(), 'kontainer-engine-driver-handmade'), ELF)
    chmodSync(join(driversDir(), 'kontainer-engine-driver-handmade'), 0o755)

    // When the drivers are listed as JSON and as a table
    const json = await runKeJson(['driver', 'ls'], {home})
    const table = await runKe(['driver', 'ls'], {home})

    // Then both are listed, sorted by name; only lke has a source and checksum
    assert.equal(json.code, 0, json.stderr)
    assert.deepEqual(
      json.json.map((row: any) => [row.name, row.path, row.present, row.source, row.checksum?.algorithm ?? null]),
      [
        ['handmade', join(driversDir(), 'kontainer-engine-driver-handmade'), true, null, null],
        ['lke', join(driversDir(), 'kontainer-engine-driver-lke'), true, server.url(BARE), 'sha256'],
      ],
    )
    const lines = table.stdout.trim().split('\n')
    assert.match(lines[0], /^NAME\s+PATH\s+SOURCE\s+CHECKSUM\s+INSTALLED$/)
    assert.match(lines[1], /^handmade\s+\S+kontainer-engine-driver-handmade\s+-\s+-\s+-$/)
    assert.match(lines[2], new RegExp(`^lke\\s+\\S+kontainer-engine-driver-lke\\s+${server.url(BARE).replace(/[.]/g, '\\.')}\\s+sha256:${digest('sha256', ELF).slice(0, 12)}\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d$`))
  })

  it('marks a recorded driver whose file was deleted by hand as missing', async () => {
    // Given lke installed, then its binary deleted by hand
    assert.equal((await runKe(['driver', 'install', server.url(BARE)], {home})).code, 0)
    rmSync(join(driversDir(), 'kontainer-engine-driver-lke'))

    // When drivers are listed
    const json = await runKeJson(['driver', 'ls'], {home})
    const table = await runKe(['driver', 'ls'], {home})

    // Then it is listed as not present
    assert.deepEqual(json.json.map((row: any) => [row.name, row.present]), [['lke', false]])
    assert.match(table.stdout, /kontainer-engine-driver-lke \(missing\)/)
  })

  it('says how to install one when there is none', async () => {
    // Given a fresh KE_HOME
    // When drivers are listed
    const result = await runKe(['driver', 'ls'], {home})

    // Then it says there are none and how to get one
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout.trim(), 'No drivers installed. Install one with `ke driver install URL`; `--driver sample` is built in.')
  })

  it('prints nothing under --quiet when there is none: the advice is no list', async () => {
    const result = await runKe(['driver', 'ls', '--quiet'], {home})
    assert.deepEqual([result.code, result.stdout, result.stderr], [0, '', ''])
  })

  it('still lists the drivers when installed.json is damaged, with a warning', async () => {
    // Given an installed driver and a damaged record file
    assert.equal((await runKe(['driver', 'install', server.url(BARE)], {home})).code, 0)
    writeFileSync(join(driversDir(), 'installed.json'), '{"schemaVersion": 1, "drivers": ')

    // When drivers are listed
    const result = await runKeJson(['driver', 'ls'], {home})

    // Then the driver is listed without a record, and stderr says what is wrong
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(result.json.map((row: any) => [row.name, row.source]), [['lke', null]])
    assert.match(result.stderr, /installed\.json is unreadable: not valid JSON/)
  })
})

describe('ke driver rm', () => {
  it('removes the driver and its record', async () => {
    // Given lke installed
    assert.equal((await runKe(['driver', 'install', server.url(BARE)], {home})).code, 0)

    // When it is removed
    const result = await runKeJson(['driver', 'rm', 'lke'], {home})

    // Then the binary and the record are gone
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual({name: result.json.name, removedFile: result.json.removedFile, removedRecord: result.json.removedRecord, usedBy: result.json.usedBy}, {name: 'lke', removedFile: true, removedRecord: true, usedBy: []})
    assert.deepEqual(driverFiles(), [])
    assert.deepEqual(records(), {})
    assert.deepEqual((await runKeJson(['driver', 'ls'], {home})).json, [])
  })

  it('warns that clusters made with the driver cannot be managed until it is reinstalled', async () => {
    // Given lke installed and a cluster whose record names driver lke
    assert.equal((await runKe(['driver', 'install', server.url(BARE)], {home})).code, 0)
    assert.equal((await runKe(['create', '--driver', 'sample', 'on-lke'], {home})).code, 0)
    const record = join(home, 'clusters', 'on-lke', 'cluster.json')
    writeFileSync(record, JSON.stringify({...JSON.parse(readFileSync(record, 'utf8')), driver: {ref: 'lke', display: 'lke'}}))

    // When lke is removed
    const result = await runKeJson(['driver', 'rm', 'lke'], {home})

    // Then it is removed, the cluster is kept, and the warning names it
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(result.json.usedBy, ['on-lke'])
    assert.match(result.stderr, /Warning: cluster on-lke uses driver lke; reinstall it to manage it/)
    assert.ok(existsSync(record))
  })

  it('removes a driver copied by hand', async () => {
    // Given a driver put into $KE_HOME/drivers by hand
    mkdirSync(driversDir(), {recursive: true})
    writeFileSync(join(driversDir(), 'kontainer-engine-driver-handmade'), ELF)

    // When it is removed
    const result = await runKe(['driver', 'rm', 'handmade'], {home})

    // Then it is gone
    assert.equal(result.code, 0, result.stderr)
    assert.equal(result.stdout.trim(), 'Removed driver handmade')
    assert.deepEqual(driverFiles(), [])
  })

  it('exits 3 for a driver that is not installed', async () => {
    // Given no drivers
    // When one is removed
    const result = await runKe(['driver', 'rm', 'nope'], {home})

    // Then it is "not found", naming where ke looked
    assert.equal(result.code, 3)
    assert.equal(result.stderr.trim(), `Error: driver nope is not installed: no kontainer-engine-driver-nope in ${driversDir()} (see \`ke driver ls\` for installed drivers)`)
  })

  it('refuses to remove a built-in driver or a path', async () => {
    // Given the built-in sample driver
    // When it, or a path, is removed
    const builtin = await runKe(['driver', 'rm', 'sample'], {home})
    const path = await runKe(['driver', 'rm', '../clusters'], {home})

    // Then both are usage errors
    assert.equal(builtin.code, 2)
    assert.equal(builtin.stderr.trim(), 'Error: sample is built into ke and cannot be removed (see `ke driver ls` for installed drivers)')
    assert.equal(path.code, 2)
    assert.match(path.stderr, /^Error: "\.\.\/clusters" is not a driver name/)
  })
})
