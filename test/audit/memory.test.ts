/** Bounded memory: a log far larger than the heap streams through the scanner (child process under a heap cap). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../helpers.ts';
import { EVENTS_DIR, RULES_DIR } from './helpers.ts';

test('a 100 MB audit log scans under a 48 MB heap cap', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-audit-mem-'));
  try {
    const src = (p: string): string => pathToFileURL(join(REPO_ROOT, 'src', 'audit', p)).href;
    const script = join(dir, 'child.ts');
    await writeFile(
      script,
      `import { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { createEngine } from ${JSON.stringify(src('engine.ts'))};
import { loadRules } from ${JSON.stringify(src('loader.ts'))};
import { scanAuditStream } from ${JSON.stringify(src('scan.ts'))};
const rules = loadRules([{ name: 'k', text: readFileSync(${JSON.stringify(join(RULES_DIR, 'k8s_audit_rules.yaml'))}, 'utf8') }]);
const line = readFileSync(${JSON.stringify(join(EVENTS_DIR, 'traces', 'create_nginx_pod_privileged_2nd_container.json'))}, 'utf8').trim() + '\\n';
const n = Math.ceil(100 * 1048576 / line.length / 100) * 100;
async function* gen() { for (let i = 0; i < n; i += 100) yield line.repeat(100); }
let alerts = 0;
const st = await scanAuditStream(Readable.from(gen()), 'gen', createEngine(rules, { hostname: 'h' }), { onAlert: () => alerts++ });
process.stdout.write(JSON.stringify({ events: st.events, n, alerts, mib: Math.round((n * line.length) / 1048576) }));
`,
    );
    const r = spawnSync(process.execPath, ['--max-old-space-size=48', script], { encoding: 'utf8', timeout: 110000 });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { events: number; n: number; alerts: number; mib: number };
    assert.equal(out.events, out.n);
    assert.equal(out.alerts, out.n);
    assert.ok(out.mib >= 100, String(out.mib));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
