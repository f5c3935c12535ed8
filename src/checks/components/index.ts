import type { Check } from '../types.ts';
import tiller from './tiller.ts';
import gitSyncCustomGit from './git-sync-custom-git.ts';
import sudoInEntrypoint from './sudo-in-entrypoint.ts';
import vulnerableComponentVersion from './vulnerable-component-version.ts';
import apiserverAnonymousAuth from './apiserver-anonymous-auth.ts';
import apiserverAuthorizationMode from './apiserver-authorization-mode.ts';
import apiserverInsecurePort from './apiserver-insecure-port.ts';
import apiserverAuditLog from './apiserver-audit-log.ts';
import apiserverAdmissionPlugins from './apiserver-admission-plugins.ts';
import apiserverTls from './apiserver-tls.ts';
import controlPlaneProfiling from './control-plane-profiling.ts';
import etcdTls from './etcd-tls.ts';
import controllerManagerCredentials from './controller-manager-credentials.ts';
import kubeletAuth from './kubelet-auth.ts';

export const componentChecks: readonly Check[] = [
  tiller,
  gitSyncCustomGit,
  sudoInEntrypoint,
  vulnerableComponentVersion,
  apiserverAnonymousAuth,
  apiserverAuthorizationMode,
  apiserverInsecurePort,
  apiserverAuditLog,
  apiserverAdmissionPlugins,
  apiserverTls,
  controlPlaneProfiling,
  etcdTls,
  controllerManagerCredentials,
  kubeletAuth,
];
