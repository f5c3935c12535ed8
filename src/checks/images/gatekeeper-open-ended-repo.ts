/**
 * Gatekeeper's K8sAllowedRepos template admits an image when it starts with one of
 * `spec.parameters.repos` (a plain string prefix). An entry that does not end in `/` also
 * admits look-alikes: `myregistry.io` admits `myregistry.io.evil.com/x`, `org/app` admits
 * `org/app-backdoor`. Allowed: entries ending in `/`, or complete digest references.
 */
import { asArray, asObject } from '../../manifests/path.ts';
import { defineCheck } from '../types.ts';

const FULL_DIGEST = /@sha256:[0-9a-f]{64}$/;

export default defineCheck({
  id: 'K8S-GATEKEEPER-OPEN-ENDED-REPO',
  title: 'Gatekeeper allowed repository is an open-ended prefix',
  severity: 'high',
  category: 'images',
  description: 'K8sAllowedRepos matches by string prefix; a repo entry without a trailing `/` lets an attacker use a registry or repository whose name merely starts with the same characters.',
  remediation: 'End every entry of `spec.parameters.repos` with `/` (e.g. `myregistry.io/` or `myregistry.io/team/`).',
  fields: ['spec.parameters.repos[*]'],
  frameworks: { 'nist-800-190': ['4.1.5'] },
  aliases: ['KSV-0124'],
  concepts: [57],
  kinds: ['K8sAllowedRepos'],
  run(ctx) {
    const repos = asArray(asObject(asObject(ctx.resource.object['spec'])?.['parameters'])?.['repos']);
    repos.forEach((repo, i) => {
      if (typeof repo !== 'string' || repo.endsWith('/') || FULL_DIGEST.test(repo)) return;
      ctx.report(['spec', 'parameters', 'repos', i], `allowed repo "${repo}" does not end with "/" and also admits any image whose name starts with it`);
    });
  },
});
