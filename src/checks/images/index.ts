import type { Check } from '../types.ts';
import imageTagLatest from './image-tag-latest.ts';
import imageNotPinnedByDigest from './image-not-pinned-by-digest.ts';
import imagePullPolicyNotAlways from './image-pull-policy-not-always.ts';
import imageRegistryNotAllowed from './image-registry-not-allowed.ts';
import imageDeprecatedRegistry from './image-deprecated-registry.ts';
import gatekeeperOpenEndedRepo from './gatekeeper-open-ended-repo.ts';

export const imageChecks: readonly Check[] = [
  imageTagLatest,
  imageNotPinnedByDigest,
  imagePullPolicyNotAlways,
  imageRegistryNotAllowed,
  imageDeprecatedRegistry,
  gatekeeperOpenEndedRepo,
];
