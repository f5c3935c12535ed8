import type { Check } from '../types.ts';
import defaultNamespace from './default-namespace.ts';
import kubeSystemNamespace from './kube-system-namespace.ts';
import namespacePsaNotEnforced from './namespace-psa-not-enforced.ts';
import namespacePsaInvalidLabel from './namespace-psa-invalid-label.ts';
import permissivePodSecurityPolicy from './permissive-pod-security-policy.ts';
import permissiveSecurityContextConstraints from './permissive-security-context-constraints.ts';

export const namespaceChecks: readonly Check[] = [
  defaultNamespace,
  kubeSystemNamespace,
  namespacePsaNotEnforced,
  namespacePsaInvalidLabel,
  permissivePodSecurityPolicy,
  permissiveSecurityContextConstraints,
];
