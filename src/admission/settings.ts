/**
 * Everything `bosun admission serve` needs from bosun.yaml, loaded once at startup: the
 * validated config (checks, waivers, policies), the resolved `admission:` section, the policy
 * evaluators and the registry-backed signature verifier. Relative paths are relative to bosun.yaml.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import jsyaml from 'js-yaml';
import { BosunError } from '../core/errors.ts';
import { loadConfigFile } from '../config/load.ts';
import { EMPTY_CONFIG, type BosunConfig } from '../config/types.ts';
import { admissionSchema, resolveAdmissionConfig, type AdmissionConfig } from './config.ts';
import { AdmissionPipeline, type PolicyEvaluator } from './pipeline.ts';
import { loadAdmissionPolicies } from './policies.ts';
import type { ImageVerifier } from './signatures.ts';
import { registryVerifier } from './registry-verifier.ts';
import type { NamespaceLabels } from './namespaces.ts';

export interface AdmissionSettings {
  config: BosunConfig;
  admission: AdmissionConfig;
  policies: PolicyEvaluator[];
  /** Policies whose namespaceSelector needs the cluster's namespace labels (see loadAdmissionPolicies). */
  namespaceSelectingPolicies?: string[];
  verifier: ImageVerifier | undefined;
  namespaceLabels?: NamespaceLabels;
}

/** With no path: no configuration at all, i.e. the default policy. */
export async function loadAdmissionSettings(configPath: string | undefined): Promise<AdmissionSettings> {
  if (configPath === undefined) return { config: EMPTY_CONFIG, admission: resolveAdmissionConfig(undefined), policies: [], verifier: undefined };
  const config = await loadConfigFile(configPath);
  const raw = jsyaml.load(await readFile(configPath, 'utf8'), { schema: jsyaml.CORE_SCHEMA }) as Record<string, unknown> | null;
  const admission = resolveAdmissionConfig(admissionSchema.parse(raw?.['admission'] ?? {}));
  const base = dirname(resolve(configPath));
  for (const policy of admission.images.signatures ?? []) {
    for (const signer of policy.signers) {
      if (signer.key !== undefined && !signer.key.includes('-----BEGIN')) signer.key = await readText(resolve(base, signer.key), 'signer key');
    }
  }
  const trustedRoot = admission.images.trustedRoot === undefined ? undefined : await readText(resolve(base, admission.images.trustedRoot), 'trusted root');
  const loaded = config.policies === undefined || config.policies.length === 0 ? undefined : await loadAdmissionPolicies(config.policies.map((p) => resolve(base, p)));
  const policies = loaded === undefined ? [] : [loaded];
  const verifier =
    (admission.images.signatures?.length ?? 0) === 0
      ? undefined
      : registryVerifier({ ...(trustedRoot !== undefined && { trustedRoot }), registry: { insecure: admission.images.insecureRegistries ?? false, timeoutMs: admission.images.budgetMs ?? 3000, retries: 1 } });
  return { config, admission, policies, verifier, ...(loaded !== undefined && loaded.selectsNamespaces.length > 0 && { namespaceSelectingPolicies: loaded.selectsNamespaces }) };
}

export function pipelineFromSettings(s: AdmissionSettings): AdmissionPipeline {
  return new AdmissionPipeline({
    admission: s.admission,
    config: s.config,
    policies: s.policies,
    ...(s.verifier !== undefined && { verifier: s.verifier }),
    ...(s.namespaceLabels !== undefined && { namespaceLabels: s.namespaceLabels }),
  });
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new BosunError('E_CONFIG', `${path}: cannot read ${what}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
}
