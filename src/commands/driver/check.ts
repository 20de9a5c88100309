import {Args, Flags} from '@oclif/core'
import {checkBinary, describeBinaryProblem, type BinaryReport} from '../../driver/binary/index.js'
import {locateCheckTarget, type CheckTarget} from '../../driver/install/locate.js'
import {probeClusterDriver} from '../../driver/run/probe.js'
import {KeError, isKeError} from '../../errors.js'
import {BaseCommand} from '../../cli/base-command.js'
import {OPTIONS_PEEK_TIMEOUT_MS, driverTimeoutFlags} from '../../cli/common-flags.js'
import {renderBinaryCheck, renderNotADriver, renderProbe} from '../../ui/views/binary-check.js'

export default class DriverCheck extends BaseCommand {
  static summary = 'check that a driver binary can run on this machine, and that it is a cluster driver'
  static description = [
    'First reads the file without running it: ELF or Mach-O, OS and CPU against this machine; static or dynamic, and for',
    'dynamic binaries the loader and the highest glibc version needed against the one installed (a driver built',
    'against a newer glibc hangs Rancher at "Activating"); the exec bit; #! scripts and their interpreter;',
    'docker-machine plugins, which are not cluster drivers. A JavaScript or TypeScript source (.js, .ts, .mjs, ...) needs none of',
    "that: ke runs it with its own Node, TypeScript through ke's tsx. Then, when it can run here, starts it as Rancher does",
    '(`FILE PORT`) and asks for its options: only a program that answers is a cluster driver (--no-start skips this).',
  ].join(' ') + '\n\nExits 1 when the file cannot run here or does not answer as a cluster driver, 3 when it does not exist.'

  static examples = [
    '<%= config.bin %> driver check ./kontainer-engine-driver-lke',
    '<%= config.bin %> driver check ~/.ke/drivers/kontainer-engine-driver-oke --json',
    '<%= config.bin %> driver check oke',
  ]

  static args = {
    driver: Args.string({description: 'path of the driver binary or of a driver\'s .ts or .js source; a name that is no file here is looked up as --driver looks it up (built-in, installed, PATH)', required: true}),
  }
  static flags = {
    start: Flags.boolean({description: 'start the driver and ask for its options (--no-start: only read the file)', default: true, allowNo: true}),
    ...driverTimeoutFlags,
  }

  async run() {
    const {args, flags} = await this.parse(DriverCheck)
    const {home, cwd, env} = this.ctx()
    const target = locateCheckTarget(args.driver, {home, cwd, path: env.PATH})
    const checked = withMissing(await checkBinary(target.file), target.missing)
    const report = target.foundAs ? {...checked, ref: args.driver, foundAs: target.foundAs} : checked
    this.print(renderBinaryCheck(report, this.ctx().colors))
    // a finding, not a crash: the report is the output (under --json too, with the error added)
    if (!report.canRun) {
      const problem = describeBinaryProblem(report, {listed: true})!
      const code = report.exists ? 'DRIVER_CANNOT_START' : 'DRIVER_NOT_FOUND'
      throw new KeError(code, problem.message, {hint: problem.hint, result: report})
    }
    if (!flags.start) return report
    const settings = this.driverSettings()
    const probe = await probeClusterDriver(this.ctx(), {ref: target.ref, ...settings, quickCallTimeoutMs: settings.quickCallTimeoutMs ?? OPTIONS_PEEK_TIMEOUT_MS}).catch((error: unknown) => {
      if (!isKeError(error)) throw error
      this.print(renderNotADriver(this.ctx().colors))
      const hint = 'a cluster driver serves gRPC on 127.0.0.1:PORT when started as `FILE PORT`: is this the right file?'
      throw new KeError(error.keCode, `not a cluster driver: ${error.message}`, {exit: error.exitCode, hint, result: {...report, clusterDriver: false}})
    })
    this.print(renderProbe(probe, this.ctx().colors))
    return {...report, clusterDriver: true, answered: probe}
  }
}

/** A missing file, told as the name it was: looked for as a driver too. */
function withMissing(report: BinaryReport, missing: CheckTarget['missing']): BinaryReport {
  if (!missing) return report
  return {...report, problems: report.problems.map((problem) => (problem.code === 'MISSING' ? {...problem, ...missing} : problem))}
}
