import {Args, Flags} from '@oclif/core'
import {packageDriver, type PackageResult} from '../../package/package-driver.js'
import {BaseCommand} from '../../cli/base-command.js'
import {packageNextSteps, renderPackage} from '../../ui/views/package.js'

export default class DriverPackage extends BaseCommand {
  static summary = 'package a TypeScript/JavaScript driver as one executable that Rancher can download'
  static description = [
    'Bundles ENTRY (your driver\'s entry file, the one that calls serveDriver, or `sample`) and everything it',
    'imports with esbuild, then makes a Node single-executable application of it: a copy of the node running ke',
    'with the script inside. It runs as `DRIVER PORT` on machines without Node.js, for this OS and CPU. The file is',
    'named kontainer-engine-driver-NAME unless -o says otherwise; --archive also writes FILE.tar.gz. Prints the',
    'sha256 of what to upload (the archive with --archive) for the "Checksum" field of Rancher\'s "Add Cluster Driver".',
  ].join(' ')

  static examples = [
    '<%= config.bin %> driver package src/main.ts',
    '<%= config.bin %> driver package src/main.ts -o dist/kontainer-engine-driver-acme --archive',
    '<%= config.bin %> driver package sample --json',
  ]

  static args = {entry: Args.string({description: 'entry file of the driver (.ts or .js), or sample', required: true})}
  static flags = {
    output: Flags.string({char: 'o', description: 'the executable to write (default ./kontainer-engine-driver-NAME); a directory puts it there'}),
    archive: Flags.boolean({description: 'also write FILE.tar.gz holding the executable, to upload instead of it'}),
  }

  async run(): Promise<PackageResult & {nextSteps: string[]}> {
    const {args, flags} = await this.parse(DriverPackage)
    const ctx = this.ctx()
    const result = await packageDriver({
      entry: args.entry,
      output: flags.output,
      archive: flags.archive,
      cwd: ctx.cwd,
      progress: ctx.progress,
      signal: ctx.supervisor.signal,
    })
    const suggest = (words: string) => this.suggestedCommand(words)
    this.print(renderPackage(result, ctx.cwd, ctx.colors, suggest))
    return {...result, nextSteps: packageNextSteps(result, ctx.cwd, suggest)}
  }
}
