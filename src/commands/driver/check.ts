import {Args} from '@oclif/core'
import {checkBinary, describeBinaryProblem} from '../../driver/binary-check.js'
import {KeError} from '../../errors.js'
import {BaseCommand} from '../../ui/base-command.js'
import {renderBinaryCheck} from '../../ui/views/binary-check.js'

export default class DriverCheck extends BaseCommand {
  static summary = 'check that a driver binary can run on this machine'
  static description = [
    'Reads the file without running it: ELF or Mach-O, OS and CPU against this machine; static or dynamic, and for',
    'dynamic binaries the loader and the highest glibc version needed against the one installed (a driver built',
    'against a newer glibc hangs Rancher at "Activating"); the exec bit; #! scripts and their interpreter;',
    'docker-machine plugins, which are not cluster drivers.',
  ].join(' ') + '\n\nExits 1 when the binary cannot run here as a cluster driver.'

  static examples = [
    '<%= config.bin %> driver check ./kontainer-engine-driver-lke',
    '<%= config.bin %> driver check ~/.ke/drivers/kontainer-engine-driver-oke --json',
  ]

  static args = {file: Args.string({description: 'path of the driver binary', required: true})}

  async run() {
    const {args} = await this.parse(DriverCheck)
    const report = await checkBinary(args.file)
    this.print(renderBinaryCheck(report, this.ctx().colors))
    // a finding, not a crash: the report is the output (under --json too, with the error added)
    if (!report.canRun) {
      const problem = describeBinaryProblem(report)!
      throw new KeError('DRIVER_CANNOT_START', problem.message, {hint: problem.hint, result: report})
    }
    return report
  }
}
