// A driver keeps its own state as JSON in ClusterInfo.metadata["state"]; the host stores it verbatim
// and sends it back on every later call.
import {emptyClusterInfo, type ClusterInfo} from '../protocol/types.js'

/** The state saved by `saveState`, or undefined on a first create (or when it is not JSON). */
export function loadState<T>(info: ClusterInfo | undefined): T | undefined {
  const text = info?.metadata?.state
  if (!text) return undefined
  try {
    return JSON.parse(text) as T
  } catch {
    return undefined
  }
}

/** A copy of `info` (or of an empty one) carrying `state` as JSON. */
export function saveState<T>(info: ClusterInfo | undefined, state: T): ClusterInfo {
  const base = info ?? emptyClusterInfo()
  return {...base, metadata: {...base.metadata, state: JSON.stringify(state)}}
}
