/** `bosun init`: a commented starter bosun.yaml that documents every option where it is used. */
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BosunError } from '../core/errors.ts';
import { CONFIG_FILE_NAMES } from './load.ts';
import { SCHEMA_URL } from './schema.ts';

export const STARTER_CONFIG = `# yaml-language-server: $schema=${SCHEMA_URL}
#
# bosun configuration. bosun finds this file by walking up from the scanned path to the
# repository root; command-line flags override it.

# Lowest severity that fails the gate (exit code 1): critical, high, medium, low, or none
# to report without ever failing.
failOn: high

# Evaluate every pod against a Pod Security Standards level: baseline, restricted or
# privileged, optionally pinned to a Kubernetes version (restricted:v1.30) or :latest.
# Without it, pods are evaluated only in namespaces that carry a
# pod-security.kubernetes.io/enforce label in the scanned manifests.
# pss: restricted:latest

# Namespace assumed for namespaced objects that do not set metadata.namespace.
# defaultNamespace: default

# Paths bosun scan leaves out when it walks directories (globs relative to this file;
# ** spans directories, a name without / matches at any depth). Named files are always read.
# exclude:
#   - charts/*/tests/
#   - "*.template.yaml"

# Accepted findings. A waived finding stays in the report, marked suppressed, and does not
# fail the gate. rule, kind, namespace and name take globs (* and ?); kind, namespace and
# name default to "any". reason is required. From the expires date (YYYY-MM-DD) on, the
# waiver stops suppressing and the report lists it as expired.
# A single object can also be waived in place with the annotations
#   bosun.dev/ignore: "K8S-PRIVILEGED, K8S-HOST-NETWORK"
#   bosun.dev/ignore-reason: "why"
waivers: []
# - rule: K8S-PRIVILEGED
#   kind: DaemonSet
#   namespace: monitoring
#   name: node-exporter
#   reason: "Reads host metrics; reviewed by the platform team (SEC-142)"
#   expires: 2026-12-31

checks:
  # Rule IDs or globs of checks to turn off.
  disable: []
  #   - K8S-LATEST-TAG

  # Rule IDs or globs of opt-in checks (off by default) to turn on.
  enable: []

  # Per-rule severity overrides (critical, high, medium, low, info); they move the gate too.
  severity: {}
  #   K8S-PRIVILEGED: high

  # Inputs for configurable checks, by setting name.
  settings: {}

  # Rules the per-object bosun.dev/ignore annotation may suppress (globs). Omitted: every rule;
  # [] turns annotation suppression off, so only the reviewed waivers above suppress.
  # ignoreAnnotation:
  #   - K8S-REPLICAS-TOO-FEW
  #   - K8S-*-PROBE-MISSING
`;

/**
 * Writes STARTER_CONFIG to `dir/bosun.yaml` and returns its path. Refuses (E_EXISTS) when the
 * directory already has a bosun.yaml or bosun.yml, unless `force`.
 */
export async function writeStarterConfig(dir: string, options: { force?: boolean } = {}): Promise<string> {
  const path = join(dir, CONFIG_FILE_NAMES[0]!);
  if (options.force !== true) {
    for (const name of CONFIG_FILE_NAMES) {
      const existing = join(dir, name);
      if (await exists(existing)) throw new BosunError('E_EXISTS', `${existing}: already exists (use --force to overwrite)`);
    }
  }
  try {
    // `wx` closes the gap between the check above and the write.
    await writeFile(path, STARTER_CONFIG, { flag: options.force === true ? 'w' : 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new BosunError('E_EXISTS', `${path}: already exists (use --force to overwrite)`, { cause: err });
    throw new BosunError('E_CONFIG', `${path}: cannot write: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  return path;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
