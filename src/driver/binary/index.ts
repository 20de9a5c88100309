// Preflight of a driver binary: can this file run as a cluster driver on this machine, and if not, why?
// Used by `ke driver check FILE` and by the launcher when a driver fails to start, so that the user
// gets "built for darwin, download the linux-amd64 build" instead of a spawn error.
// It reads the file only (headers, a few tables, one scan for a marker string); it never runs it.
// The public entry point: the work lives in ./binary/, one file per concept (check.ts assembles the report).
export {checkBinary, describeBinaryProblem} from './check.js'
export {compareVersions} from './elf-glibc.js'
export {currentHost} from './host.js'
export {
  DOCKER_MACHINE_MARKER,
  type BinaryFormat,
  type BinaryProblem,
  type BinaryProblemCode,
  type BinaryReport,
  type HostInfo,
  type ShebangInfo,
} from './types.js'
