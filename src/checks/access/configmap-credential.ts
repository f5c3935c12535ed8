/**
 * ConfigMaps are not Secrets: they are not encrypted at rest by default, are readable by roles
 * that may not read Secrets, and get printed freely. Reads `data` of ConfigMaps: a single-line
 * value is checked like an env variable (credential-like key with a literal value, or a
 * credential-shaped value); a multi-line value (a config file) for credential-shaped content and
 * for `key: value` / `key=value` lines with credential-like keys. Same settings as
 * K8S-ENV-HARDCODED-CREDENTIAL. The value is never reported.
 */
import { asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';
import { CREDENTIAL_SETTINGS, credentialInText, credentialReason, credentialRules, credentialShape } from './credentials.ts';

export default defineCheck({
  id: 'K8S-CONFIGMAP-CREDENTIAL',
  title: 'Credential stored in a ConfigMap',
  severity: 'high',
  category: 'access',
  description: 'A credential in a ConfigMap is stored and shown in plain text and is readable by every role that can read ConfigMaps.',
  remediation: 'Move the credential into a Secret (or an external secret store) and mount it; rotate the exposed credential.',
  fields: ['ConfigMap.data'],
  frameworks: { nsa: ['Applications credentials in configuration files'], mitre: ['Credential access'], 'nist-800-190': ['4.1.4'] },
  aliases: ['sensitiveConfigmapContent', 'C-0012', 'KSV-01010', 'KSV-0109'],
  concepts: [97],
  kinds: ['ConfigMap'],
  settings: CREDENTIAL_SETTINGS,
  run(ctx) {
    const data = asObject(ctx.resource.object['data']);
    if (data === undefined) return;
    const rules = credentialRules(ctx);
    for (const [key, raw] of Object.entries(data)) {
      if (typeof raw !== 'string' && typeof raw !== 'number') continue;
      const value = String(raw);
      const reason = value.includes('\n') ? (credentialShape(value, rules) ?? credentialInText(value, rules)) : credentialReason(key, value, rules);
      if (reason !== undefined) ctx.report(['data', key], `ConfigMap key "${key}" holds a credential: ${reason} (value redacted)`);
    }
  },
});
