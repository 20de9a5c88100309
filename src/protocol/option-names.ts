// Option names as hosts spell them. No dependencies: driver SDK code imports this, and must not pull
// in ke's command-line framework.

/** Rancher's API name: split on '-', upper-case each later part's first letter (`disk-size-gb` -> `diskSizeGb`). */
export function camelCase(name: string): string {
  return name
    .split('-')
    .map((part, index) => (index === 0 || part === '' ? part : part[0].toUpperCase() + part.slice(1)))
    .join('')
}

/** `disk-size-gb` -> `KE_OPT_DISK_SIZE_GB`. */
export function envVarFor(name: string): string {
  return `KE_OPT_${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}`
}
