import {Args, Flags} from '@oclif/core'
import {installDriver, type InstallResult} from '../../driver/install/install.js'
import {BaseCommand} from '../../cli/base-command.js'
import {downloadLabels, makeDownloadBar} from '../../ui/download-bar.js'
import {renderInstalled} from '../../ui/views/drivers.js'
import {confirmReplace, isInteractive} from '../../ui/prompts.js'

export default class DriverInstall extends BaseCommand {
  static summary = 'download a driver into $KE_HOME/drivers (Rancher\'s "Add Cluster Driver")'
  static description = [
    'Downloads URL over http(s). A Linux ELF binary is the driver itself, named after the URL as Rancher names it',
    '(kontainer-engine-driver-lke-v0.0.13-linux-amd64 -> lke); a tar, tar.gz or zip must hold an ELF file named',
    'kontainer-engine-driver-NAME. --checksum picks its hash by length: 32 md5 (weak), 40 sha1, 64 sha256, 128 sha512.',
    'On a mismatch nothing is installed. An installed driver of the same name with different contents is replaced only',
    'when you confirm it at a terminal, or with --force (exit 4 otherwise); the same contents are simply reinstalled.',
  ].join(' ')

  // both are drivers Rancher itself registers, with the checksums it pins (rancher/rancher kontainerdrivers.go)
  static examples = [
    '<%= config.bin %> driver install https://github.com/linode/kontainer-engine-driver-lke/releases/download/v0.0.13/kontainer-engine-driver-lke-linux-amd64 --checksum b17337edeb3b3d4d4f007836e0f9dd946e51eb5cf0945f51f6d48e74123883b5',
    '<%= config.bin %> driver install https://otc-rancher.obs.eu-de.otc.t-systems.com/cluster/driver/1.1.1/kontainer-engine-driver-otccce_linux_amd64.tar.gz --name otc',
  ]

  static args = {url: Args.string({description: 'http(s) URL of a driver binary or of a tar/zip holding one', required: true})}
  static flags = {
    name: Flags.string({description: 'install under this name instead of the one taken from the URL or archive'}),
    checksum: Flags.string({description: 'expected md5/sha1/sha256/sha512 hex digest of the downloaded file'}),
    force: Flags.boolean({char: 'f', description: 'replace an installed driver of the same name without asking'}),
  }

  async run(): Promise<InstallResult> {
    const {args, flags} = await this.parse(DriverInstall)
    const ctx = this.ctx()
    const labels = downloadLabels(args.url)
    ctx.redactor.add(...labels.secrets)
    const tty = Boolean(process.stderr.isTTY) && !process.env.CI
    const quiet = this.quiet || ctx.json
    const result = await installDriver(
      {home: ctx.home, progress: ctx.progress, signal: ctx.supervisor.signal, download: makeDownloadBar({label: tty ? labels.short : labels.full, quiet, tty, colors: ctx.colors})},
      {url: args.url, name: flags.name, checksum: flags.checksum, force: flags.force, confirmReplace: isInteractive(ctx.json) ? (change) => confirmReplace(change, ctx.progress) : undefined},
    )
    this.print(renderInstalled(result, ctx.colors, this.suggestedCommand(`create --driver ${result.name} --help`)))
    return result
  }
}
