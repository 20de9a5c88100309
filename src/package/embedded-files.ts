// Some gRPC packages read .proto files from disk next to their own code at run time
// (grpc-health-check: `${__dirname}/../../proto`, @grpc/reflection: path.join(__dirname, ...)).
// A packaged driver has no such files, so at bundle time we point their `__dirname` at a virtual
// directory and carry the .proto files in the script; a small prologue answers fs reads of that
// directory from memory. Only packages that ship .proto files and use `__dirname` are touched.
import {readdirSync, readFileSync} from 'node:fs'
import {dirname, join, sep} from 'node:path'
import type {Plugin} from 'esbuild'

/** Never a real path: files under it exist only inside the packaged driver. */
export const EMBEDDED_ROOT = '/__ke_embedded__'

/** What the plugin collected: virtual path -> file text. */
export type EmbeddedFiles = Record<string, string>

const NODE_MODULES = `${sep}node_modules${sep}`

/** `/x/node_modules/@grpc/reflection/build/src/a.js` -> `/x/node_modules/@grpc/reflection` */
function packageRootOf(file: string): string | undefined {
  const at = file.lastIndexOf(NODE_MODULES)
  if (at === -1) return undefined
  const parts = file.slice(at + NODE_MODULES.length).split(sep)
  const depth = parts[0].startsWith('@') ? 2 : 1
  if (parts.length <= depth) return undefined
  return file.slice(0, at + NODE_MODULES.length) + parts.slice(0, depth).join(sep)
}

function protoFilesUnder(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    if (entry.name === 'node_modules') continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) protoFilesUnder(path, found)
    else if (entry.name.endsWith('.proto')) found.push(path)
  }
  return found
}

/** The virtual path of a file inside node_modules: `/__ke_embedded__/@grpc/reflection/build/src`. */
function virtualPath(path: string): string {
  const inside = path.slice(path.lastIndexOf(NODE_MODULES) + NODE_MODULES.length)
  return `${EMBEDDED_ROOT}/${inside.split(sep).join('/')}`
}

/**
 * An esbuild plugin that embeds .proto files of the packages that read them via `__dirname`; only of
 * `packages` when given (by name, e.g. `grpc-health-check`), the others' code left as it is.
 */
export function embedProtoFiles(files: EmbeddedFiles, opts: {packages?: string[]} = {}): Plugin {
  const protosByPackage = new Map<string, string[]>()
  return {
    name: 'ke-embed-proto-files',
    setup(build) {
      build.onLoad({filter: /[\\/]node_modules[\\/].*\.c?js$/}, (args) => {
        const text = readFileSync(args.path, 'utf8')
        if (!/\b__(dirname|filename)\b/.test(text)) return undefined
        const root = packageRootOf(args.path)
        if (!root) return undefined
        if (opts.packages && !opts.packages.includes(root.slice(root.lastIndexOf(NODE_MODULES) + NODE_MODULES.length).split(sep).join('/'))) return undefined
        if (!protosByPackage.has(root)) protosByPackage.set(root, protoFilesUnder(root))
        const protos = protosByPackage.get(root)!
        if (protos.length === 0) return undefined
        for (const proto of protos) files[virtualPath(proto)] = readFileSync(proto, 'utf8')
        const contents = text
          .replace(/(?<![.\w$])__dirname\b/g, JSON.stringify(virtualPath(dirname(args.path))))
          .replace(/(?<![.\w$])__filename\b/g, JSON.stringify(virtualPath(args.path)))
        return {contents, loader: 'js'}
      })
    },
  }
}

/**
 * Script run before the bundle: serves the embedded files to the fs calls protobufjs and
 * @grpc/proto-loader make (accessSync, existsSync, readFileSync, readFile). Other paths pass through.
 */
export function embeddedFilesPrologue(files: EmbeddedFiles): string {
  if (Object.keys(files).length === 0) return ''
  return `(function (files) {
  var fs = require('fs'), path = require('path');
  function find(p) {
    if (typeof p !== 'string' || p.indexOf(${JSON.stringify(EMBEDDED_ROOT)}) !== 0) return undefined;
    var key = path.posix.normalize(p);
    return Object.prototype.hasOwnProperty.call(files, key) ? files[key] : undefined;
  }
  function content(text, options) {
    var encoding = typeof options === 'string' ? options : options && options.encoding;
    return encoding ? text : Buffer.from(text, 'utf8');
  }
  var readFileSync = fs.readFileSync, readFile = fs.readFile, accessSync = fs.accessSync, existsSync = fs.existsSync;
  fs.readFileSync = function (p, options) { var text = find(p); return text === undefined ? readFileSync.apply(this, arguments) : content(text, options); };
  fs.accessSync = function (p) { return find(p) === undefined ? accessSync.apply(this, arguments) : undefined; };
  fs.existsSync = function (p) { return find(p) !== undefined || existsSync.apply(this, arguments); };
  fs.readFile = function (p, options, callback) {
    var text = find(p);
    if (text === undefined) return readFile.apply(this, arguments);
    var done = typeof options === 'function' ? options : callback;
    process.nextTick(done, null, content(text, typeof options === 'function' ? undefined : options));
  };
})(${JSON.stringify(files)});\n`
}
