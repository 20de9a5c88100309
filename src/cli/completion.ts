// Cluster-name completion on top of @oclif/plugin-autocomplete. The plugin (v3) completes commands and
// flags from a static script and has no hook for argument values, so this adds a small shell function
// that completes NAME from `ke __complete-clusters` and hands every other case to the plugin's own
// function (`_ke_autocomplete` in bash, `_ke` in zsh). It is generated from the commands' metadata:
// a command takes cluster names when its first argument is `name` described as "cluster name(s)".

export interface CommandShape {
  id: string
  aliases?: string[]
  strict?: boolean
  args?: Record<string, {description?: string}>
  flags?: Record<string, {type?: string; char?: string}>
}

export interface ClusterCommands {
  /** oclif ids (`etcd:save`) whose first positional is one cluster name. */
  single: string[]
  /** Ids that take any number of names (`rm a b c`). */
  multiple: string[]
  /** Flags of those commands that take a value, so the value is not mistaken for a positional. */
  valueFlags: string[]
}

function takesClusterName(cmd: CommandShape): boolean {
  const [first] = Object.entries(cmd.args ?? {})
  return first !== undefined && first[0] === 'name' && /^cluster names?\b/.test(first[1].description ?? '')
}

export function clusterCommands(commands: CommandShape[]): ClusterCommands {
  const single = new Set<string>()
  const multiple = new Set<string>()
  const valueFlags = new Set<string>()
  for (const cmd of commands) {
    if (!takesClusterName(cmd)) continue
    for (const id of [cmd.id, ...(cmd.aliases ?? [])]) (cmd.strict === false ? multiple : single).add(id)
    for (const [name, flag] of Object.entries(cmd.flags ?? {})) {
      if (flag.type !== 'option') continue
      valueFlags.add(`--${name}`)
      if (flag.char) valueFlags.add(`-${flag.char}`)
    }
  }
  const sorted = (set: Set<string>) => [...set].sort()
  return {single: sorted(single), multiple: sorted(multiple), valueFlags: sorted(valueFlags)}
}

export const SHELLS = ['bash', 'zsh'] as const
export type Shell = (typeof SHELLS)[number]

/**
 * Shared by both shells: given the words typed after the binary (before the cursor), decides whether
 * the word at the cursor is a cluster NAME. Topic commands are matched by joining two words with `:`.
 */
function wantsClusterFunction(bin: string, commands: ClusterCommands): string {
  return `_${bin}_wants_cluster() {
  local single=" ${commands.single.join(' ')} " multiple=" ${commands.multiple.join(' ')} "
  local value_flags=" ${commands.valueFlags.join(' ')} " skip=0 w
  local -a positional
  positional=()
  for w in "$@"; do
    if [[ $skip == 1 ]]; then skip=0; continue; fi
    if [[ $w == -* ]]; then
      [[ $w != *=* && $value_flags == *" $w "* ]] && skip=1
      continue
    fi
    positional+=("$w")
  done
  local n=\${#positional[@]}
  [[ $n -ge 1 ]] || return 1
  local one="\${positional[@]:0:1}" two="\${positional[@]:0:1}:\${positional[@]:1:1}"
  [[ $n == 1 && $single == *" $one "* ]] && return 0
  [[ $n == 2 && $single == *" $two "* ]] && return 0
  [[ $multiple == *" $one "* ]] && return 0
  [[ $n -ge 2 && $multiple == *" $two "* ]] && return 0
  return 1
}`
}

export function completionScript(shell: Shell, bin: string, commands: ClusterCommands): string {
  const header = `# ${bin}: complete cluster names for commands that take NAME. Load after the plugin's own script:\n#   eval "$(${bin} autocomplete script ${shell})"; eval "$(${bin} __complete-clusters --shell ${shell})"`
  if (shell === 'bash') {
    return `${header}
${wantsClusterFunction(bin, commands)}
_${bin}_complete_with_clusters() {
  local cur="\${COMP_WORDS[COMP_CWORD]}"
  if [[ $cur != -* ]] && _${bin}_wants_cluster "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; then
    COMPREPLY=($(compgen -W "$(${bin} __complete-clusters 2>/dev/null)" -- "$cur"))
    return 0
  fi
  _${bin}_autocomplete
}
complete -F _${bin}_complete_with_clusters ${bin}
`
  }
  return `${header}
${wantsClusterFunction(bin, commands)}
_${bin}_complete_with_clusters() {
  if [[ \${words[CURRENT]} != -* ]] && _${bin}_wants_cluster "\${(@)words[2,CURRENT-1]}"; then
    local -a clusters
    clusters=(\${(f)"$(${bin} __complete-clusters 2>/dev/null)"})
    compadd -a clusters
    return
  fi
  _${bin} "$@"
}
compdef _${bin}_complete_with_clusters ${bin}
`
}
