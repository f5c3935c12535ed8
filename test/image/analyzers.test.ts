/** Image analyzers for the ecosystems the real test images do not carry: Java, Rust, Ruby, PHP, .NET, rpm, apk. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { scanImage } from '../../src/image/scan.ts';
import { makeElfWithSection, makeTar, makeZip, writeLayout, type TarEntry } from './fixtures.ts';

const tmp = mkdtempSync(join(tmpdir(), 'bosun-analyzers-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
async function inventory(files: TarEntry[]) {
  const dir = join(tmp, `a${n++}`);
  writeLayout(dir, [makeTar(files)]);
  const r = await scanImage(`oci-layout:${dir}:t`, { config: false, scanners: [] });
  assert.deepEqual(r.errors, []);
  return r;
}
const LOCKFILES = join(import.meta.dirname, '../../../shared/testdata/lockfiles');

describe('language analyzers in images', () => {
  test('Java: pom.properties, MANIFEST.MF fallback, nested jars in a WAR', async () => {
    const lib = makeZip([{ name: 'META-INF/maven/org.slf4j/slf4j-api/pom.properties', body: 'groupId=org.slf4j\nartifactId=slf4j-api\nversion=2.0.9\n' }]);
    const bare = makeZip([{ name: 'META-INF/MANIFEST.MF', body: 'Manifest-Version: 1.0\r\nImplementation-Title: tiny\r\nImplementation-Version: 0.3\r\nBundle-License: Apache-2.0\r\n\r\nName: x\r\n' }]);
    const war = makeZip([
      { name: 'META-INF/maven/com.example/shop/pom.properties', body: 'version=1.4.0\ngroupId=com.example\nartifactId=shop\n' },
      { name: 'WEB-INF/lib/slf4j-api-2.0.9.jar', body: lib, store: true },
      { name: 'WEB-INF/lib/tiny-0.3.jar', body: bare },
    ]);
    const r = await inventory([{ name: 'opt/app/shop.war', body: war }, { name: 'opt/app/lib/log4j-core-2.14.1.jar', body: makeZip([{ name: 'README', body: 'x' }]) }]);
    assert.deepEqual(r.packages.map((p) => `${p.purl} ${p.path} ${p.licenses.join()}`), [
      'pkg:maven/com.example/shop@1.4.0 opt/app/shop.war ',
      'pkg:maven/log4j-core@2.14.1 opt/app/lib/log4j-core-2.14.1.jar ',
      'pkg:maven/org.slf4j/slf4j-api@2.0.9 opt/app/shop.war!/WEB-INF/lib/slf4j-api-2.0.9.jar ',
      'pkg:maven/tiny@0.3 opt/app/shop.war!/WEB-INF/lib/tiny-0.3.jar Apache-2.0',
    ]);
  });

  test('Rust: cargo-auditable .dep-v0 section', async () => {
    const audit = deflateSync(JSON.stringify({ packages: [{ name: 'app', version: '0.1.0', source: 'local', root: true, dependencies: [1] }, { name: 'serde', version: '1.0.193', source: 'crates.io', dependencies: [] }, { name: 'cc', version: '1.0.83', source: 'crates.io', kind: 'build' }] }));
    const r = await inventory([{ name: 'usr/local/bin/app', body: makeElfWithSection('.dep-v0', audit), mode: 0o755 }]);
    assert.deepEqual(r.packages.map((p) => `${p.purl} ${(p.dependsOn ?? []).join()}`), ['pkg:cargo/app@0.1.0 serde', 'pkg:cargo/serde@1.0.193 ']);
  });

  test('Ruby gemspecs, PHP installed.json, .NET deps.json', async () => {
    const r = await inventory([
      { name: 'usr/local/bundle/specifications/rack-3.0.8.gemspec', body: 'Gem::Specification.new do |s|\n  s.name = "rack"\n  s.licenses = ["MIT"]\nend\n' },
      { name: 'var/www/vendor/composer/installed.json', body: JSON.stringify({ packages: [{ name: 'monolog/monolog', version: 'v3.5.0', license: ['MIT'] }] }) },
      { name: 'app/Shop.deps.json', body: readFileSync(join(LOCKFILES, 'dotnet/deps-json/valid')) },
    ]);
    assert.deepEqual(r.packages.map((p) => `${p.purl} ${p.licenses.join()}`), [
      'pkg:composer/monolog/monolog@3.5.0 MIT',
      'pkg:gem/rack@3.0.8 MIT',
      'pkg:nuget/AWSSDK.Core@3.7.10.6 ',
      'pkg:nuget/Microsoft.Extensions.DependencyInjection@6.0.0 ',
      'pkg:nuget/TestLibrary@1.0.0 ',
    ]);
  });

  test('rpm (Berkeley DB, NDB, SQLite) and apk databases at their image paths, with source packages', async () => {
    const rpm = (p: string) => readFileSync(join(LOCKFILES, 'os/rpm', p));
    const bdb = await inventory([{ name: 'etc/os-release', body: 'ID="rhel"\nVERSION_ID="8.8"\n' }, { name: 'var/lib/rpm/Packages', body: rpm('bdb-libuuid/Packages') }]);
    assert.deepEqual(bdb.packages.map((p) => `${p.purl} ${p.source?.name}`), ['pkg:rpm/rhel/libuuid@2.32.1-42.el8_8?arch=x86_64&distro=rhel-8.8&upstream=util-linux util-linux']);
    const ndb = await inventory([{ name: 'usr/lib/sysimage/rpm/Packages.db', body: rpm('ndb-sle15-bci/Packages.db') }]);
    assert.equal(ndb.packages.length, 35);
    const sqlite = await inventory([{ name: 'var/lib/rpm/rpmdb.sqlite', body: rpm('sqlite-cbl-mariner-2.0/rpmdb.sqlite') }]);
    assert.equal(sqlite.packages.length, 129);
    const apk = await inventory([{ name: 'etc/os-release', body: 'ID=alpine\nVERSION_ID=3.18.4\n' }, { name: 'lib/apk/db/installed', body: readFileSync(join(LOCKFILES, 'os/apk/installed')) }]);
    assert.equal(apk.packages.length, 15);
    const musl = apk.packages.find((p) => p.name === 'musl')!;
    assert.deepEqual({ purl: musl.purl, source: musl.source?.name, licenses: musl.licenses }, { purl: `pkg:apk/alpine/musl@${musl.version}?arch=x86_64&distro=alpine-3.18.4`, source: 'musl', licenses: ['MIT'] });
  });
});
