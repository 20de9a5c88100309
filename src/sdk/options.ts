// Reading the options a host sends. Rancher sends camelCase keys (`diskSizeGb`), the kontainer-engine
// CLI and ke send the declared kebab-case names (`disk-size-gb`): a driver must read both.
import {camelCase} from '../protocol/option-names.js'
import type {DriverOptions} from '../protocol/types.js'


function kebab(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()
}

/** Typed access to a request's options by name, under either spelling, with pointer semantics. */
export class Options {
  constructor(readonly raw: DriverOptions) {}

  private find<T>(map: Record<string, T>, name: string): T | undefined {
    for (const key of new Set([name, camelCase(name), kebab(name)])) if (key in map) return map[key]
    return undefined
  }

  has(name: string): boolean {
    const {stringOptions, intOptions, boolOptions, stringSliceOptions} = this.raw
    const maps: Array<Record<string, unknown>> = [stringOptions, intOptions, boolOptions, stringSliceOptions]
    return maps.some((map) => this.find(map, name) !== undefined)
  }

  string(name: string, fallback = ''): string {
    return this.find(this.raw.stringOptions, name) ?? fallback
  }

  int(name: string, fallback = 0): number {
    return this.find(this.raw.intOptions, name) ?? fallback
  }

  /** `undefined` when the host did not send it: absent differs from zero. */
  intPtr(name: string): number | undefined {
    return this.find(this.raw.intOptions, name)
  }

  bool(name: string, fallback = false): boolean {
    return this.find(this.raw.boolOptions, name) ?? fallback
  }

  /** `undefined` when the host did not send it: absent differs from false. */
  boolPtr(name: string): boolean | undefined {
    return this.find(this.raw.boolOptions, name)
  }

  stringSlice(name: string, fallback: string[] = []): string[] {
    return this.find(this.raw.stringSliceOptions, name) ?? fallback
  }
}
