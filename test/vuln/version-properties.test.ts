/**
 * Every version comparator is a total order on the versions it accepts (reflexive, antisymmetric,
 * transitive) over random versions written to hit each scheme's corners (`~`, epochs, leading
 * zeros, pre-release and post-release tags, letters against digits); a comparator that is not
 * orders ranges inconsistently and misses or invents vulnerabilities. dpkg is also checked
 * against Debian's own implementation (Dpkg::Version, from dpkg's Perl library) and rpm against
 * librpm (python3-rpm), PEP 440 against pip's `packaging`, RubyGems against Gem::Version, SemVer against
 * npm's `semver` (node-semver), Go against golang.org/x/mod/semver (test/vuln/go-semver, built offline) and
 * Packagist against Composer's composer/semver, on every pair; the last three also parse, and bosun must
 * refuse none of the versions they accept.
 * FUZZ_SEED=n runs another sequence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { VERSION_SCHEMES, compareVersions, type VersionScheme } from '../../src/vuln/versions/index.ts';
import { prng } from '../../bench/prng.ts';
import { goToolBinary, goToolSkip, type GoTool } from '../go-build.ts';

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
  // `v`/`=` prefixes and leading-zero pre-release numbers are here for the npm oracle: npm refuses `=` and `-01`, bosun reads them.
  semver: (rnd) => {
    const pre = rnd() < 0.4 ? `-${join(rnd, 1 + Math.floor(rnd() * 3), () => pick(rnd, ['alpha', 'beta', 'rc', '1', '2', '10', 'x-y', '0a', '01', '0', '-', 'RC']))}` : '';
    const prefix = rnd() < 0.15 ? pick(rnd, ['v', '=']) : '';
    return `${prefix}${pick(rnd, ['0', '1', '2', '10'])}.${pick(rnd, ['0', '1', '9', '10'])}.${pick(rnd, ['0', '1', '2', '11'])}${pre}${rnd() < 0.2 ? pick(rnd, ['+build.1', '+001', '+b-2.x']) : ''}`;
  },
  // Module versions as the go command writes them (tags, the three pseudo-version forms, +incompatible),
  // sometimes without the `v` OSV's Go records drop, or shortened (`v1.2` is v1.2.0 to Go too).
  go: (rnd) => {
    const major = pick(rnd, ['0', '1', '2']);
    const base = `${major}.${pick(rnd, ['0', '1', '10'])}.${pick(rnd, ['0', '1', '3'])}`;
    const time = `20${pick(rnd, ['190101', '231231', '240615'])}${pick(rnd, ['120000', '000001'])}-${pick(rnd, ['abcdef123456', '0123456789ab'])}`;
    const r = rnd();
    const v =
      r < 0.1 ? `${major}.0.0-${time}`
      : r < 0.2 ? `${base}-0.${time}`
      : r < 0.27 ? `${base}-${pick(rnd, ['rc.1', 'beta'])}.0.${time}`
      : r < 0.5 ? `${base}-${pick(rnd, ['rc.1', 'rc.2', 'beta', 'alpha.2', 'rc.10', 'pre', 'rc.01', '0'])}`
      : r < 0.57 ? pick(rnd, [major, `${major}.${pick(rnd, ['0', '1', '10'])}`])
      : base;
    return `${rnd() < 0.85 ? 'v' : ''}${v}${rnd() < 0.15 ? '+incompatible' : ''}`;
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
  packagist: (rnd) => `${rnd() < 0.2 ? 'v' : ''}${join(rnd, 1 + Math.floor(rnd() * 4), () => num(rnd))}${rnd() < 0.4 ? pick(rnd, ['-alpha', '-beta2', '-RC1', 'rc', '-p1', '-pl', '-dev', '.x-dev', 'a1', '-patch1', '-stable', '-beta.2', '-RC2-dev', 'pl2', '_b1']) : ''}${rnd() < 0.1 ? '+build.5' : ''}`,
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

/** The oracle's answer per line ("a b" lines: -1, 0 or 1; a lone "a", for oracles that validate: true or false). */
function ask(command: readonly string[], lines: readonly string[]): string[] {
  const out = spawnSync(command[0]!, command.slice(1), { input: lines.join('\n') + '\n', encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(out.status, 0, out.stderr);
  const answers = out.stdout.trim().split('\n');
  assert.equal(answers.length, lines.length);
  return answers;
}

/** Distinct random versions of a scheme (only those bosun accepts, unless `acceptedOnly` is false). */
function randomVersions(scheme: VersionScheme, acceptedOnly = true): string[] {
  const rnd = prng(Number(process.env['FUZZ_SEED'] ?? 20261129));
  const versions = [...new Set(Array.from({ length: 250 }, () => GENERATORS[scheme](rnd)))];
  return acceptedOnly ? versions.filter((v) => tryCompare(scheme, v, v) !== undefined) : versions;
}

/** Both orders agree on every pair, as the oracle reads each version through `theirs` (bosun's documented canonical form). */
function agreesOnPairs(scheme: VersionScheme, command: readonly string[], pairs: ReadonlyArray<readonly [string, string]>, theirs: (v: string) => string = (v) => v): void {
  const answers = ask(command, pairs.map(([a, b]) => `${theirs(a)} ${theirs(b)}`)).map(Number);
  const disagreements: string[] = [];
  pairs.forEach(([a, b], i) => {
    const ours = tryCompare(scheme, a, b);
    if (ours !== answers[i] && disagreements.length < 10) disagreements.push(`${a} vs ${b}: bosun ${ours}, theirs ${answers[i]}`);
  });
  assert.deepEqual(disagreements, [], `${pairs.length} pairs`);
}

const allPairs = (versions: readonly string[]): Array<[string, string]> => versions.flatMap((a) => versions.filter((b) => a < b).map((b): [string, string] => [a, b]));

/**
 * Every pair of distinct random versions, ordered by bosun and by the distribution's own code (`command` reads "a b" lines, prints -1, 0 or 1 per line).
 * With `validates`, only versions the oracle also accepts are paired (it answers a lone version with true or false).
 */
function agreesWithOracle(scheme: VersionScheme, command: readonly string[], options: { validates?: boolean; theirs?: (v: string) => string } = {}): void {
  let versions = randomVersions(scheme);
  if (options.validates === true) {
    // bosun refusing a version the ecosystem accepts would leave its matches uncertain.
    const all = randomVersions(scheme, false);
    const theirs = options.theirs ?? ((v: string) => v);
    const valid = ask(command, all.map(theirs));
    assert.deepEqual(all.filter((v, i) => valid[i] === 'true' && tryCompare(scheme, v, v) === undefined), [], `${scheme} versions the oracle accepts and bosun refuses`);
    versions = all.filter((v, i) => valid[i] === 'true' && tryCompare(scheme, v, v) !== undefined);
  }
  const pairs = allPairs(versions);
  agreesOnPairs(scheme, command, pairs, options.theirs);
  assert.ok(pairs.length > 5_000, `${pairs.length} pairs`);
}

test('dpkg: every pair of random versions ordered as Debian orders them (Dpkg::Version)', skipUnless(DPKG), () => agreesWithOracle('dpkg', DPKG.command));

test('rpm: every pair of random versions ordered as rpm orders them (librpm through python3-rpm)', skipUnless(RPM), () => agreesWithOracle('rpm', RPM.command));

test('pep440: every pair of random versions ordered as pip orders them (packaging.version)', skipUnless(PEP440), () => agreesWithOracle('pep440', PEP440.command));

test('rubygems: every pair of random versions ordered as RubyGems orders them (Gem::Version)', skipUnless(RUBYGEMS), () => agreesWithOracle('rubygems', RUBYGEMS.command));

/**
 * npm's own `semver` package (Debian's node-semver), strict or in its `loose` mode (which takes `=` and leading
 * zeros). Its compare and valid modules, not its index: that also loads ranges, which need lru-cache from
 * Debian's NODE_PATH (our Node has none).
 */
const NPM_SEMVER = '/usr/share/nodejs/semver/functions';
const npmSemver = (loose: boolean): string[] => [
  process.execPath,
  '-e',
  `const semver = { compare: require('${NPM_SEMVER}/compare.js'), valid: require('${NPM_SEMVER}/valid.js') };
   const lines = require('node:fs').readFileSync(0, 'utf8').split('\\n').filter((l) => l !== '');
   process.stdout.write(lines.map((l) => { const [a, b] = l.split(' '); return String(b === undefined ? semver.valid(a, ${loose}) !== null : semver.compare(a, b, ${loose})); }).join('\\n') + '\\n');`,
];
const SEMVER = { probe: [process.execPath, '-e', `require('${NPM_SEMVER}/compare.js')`], install: "npm's semver (apt-get install node-semver)", command: npmSemver(false) };

// npm compares pre-release numbers of 2^53 and more as floats (`1.0.0-99999999999999999999` = `1.0.0-99999999999999999998`);
// SemVer 2.0 and bosun compare them exactly, so the generator makes none.
test('semver: every pair of random versions ordered as npm orders them (node-semver)', skipUnless(SEMVER), () => agreesWithOracle('semver', SEMVER.command, { validates: true }));

// npm refuses a leading `=` and pre-release numbers with leading zeros (`1.0.0-01`; SemVer 2.0 §9 forbids them), bosun
// reads them. What bosun accepts must still be ordered as npm's loose mode orders it: OSV's SEMVER ranges also serve
// ecosystems (Hex, Pub, SwiftURL, Bitnami) that do not validate as npm does, and an SBOM may carry such a version.
test('semver: versions only bosun accepts ordered as npm loose mode orders them (node-semver)', skipUnless(SEMVER), () => {
  const ours = randomVersions('semver');
  const strict = ask(SEMVER.command, ours);
  const onlyOurs = ours.filter((_, i) => strict[i] !== 'true');
  assert.ok(onlyOurs.length > 10, `${onlyOurs.length} versions only bosun accepts`);
  agreesOnPairs('semver', npmSemver(true), onlyOurs.flatMap((a) => ours.filter((b) => a !== b).map((b): [string, string] => [a, b])));
});

const GO_SEMVER: GoTool = { name: 'go-semver', source: new URL('./go-semver/main.go', import.meta.url).pathname, packages: { 'golang-golang-x-mod-dev': 'golang.org/x/mod/semver' } };

// bosun reads a version without its `v` (OSV's Go records omit it) as the same version with it; Go release names
// (`go1.21`, for stdlib) are no module versions and are not generated. semver.Compare ignores +incompatible, as bosun does.
// Go refuses `-rc.01`, which bosun reads as rc.1; no module can carry it, so only versions Go accepts are paired.
test('go: every pair of random versions ordered as the go command orders them (golang.org/x/mod/semver)', { skip: goToolSkip(GO_SEMVER) ?? false }, () =>
  agreesWithOracle('go', [goToolBinary(GO_SEMVER)], { validates: true, theirs: (v) => (v.startsWith('v') ? v : `v${v}`) }));

/** Composer's own ordering (Debian's php-composer-semver): VersionParser::normalize, then Comparator, as Composer compares package versions. */
const COMPOSER_SEMVER = '/usr/share/php/Composer/Semver/autoload.php';
const PACKAGIST = {
  probe: ['php', '-r', `require '${COMPOSER_SEMVER}'; new Composer\\Semver\\VersionParser();`],
  install: "Composer's semver (apt-get install php-cli php-composer-semver)",
  command: [
    'php',
    '-r',
    `require '${COMPOSER_SEMVER}';
     use Composer\\Semver\\{Comparator, VersionParser};
     $parser = new VersionParser();
     $normal = function (string $v) use ($parser): ?string { try { return $parser->normalize($v); } catch (UnexpectedValueException $e) { return null; } };
     while (($line = fgets(STDIN)) !== false) {
       $f = explode(' ', trim($line));
       if (count($f) === 1) { echo $normal($f[0]) === null ? 'false' : 'true', "\\n"; continue; }
       [$a, $b] = [$normal($f[0]), $normal($f[1])];
       echo Comparator::lessThan($a, $b) ? -1 : (Comparator::equalTo($a, $b) ? 0 : 1), "\\n";
     }`,
  ],
};

test('packagist: every pair of random versions ordered as Composer orders them (composer/semver)', skipUnless(PACKAGIST), () => agreesWithOracle('packagist', PACKAGIST.command, { validates: true }));
