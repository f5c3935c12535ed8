/**
 * CIS 4.2.1, 4.2.2, 4.2.4: the kubelet API runs commands in every pod of its node. Reads
 * KubeletConfiguration objects (`authentication.anonymous.enabled`: allowed false;
 * `authorization.mode`: allowed Webhook; `readOnlyPort`: allowed 0 — v1beta1 defaults are the
 * safe values) and kubelet containers' `--anonymous-auth`, `--authorization-mode`,
 * `--read-only-port` (whose command-line defaults are the unsafe true, AlwaysAllow, 10255; when
 * `--config` is given, unset flags come from that file and are not judged).
 */
import { WORKLOAD_KINDS } from '../../manifests/workload.ts';
import { asObject } from '../../manifests/path.ts';
import type { CheckContext } from '../types.ts';
import { defineCheck } from '../types.ts';
import { forComponent, reportFlag, type ComponentContainer } from './control-plane.ts';

export default defineCheck({
  id: 'K8S-KUBELET-AUTH',
  title: 'Kubelet API unauthenticated or unauthorized',
  severity: 'high',
  alsoReports: ['medium'],
  category: 'control-plane',
  description: 'The kubelet accepts anonymous requests, authorizes everything (AlwaysAllow), or serves the unauthenticated read-only port; its API can exec into pods and read their data.',
  remediation: 'In KubeletConfiguration set `authentication.anonymous.enabled: false`, `authentication.webhook.enabled: true`, `authorization.mode: Webhook` and `readOnlyPort: 0` (flags: `--anonymous-auth=false --authorization-mode=Webhook --read-only-port=0`).',
  fields: ['authentication.anonymous.enabled', 'authorization.mode', 'readOnlyPort', 'spec.containers[*].command (kubelet --anonymous-auth, --authorization-mode, --read-only-port)'],
  frameworks: { cis: ['4.2.1', '4.2.2', '4.2.4'], nsa: ['Disable anonymous access to Kubelet service'] },
  aliases: ['CKV_K8S_138', 'CKV_K8S_139', 'CKV_K8S_141', 'C-0069', 'C-0172', 'C-0173', 'C-0175', 'KCV-0079', 'KCV-0080', 'KCV-0082'],
  concepts: [148],
  kinds: ['KubeletConfiguration', ...WORKLOAD_KINDS],
  run(ctx) {
    if (ctx.resource.kind === 'KubeletConfiguration') return checkConfiguration(ctx);
    forComponent(ctx, 'kubelet', (cc) => checkFlags(ctx, cc));
  },
});

function checkConfiguration(ctx: CheckContext): void {
  const o = ctx.resource.object;
  if (asObject(asObject(o['authentication'])?.['anonymous'])?.['enabled'] === true) ctx.report(['authentication', 'anonymous', 'enabled'], 'KubeletConfiguration enables anonymous authentication');
  if (asObject(o['authorization'])?.['mode'] === 'AlwaysAllow') ctx.report(['authorization', 'mode'], 'KubeletConfiguration authorizes every request (AlwaysAllow)');
  const port = o['readOnlyPort'];
  if (port !== undefined && port !== null && Number(port) !== 0) ctx.report(['readOnlyPort'], `KubeletConfiguration serves the unauthenticated read-only port ${String(port)}`, { severity: 'medium' });
}

function checkFlags(ctx: CheckContext, cc: ComponentContainer): void {
  const fromFile = cc.flags.has('config');
  const judge = (name: string, unsafeDefault: string, isUnsafe: (v: string) => boolean, message: string, severity?: 'medium'): void => {
    const flag = cc.flags.get(name);
    if (flag === undefined && fromFile) return;
    const value = flag?.value ?? unsafeDefault;
    if (isUnsafe(value)) reportFlag(ctx, cc, name, `${message} (--${name}=${value}${flag === undefined ? ', the default' : ''})`, severity);
  };
  judge('anonymous-auth', 'true', (v) => v !== 'false', 'kubelet allows anonymous requests');
  judge('authorization-mode', 'AlwaysAllow', (v) => v.split(',').includes('AlwaysAllow'), 'kubelet authorizes every request');
  judge('read-only-port', '10255', (v) => Number(v) !== 0, 'kubelet serves the unauthenticated read-only port', 'medium');
}
