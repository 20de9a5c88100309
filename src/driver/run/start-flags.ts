// Names of ke's flags that early-start.ts must read without oclif (it runs before oclif loads). The
// oclif definitions in src/cli/common-flags.ts are keyed by these very names, so the two cannot drift.

/** `--driver` / `-d`: which driver to start. */
export const DRIVER_FLAG = {name: 'driver', char: 'd'} as const

/** Flags that change how or whether a driver starts: given one, ke starts the driver itself, after parsing. */
export const DRIVER_START_FLAGS = ['env', 'env-file', 'rancher-env', 'attach'] as const
export type DriverStartFlag = (typeof DRIVER_START_FLAGS)[number]
