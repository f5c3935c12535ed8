import type { Check } from '../types.ts';
import livenessProbeMissing from './liveness-probe-missing.ts';
import readinessProbeMissing from './readiness-probe-missing.ts';
import probesIdentical from './probes-identical.ts';
import probePortNotExposed from './probe-port-not-exposed.ts';
import replicasTooFew from './replicas-too-few.ts';
import pdbMissing from './pdb-missing.ts';
import pdbBlocksEviction from './pdb-blocks-eviction.ts';
import pdbNoPolicy from './pdb-no-policy.ts';
import pdbUnhealthyEvictionPolicy from './pdb-unhealthy-eviction-policy.ts';
import pdbMinAvailableExceedsHpa from './pdb-min-available-exceeds-hpa.ts';
import hpaMinReplicasLow from './hpa-min-replicas-low.ts';
import hpaNoScalingRange from './hpa-no-scaling-range.ts';
import hpaTargetMissing from './hpa-target-missing.ts';
import hpaTargetHasReplicas from './hpa-target-has-replicas.ts';
import noPodAntiAffinity from './no-pod-anti-affinity.ts';
import topologySpreadMissing from './topology-spread-missing.ts';
import noNodeAffinity from './no-node-affinity.ts';
import priorityClassNotSet from './priority-class-not-set.ts';
import rolloutStrategyNotRolling from './rollout-strategy-not-rolling.ts';
import cronJobNoDeadline from './cronjob-no-deadline.ts';
import restartPolicyInvalid from './restart-policy-invalid.ts';
import jobTtlMisuse from './job-ttl-misuse.ts';
import dnsConfigOptionsMissing from './dns-config-options-missing.ts';
import selectorMismatch from './selector-mismatch.ts';
import statefulSetServiceInvalid from './statefulset-service-invalid.ts';
import duplicateEnvVar from './duplicate-env-var.ts';
import portDefinitionInvalid from './port-definition-invalid.ts';
import nakedPod from './naked-pod.ts';
import instanceLabelMismatch from './instance-label-mismatch.ts';
import requiredLabelsMissing from './required-labels-missing.ts';
import requiredAnnotationsMissing from './required-annotations-missing.ts';
import apiVersionRemoved from './api-version-removed.ts';
import manifestInvalid from './manifest-invalid.ts';

export const reliabilityChecks: readonly Check[] = [
  livenessProbeMissing,
  readinessProbeMissing,
  probesIdentical,
  probePortNotExposed,
  replicasTooFew,
  pdbMissing,
  pdbBlocksEviction,
  pdbNoPolicy,
  pdbUnhealthyEvictionPolicy,
  pdbMinAvailableExceedsHpa,
  hpaMinReplicasLow,
  hpaNoScalingRange,
  hpaTargetMissing,
  hpaTargetHasReplicas,
  noPodAntiAffinity,
  topologySpreadMissing,
  noNodeAffinity,
  priorityClassNotSet,
  rolloutStrategyNotRolling,
  cronJobNoDeadline,
  restartPolicyInvalid,
  jobTtlMisuse,
  dnsConfigOptionsMissing,
  selectorMismatch,
  statefulSetServiceInvalid,
  duplicateEnvVar,
  portDefinitionInvalid,
  nakedPod,
  instanceLabelMismatch,
  requiredLabelsMissing,
  requiredAnnotationsMissing,
  apiVersionRemoved,
  manifestInvalid,
];
