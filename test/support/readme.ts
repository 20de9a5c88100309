// The README's examples, extracted as written so tests can run them.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {ROOT} from './ke.js'

/** The first `lang` code block after `<!-- example: NAME -->` in README.md. */
export function readmeExample(name: string, lang: string): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const marker = readme.indexOf(`<!-- example: ${name}`)
  assert.ok(marker >= 0, `README has the example ${name}`)
  const block = new RegExp('```' + lang + '\\n([\\s\\S]*?)```').exec(readme.slice(marker))
  assert.ok(block, `the example ${name} is a ${lang} code block`)
  return block[1]
}
