/**
 * Every version comparator is a total order on the versions it accepts (reflexive, antisymmetric,
 * transitive) over random versions written to hit each scheme's corners (`~`, epochs, leading
 * zeros, pre-release and post-release tags, letters against digits); a comparator that is not
 * orders ranges inconsistently and misses or invents vulnerabilities. dpkg is also checked
 * against Debian's own implementation (Dpkg::Version, from dpkg's Perl library) and rpm against
 * librpm (python3-rpm), PEP 440 against pip's `packaging` and RubyGems against Gem::Version, on every
 * pair.
 * FUZZ_SEED=n runs another sequence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { VERSION_SCHEMES, compareVersions, type VersionScheme } from '../../src/vuln/versions/index.ts';
import { prng } from '../../bench/prng.ts';

type Rnd = () => number;
const pick = <T,>(rnd: Rnd, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const num = (rnd: Rnd): string => pick(rnd, ['0', '1', '2', '10', '01', '9', '100', '007', '3']);
const join = (rnd: Rnd, parts: number, part: () => string, sep: readonly string[] = ['.']): string =>
  Array.from({ length: parts }, part).reduce((acc, p, i) => (i === 0 ? p : acc + pick(rnd, sep) + p), '');

const GENERATORS: Record<VersionScheme, (rnd: Rnd) => string> = {
  dpkg: (rnd) => {
    const piece = (): string => pick(rnd, [num(rnd), num(rnd), 'a', 'b', 'z', 'A', 'rc', '~', '~~', '+', '.', 'dfsg', '~rc1', '+b1', 'ubuntu1', '0']);
    const upstream = num(rnd) + Array.from({ length: Math.floor(rnd() * 4) }, piece).join('');
    const revision = rnd() < 0.6 ? `-${pick(rnd, [num(rnd), `${num(rnd)}${piece()}`, `${num(rnd)}.${num(rnd)}`, '0~1', `${num(rnd)}+deb12u1`])}` : '';
    const epoch = rnd() < 0.15 ? `${pick(rnd, ['0', '1', '2'])}:` : '';
    return `${epoch}${upstream}${revision}`;
  },
  rpm: (rnd) => {
    const piece = (): string => pick(rnd, [num(rnd), 'a', 'b', 'rc', 'beta', '~rc1', '^post', '_', '.', '+', 'el9', 'fc38', '~', '^']);
    const version = num(rnd) + Array.from({ length: Math.floor(rnd() * 4) }, piece).join('');
    const release = rnd() < 0.6 ? `-${num(rnd)}${pick(rnd, ['', '.el9', '.fc38', '~1', '^1', 'a'])}` : '';
    return `${rnd() < 0.15 ? `${pick(rnd, ['0', '1', '2'])}:` : ''}${version}${release}`;
  },
  apk: (rnd) => {
    const suffix = rnd() < 0.4 ? `_${pick(rnd, ['alpha', 'beta', 'pre', 'rc', 'p', 'cvs', 'svn', 'git', 'hg'])}${rnd() < 0.6 ? num(rnd) : ''}` : '';
    return `${join(rnd, 1 + Math.floor(rnd() * 3), () => num(rnd))}${rnd() < 0.2 ? pick(rnd, ['a', 'b', 'z']) : ''}${suffix}${rnd() < 0.5 ? `-r${num(rnd)}` : ''}`;
  },
  semver: (rnd) => {
    const pre = rnd() < 0.4 ? `-${join(rnd, 1 + Math.floor(rnd() * 3), () => pick(rnd, ['alpha', 'beta', 'rc', '1', '2', '10', 'x-y', '0a']))}` : '';
    return `${pick(rnd, ['0', '1', '2', '10'])}.${pick(rnd, ['0', '1', '9', '10'])}.${pick(rnd, ['0', '1', '2', '11'])}${pre}${rnd() < 0.2 ? '+build.1' : ''}`;
  },
  go: (rnd) => {
    const base = `v${pick(rnd, ['0', '1', '2'])}.${pick(rnd, ['0', '1', '10'])}.${pick(rnd, ['0', '1', '3'])}`;
    const r = rnd();
    if (r < 0.2) return `${base}-0.20${pick(rnd, ['190101', '231231', '240615'])}120000-abcdef123456`;
    if (r < 0.5) return `${base}-${pick(rnd, ['rc.1', 'beta', 'alpha.2', 'rc.10', 'pre'])}`;
    return r < 0.6 ? `${base}+incompatible` : base;
  },
  pep440: (rnd) => {
    const release = join(rnd, 1 + Math.floor(rnd() * 3), () => num(rnd));
    const pre = rnd() < 0.3 ? `${pick(rnd, ['a', 'b', 'rc', 'alpha', 'beta', 'c', 'pre', 'preview'])}${num(rnd)}` : '';
    const post = rnd() < 0.2 ? pick(rnd, ['.post1', '.post0', '-1', 'post2']) : '';
    const dev = rnd() < 0.2 ? pick(rnd, ['.dev0', '.dev1', 'dev2']) : '';
    const local = rnd() < 0.15 ? pick(rnd, ['+ubuntu.1', '+1', '+abc.2', '+local']) : '';
    return `${rnd() < 0.1 ? '1!' : ''}${release}${pre}${post}${dev}${local}`;
  },
  // Versions as projects write them: a numeric release, then at most one qualifier. (Maven's own order
  // is not transitive on odd ones: `1 < 1.ga-foo < 1-ga == 1`, `a1.sp.SNAPSHOT < a1-cr < a1 < a1.sp.SNAPSHOT`
  // follow from ComparableVersion's rules, which bosun keeps.)
  maven: (rnd) => `${join(rnd, 1 + Math.floor(rnd() * 3), () => num(rnd))}${rnd() < 0.6 ? pick(rnd, ['.', '-']) + pick(rnd, ['alpha', 'alpha1', 'beta-2', 'M1', 'milestone2', 'rc1', 'RC2', 'CR1', 'SNAPSHOT', 'RELEASE', 'Final', 'GA', 'sp1', 'jre', 'android', 'a1', 'b2', '1', '0', 'redhat-00001']) : ''}`,
  rubygems: (rnd) => `${num(rnd)}${Array.from({ length: Math.floor(rnd() * 4) }, () => pick(rnd, ['.', '.', '']) + pick(rnd, [num(rnd), num(rnd), 'a', 'b', 'pre', 'rc1', 'beta2'])).join('')}`,
  cargo: (rnd) => GENERATORS.semver(rnd),
  nuget: (rnd) => `${join(rnd, 1 + Math.floor(rnd() * 4), () => num(rnd))}${rnd() < 0.3 ? `-${pick(rnd, ['alpha', 'beta.1', 'rc.2', 'RC', 'Beta'])}` : ''}${rnd() < 0.1 ? '+meta' : ''}`,
  packagist: (rnd) => `${rnd() < 0.2 ? 'v' : ''}${join(rnd, 1 + Math.floor(rnd() * 4), () => num(rnd))}${rnd() < 0.4 ? pick(rnd, ['-alpha', '-beta2', '-RC1', 'rc', '-p1', '-pl', '-dev', '.x-dev', 'a1', '-patch1', '-stable']) : ''}`,
};

function tryCompare(scheme: VersionScheme, a: string, b: string): number | undefined {
  try {
    return compareVersions(scheme, a, b);
  } catch {
    return undefined;
  }
}

for (const scheme of VERSION_SCHEMES) {
  test(`${scheme}: a total order on random versions`, () => {
    const rnd = prng(Number(process.env['FUZZ_SEED'] ?? 20261129) + scheme.length);
    const versions = [...new Set(Array.from({ length: 160 }, () => GENERATORS[scheme](rnd)))].filter((v) => tryCompare(scheme, v, v) !== undefined);
    assert.ok(versions.length > 60, `${versions.length} ${scheme} versions accepted`);
    const cmp = (a: string, b: string): number => compareVersions(scheme, a, b);
    for (const a of versions) {
      assert.equal(cmp(a, a), 0, `${a} = ${a}`);
      for (const b of versions) assert.equal(cmp(a, b), 0 - cmp(b, a) + 0, `${scheme}: ${a} vs ${b} is not antisymmetric`);
    }
    // sorted, every pair must be in order; and equality must be transitive
    const sorted = [...versions].sort(cmp);
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) assert.ok(cmp(sorted[i]!, sorted[j]!) <= 0, `${scheme}: not transitive around ${sorted[i]} > ${sorted[j]}, sorted ${sorted.join(' ')}`);
    }
  });
}

const mustHave = process.env['BOSUN_REQUIRE_INTEGRATION'] === '1';

const DPKG = { probe: ['perl', '-MDpkg::Version', '-e', '1'], install: 'perl Dpkg::Version (apt-get install libdpkg-perl)', command: ['perl', '-MDpkg::Version', '-e', 'while (<STDIN>) { chomp; my ($a, $b) = split / /; print version_compare($a, $b) <=> 0, "\n"; }'] };
const RPM = { probe: ['/usr/bin/python3', '-c', 'import rpm'], install: 'python3-rpm (apt-get install python3-rpm)', command: ['/usr/bin/python3', '-c', 'import rpm, sys\nfor line in sys.stdin:\n  a, b = line.split()\n  x, y = rpm.ver(a), rpm.ver(b)\n  print((x > y) - (x < y))'] };

const PEP440 = { probe: ['/usr/bin/python3', '-c', 'import packaging.version'], install: 'python3-packaging (apt-get install python3-packaging)', command: ['/usr/bin/python3', '-c', 'import sys\nfrom packaging.version import Version\nfor line in sys.stdin:\n  a, b = map(Version, line.split())\n  print((a > b) - (a < b))'] };
const RUBYGEMS = { probe: ['ruby', '-e', 'Gem::Version'], install: 'ruby (apt-get install ruby)', command: ['ruby', '-e', 'STDOUT.sync = false; STDIN.each_line { |l| a, b = l.split; puts(Gem::Version.new(a) <=> Gem::Version.new(b)) }'] };

function skipUnless(oracle: { probe: string[]; install: string }): { skip?: string } {
  const available = spawnSync(oracle.probe[0]!, oracle.probe.slice(1)).status === 0;
  if (available) return {};
  if (mustHave) throw new Error(`${oracle.install} is required (BOSUN_REQUIRE_INTEGRATION=1)`);
  return { skip: `no ${oracle.install}` };
}

/** Every pair of distinct random versions, ordered by bosun and by the distribution's own code (`command` reads "a b" lines, prints -1, 0 or 1 per line). */
function agreesWithOracle(scheme: VersionScheme, command: string[]): void {
  const rnd = prng(Number(process.env['FUZZ_SEED'] ?? 20261129));
  const versions = [...new Set(Array.from({ length: 250 }, () => GENERATORS[scheme](rnd)))].filter((v) => tryCompare(scheme, v, v) !== undefined);
  const pairs: Array<[string, string]> = [];
  for (const a of versions) for (const b of versions) if (a < b) pairs.push([a, b]);
  const out = spawnSync(command[0]!, command.slice(1), { input: pairs.map((p) => p.join(' ')).join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(out.status, 0, out.stderr);
  const theirs = out.stdout.trim().split('\n').map(Number);
  assert.equal(theirs.length, pairs.length);
  const disagreements: string[] = [];
  pairs.forEach(([a, b], i) => {
    const ours = tryCompare(scheme, a, b);
    if (ours !== theirs[i] && disagreements.length < 10) disagreements.push(`${a} vs ${b}: bosun ${ours}, theirs ${theirs[i]}`);
  });
  assert.deepEqual(disagreements, [], `${pairs.length} pairs`);
  assert.ok(pairs.length > 5_000, `${pairs.length} pairs`);
}

test('dpkg: every pair of random versions ordered as Debian orders them (Dpkg::Version)', skipUnless(DPKG), () => agreesWithOracle('dpkg', DPKG.command));

test('rpm: every pair of random versions ordered as rpm orders them (librpm through python3-rpm)', skipUnless(RPM), () => agreesWithOracle('rpm', RPM.command));

test('pep440: every pair of random versions ordered as pip orders them (packaging.version)', skipUnless(PEP440), () => agreesWithOracle('pep440', PEP440.command));

test('rubygems: every pair of random versions ordered as RubyGems orders them (Gem::Version)', skipUnless(RUBYGEMS), () => agreesWithOracle('rubygems', RUBYGEMS.command));
