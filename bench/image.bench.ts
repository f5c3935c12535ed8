/**
 * `npm run bench:image`: scan the Debian test image (built by test/image/images.ts, cached) from
 * its OCI layout against `gzip -dc` of the same layer blobs to /dev/null, in the same run. Prints
 * both times, the ratio and the scan's peak RSS (a child process per scan, so RSS is its own).
 * `BENCH_BIG=1` adds (`BENCH_BIG=only` runs only) a synthetic image of ~1 GiB uncompressed (4 layers of files, built once into
 * the test-image cache) for the memory target. Not a test: nothing here asserts a time.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, testImages } from '../test/image/images.ts';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);

interface Layout {
  ref: string;
  blobs: string[];
}

function layoutOf(dir: string, tag: string): Layout {
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations?: Record<string, string> }[] };
  const m = index.manifests.find((x) => x.annotations?.['org.opencontainers.image.ref.name'] === tag)!;
  const manifest = JSON.parse(readFileSync(join(dir, 'blobs/sha256', m.digest.slice(7)), 'utf8')) as { layers: { digest: string }[] };
  return { ref: `oci-layout:${dir}:${tag}`, blobs: manifest.layers.map((l) => join(dir, 'blobs/sha256', l.digest.slice(7))) };
}

function gunzipSeconds(blobs: string[]): number {
  const t = process.hrtime.bigint();
  for (const b of blobs) execFileSync('sh', ['-c', `gzip -dc < '${b}' > /dev/null`]);
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** One scan in a fresh process: wall seconds and peak RSS (MiB) of that process. */
function scanSeconds(ref: string, scanners: string): { seconds: number; rssMiB: number; packages: number; findings: number } {
  const script = `
    import { readFileSync } from 'node:fs';
    import { scanImage } from ${JSON.stringify(new URL('../src/image/scan.ts', import.meta.url).pathname)};
    const t = process.hrtime.bigint();
    const r = await scanImage(${JSON.stringify(ref)}, { config: false, scanners: ${JSON.stringify(scanners === '' ? [] : scanners.split(','))} });
    const s = Number(process.hrtime.bigint() - t) / 1e9;
    // VmHWM: this process's own peak. getrusage's maxRSS is not: Linux carries it across exec,
    // so a child would report the parent's RSS at fork time when that was larger.
    const hwm = Number(/VmHWM:[^0-9]*([0-9]+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);
    process.stdout.write(JSON.stringify({ seconds: s, rssMiB: hwm / 1024, packages: r.packages.length, findings: r.findings.length }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as { seconds: number; rssMiB: number; packages: number; findings: number };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function bench(name: string, layout: Layout): void {
  const bytes = layout.blobs.reduce((n, b) => n + statSync(b).size, 0);
  console.log(`\n${name}: ${layout.blobs.length} layer(s), ${(bytes / 1024 / 1024).toFixed(1)} MiB compressed`);
  for (const scanners of ['', 'secret,hardening,license']) {
    const base: number[] = [];
    const scan: number[] = [];
    let last = { seconds: 0, rssMiB: 0, packages: 0, findings: 0 };
    let rss = 0;
    for (let i = 0; i < ROUNDS; i++) {
      base.push(gunzipSeconds(layout.blobs));
      last = scanSeconds(layout.ref, scanners);
      scan.push(last.seconds);
      rss = Math.max(rss, last.rssMiB);
    }
    const b = median(base);
    const s = median(scan);
    console.log(`  scanners [${scanners || 'inventory only'}]: gzip -dc ${b.toFixed(2)} s, bosun ${s.toFixed(2)} s, ratio ${(s / b).toFixed(2)}, peak RSS ${rss.toFixed(0)} MiB (${last.packages} packages, ${last.findings} findings)`);
  }
}

/** ~1 GiB uncompressed: 4 layers × 256 files × 1 MiB of text-like pseudo-random content. */
function bigImage(): Layout {
  const dir = join(cacheRoot(), `big-${createHash('sha256').update('v1 4x256x1MiB').digest('hex').slice(0, 12)}`);
  if (!existsSync(join(dir, 'DONE'))) {
    const src = `${dir}.src`;
    execFileSync('rm', ['-rf', dir, src]);
    execFileSync('umoci', ['init', '--layout', dir]);
    execFileSync('umoci', ['new', '--image', `${dir}:big`]);
    for (let layer = 0; layer < 4; layer++) {
      mkdirSync(join(src, `l${layer}`), { recursive: true });
      // base64 of random bytes: compresses ~25% like text, not like zeros.
      execFileSync('sh', ['-c', `for i in $(seq 1 256); do head -c 786432 /dev/urandom | base64 -w 76 > ${join(src, `l${layer}`)}/f$i.txt; done`]);
      execFileSync('umoci', ['insert', '--image', `${dir}:big`, join(src, `l${layer}`), `/data/l${layer}`]);
    }
    execFileSync('rm', ['-rf', src]);
    execFileSync('sh', ['-c', `touch ${join(dir, 'DONE')}`]);
  }
  return layoutOf(dir, 'big');
}

const imgs = testImages();
if (imgs === undefined) {
  console.log('bench:image needs debootstrap, umoci, skopeo and go (see test/image/images.ts)');
  process.exit(0);
}
console.log(`bench:image, ${ROUNDS} rounds (median), Node ${process.version}`);
if (process.env['BENCH_BIG'] !== 'only') {
  bench('Debian bookworm minbase (debian)', layoutOf(imgs.oci, 'debian'));
  bench('Debian + app layers (app)', layoutOf(imgs.oci, 'app'));
}
if (process.env['BENCH_BIG'] === '1' || process.env['BENCH_BIG'] === 'only') bench('synthetic 1 GiB uncompressed', bigImage());
