import type { Check } from '../types.ts';
import podWithoutNetworkPolicy from './pod-without-network-policy.ts';
import networkPolicyDirections from './network-policy-directions.ts';
import namespaceWithoutNetworkPolicy from './namespace-without-network-policy.ts';
import networkPolicySelectsNothing from './network-policy-selects-nothing.ts';
import exposedService from './exposed-service.ts';
import serviceExternalIps from './service-external-ips.ts';
import serviceSelectsNothing from './service-selects-nothing.ts';
import routeBackendMissing from './route-backend-missing.ts';
import ingressWithoutTls from './ingress-without-tls.ts';
import ingressNginxSnippets from './ingress-nginx-snippets.ts';
import sshPort from './ssh-port.ts';
import serviceMonitorSelectsNothing from './service-monitor-selects-nothing.ts';

export const networkChecks: readonly Check[] = [
  podWithoutNetworkPolicy,
  networkPolicyDirections,
  namespaceWithoutNetworkPolicy,
  networkPolicySelectsNothing,
  exposedService,
  serviceExternalIps,
  serviceSelectsNothing,
  routeBackendMissing,
  ingressWithoutTls,
  ingressNginxSnippets,
  sshPort,
  serviceMonitorSelectsNothing,
];
