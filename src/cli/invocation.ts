// How the user ran ke, so that a command line ke prints for them to run next (the `use it:` lines,
// `ke env`'s reminder) runs as printed: by its name when it was found on PATH (npm link, npm install
// -g), else by its path; its script (bin/run.js, as README's set-up command runs it) through `node`,
// the node on PATH, which is the one that set-up command ran too, after `--`, so that Node 20 leaves
// a flag added to the line (`--env-file`) to ke.
import {basename, delimiter, dirname, isAbsolute, relative, sep} from 'node:path'
import {shellQuote} from '../shell-quote.js'

export function keInvocation(script = process.argv[1] ?? '', cwd = process.cwd(), path = process.env.PATH ?? ''): string {
  // a path no line can carry: a newline would end `ke env`'s reminder, a comment, half-way
  if (!script || /[\x00-\x1f]/.test(script)) return 'ke'
  const name = basename(script)
  if (name !== 'run.js' && path.split(delimiter).includes(dirname(script))) return name
  const fromCwd = relative(cwd, script)
  const underCwd = fromCwd !== '' && fromCwd !== '..' && !fromCwd.startsWith(`..${sep}`) && !isAbsolute(fromCwd)
  if (name === 'run.js') return `node -- ${shellQuote(underCwd ? fromCwd : script)}`
  // a link that is not on PATH (./node_modules/.bin/ke): a shell runs it by its path, ./ first when relative
  return shellQuote(underCwd ? `.${sep}${fromCwd}` : script)
}
