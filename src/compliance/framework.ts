/**
 * Compliance frameworks as data (frameworks/*.json): controls, titles, and which bosun rules
 * implement each. The engine (assess.ts) is generic; adding a framework means adding a file.
 */
import { z } from 'zod';
import { BosunError } from '../core/errors.ts';
import cisK8s from './frameworks/cis-k8s.json' with { type: 'json' };
import nsa from './frameworks/nsa.json' with { type: 'json' };
import nist from './frameworks/nist-800-190.json' with { type: 'json' };
import pssBaseline from './frameworks/pss-baseline.json' with { type: 'json' };
import pssRestricted from './frameworks/pss-restricted.json' with { type: 'json' };
import pci from './frameworks/pci-dss.json' with { type: 'json' };

const controlSchema = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  section: z.string().optional(),
  /** The framework's own label, e.g. CIS "Automated" / "Manual". */
  assessment: z.string().optional(),
  /** bosun rule IDs whose findings fail this control; empty = a manual control. */
  rules: z.array(z.string().min(1)),
  /** Kinds the control is about (`workload` = any pod-bearing kind); none in the inputs = not applicable. */
  appliesTo: z.array(z.string().min(1)).optional(),
  /** What a person checks, for a manual control. */
  manual: z.string().optional(),
  note: z.string().optional(),
});

const frameworkSchema = z.strictObject({
  id: z.string().min(1),
  title: z.string().min(1),
  version: z.string().min(1),
  url: z.string().optional(),
  description: z.string(),
  /** Pod Security Standards policy evaluated for this framework (e.g. `restricted:latest`). */
  pss: z.string().optional(),
  controls: z.array(controlSchema).min(1),
});

export type Control = z.infer<typeof controlSchema>;
export type Framework = z.infer<typeof frameworkSchema>;

const DATA: readonly unknown[] = [cisK8s, nsa, nist, pssBaseline, pssRestricted, pci];

let cache: Map<string, Framework> | undefined;

/** Every built-in framework, validated, by ID. */
export function frameworks(): Map<string, Framework> {
  if (cache === undefined) {
    cache = new Map();
    for (const d of DATA) {
      const f = frameworkSchema.parse(d);
      cache.set(f.id, f);
    }
  }
  return cache;
}

export const FRAMEWORK_IDS = ['cis-k8s', 'nsa', 'nist-800-190', 'pss-baseline', 'pss-restricted', 'pci-dss'] as const;
export type FrameworkName = (typeof FRAMEWORK_IDS)[number];

const ALIASES: Record<string, FrameworkName> = { cis: 'cis-k8s', nist: 'nist-800-190', pci: 'pci-dss', 'nsa-cisa': 'nsa' };

export function getFramework(name: string): Framework {
  const id = ALIASES[name] ?? name;
  const f = frameworks().get(id);
  if (f === undefined) throw new BosunError('E_USAGE', `--framework: unknown framework "${name}" (one of ${FRAMEWORK_IDS.join(', ')})`);
  return f;
}
