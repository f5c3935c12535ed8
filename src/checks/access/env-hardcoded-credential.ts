/**
 * Credentials written into a manifest are readable by everyone with access to the repository, the
 * cluster's object store and `get` on the workload. Reads `env[*].name` and `env[*].value` of every
 * container: a literal value under a credential-like name (password, token, api_key …, minus
 * names of references such as *_FILE, *_URL) or a value shaped like a credential (AWS key ID,
 * private key, GitHub/Slack token, JWT, URL with a password). References (`$(VAR)`), templates and
 * paths are allowed. Patterns: settings `credentialKeyPatterns`, `credentialKeyAllowPatterns`,
 * `credentialValuePatterns`, `credentialValueAllowPatterns`. The value is never reported.
 */
import { asArray, asObject, asString } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';
import { CREDENTIAL_SETTINGS, credentialReason, credentialRules } from './credentials.ts';

export default defineCheck({
  id: 'K8S-ENV-HARDCODED-CREDENTIAL',
  title: 'Hard-coded credential in an environment variable',
  severity: 'high',
  category: 'access',
  description: 'A literal credential in a pod spec is stored in plain text in git, in etcd and in every copy of the manifest, and is visible to anyone who can read the workload.',
  remediation: 'Move the value into a Secret (or an external secret store) and reference it, preferably as a mounted file; rotate the exposed credential.',
  fields: ['spec.containers[*].env[*].name', 'spec.containers[*].env[*].value'],
  frameworks: { nsa: ['Applications credentials in configuration files'], mitre: ['Credential access', 'Lateral movement'], 'nist-800-190': ['4.1.4'] },
  aliases: ['sensitiveContainerEnvVar', 'C-0012', 'C-0259', 'env-var-secret'],
  concepts: [96],
  kinds: 'workload',
  settings: CREDENTIAL_SETTINGS,
  run(ctx) {
    const rules = credentialRules(ctx);
    for (const c of ctx.workload!.containers) {
      asArray(c.container['env']).forEach((raw, i) => {
        const env = asObject(raw);
        const name = asString(env?.['name']) ?? '';
        const value = env?.['value'];
        if (typeof value !== 'string' && typeof value !== 'number') return;
        const reason = credentialReason(name, String(value), rules);
        if (reason !== undefined) ctx.report([...c.path, 'env', i, 'value'], `container "${c.name}" env "${name}" holds a hard-coded credential: ${reason} (value redacted)`);
      });
    }
  },
});
