import type { Check } from '../types.ts';
import admissionWebhooks from './admission-webhooks.ts';
import anonymousBinding from './anonymous-binding.ts';
import authenticatedBinding from './authenticated-binding.ts';
import bind from './bind.ts';
import clusterAdminBinding from './cluster-admin-binding.ts';
import createPods from './create-pods.ts';
import criticalConfigmapWrite from './critical-configmap-write.ts';
import csrApprove from './csr-approve.ts';
import dashboardAccess from './dashboard-access.ts';
import dashboardDeployed from './dashboard-deployed.ts';
import deleteCritical from './delete-critical.ts';
import deleteEvents from './delete-events.ts';
import escalate from './escalate.ts';
import impersonate from './impersonate.ts';
import ineffectiveRule from './ineffective-rule.ts';
import mastersBinding from './masters-binding.ts';
import namespaceAdminBinding from './namespace-admin-binding.ts';
import nodesProxy from './nodes-proxy.ts';
import podAttach from './pod-attach.ts';
import podExec from './pod-exec.ts';
import portForward from './port-forward.ts';
import pvCreate from './pv-create.ts';
import saTokenCreate from './sa-token-create.ts';
import secretsRead from './secrets-read.ts';
import trafficRedirect from './traffic-redirect.ts';
import wildcard from './wildcard.ts';
import workloadSaTakeover from './workload-sa-takeover.ts';

export const rbacChecks: readonly Check[] = [
  clusterAdminBinding,
  namespaceAdminBinding,
  wildcard,
  ineffectiveRule,
  secretsRead,
  createPods,
  podExec,
  podAttach,
  nodesProxy,
  portForward,
  impersonate,
  escalate,
  bind,
  admissionWebhooks,
  csrApprove,
  saTokenCreate,
  pvCreate,
  deleteCritical,
  deleteEvents,
  criticalConfigmapWrite,
  trafficRedirect,
  anonymousBinding,
  authenticatedBinding,
  mastersBinding,
  workloadSaTakeover,
  dashboardDeployed,
  dashboardAccess,
];
