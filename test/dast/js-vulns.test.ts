/** Retire.js repositories: version order, every extractor bosun reads, and bad files named clearly. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BUILTIN_JS_VULNS } from '../../src/dast/js-vulns/builtin.ts';
import { compareVersions, compileRepository, detectLibraries, isVulnerable, loadRepositoryFile } from '../../src/dast/js-vulns/repository.ts';
import { scanUrl } from '../../src/dast/scan.ts';

test('versions compare as Retire.js compares them', () => {
  const ordered = ['1.0', '1.0.3', '1.2.0', '1.9.0b1', '1.9.0', '1.12.0', '3.0.0-beta1', '3.0.0', '3.0.1', '3.10.0', '4.17.21'];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = 0; j < ordered.length; j++) assert.equal(Math.sign(compareVersions(ordered[i]!, ordered[j]!)), Math.sign(i - j), `${ordered[i]} vs ${ordered[j]}`);
  }
  assert.equal(isVulnerable('1.12.2', { atOrAbove: '1.12.3', below: '3.0.0-beta1' }), false);
  assert.equal(isVulnerable('2.2.4', { atOrAbove: '1.12.3', below: '3.0.0-beta1' }), true);
  assert.equal(isVulnerable('3.0.0', { atOrAbove: '1.12.3', below: '3.0.0-beta1' }), false);
});

test('every extractor kind: uri, filename, filecontent, filecontentreplace, hashes', () => {
  const body = 'var lib="2.1.0";window.Lib=lib;';
  const sha1 = createHash('sha1').update('exact file').digest('hex');
  const repo = compileRepository({
    'retire-example': { vulnerabilities: [{ below: '9' }], extractors: { filename: ['(§§version§§)'] } },
    lib: {
      vulnerabilities: [{ below: '3.0.0', severity: 'high', identifiers: { CVE: ['CVE-0000-0001'] } }],
      extractors: {
        uri: ['/lib/(§§version§§)/lib\\.js'],
        filename: ['lib-(§§version§§)(\\.min)?\\.js'],
        filecontent: ['/\\*! Lib v(§§version§§)'],
        filecontentreplace: ['/var lib="(§§version§§)";window\\.Lib/$1/'],
        hashes: { [sha1]: '1.0.0' },
      },
    },
  }, 'test repo', new Date());
  const found = (url: string, text?: string): string[] => detectLibraries(repo, new URL(url), text).map((d) => `${d.library} ${d.version} ${d.vulnerabilities.length}`);
  assert.deepEqual(found('https://cdn.example/lib/2.0.0/lib.js'), ['lib 2.0.0 1']);
  assert.deepEqual(found('https://a.example/js/lib-3.1.0.min.js'), ['lib 3.1.0 0']);
  assert.deepEqual(found('https://a.example/bundle.js', '/*! Lib v2.5.0 */'), ['lib 2.5.0 1']);
  assert.deepEqual(found('https://a.example/bundle.js', body), ['lib 2.1.0 1']);
  assert.deepEqual(found('https://a.example/bundle.js', 'exact file'), ['lib 1.0.0 1']);
  assert.deepEqual(found('https://a.example/other.js', 'nothing'), []);
});

test('the built-in data compiles and recognises each of its libraries by banner', () => {
  const repo = compileRepository(BUILTIN_JS_VULNS, 'built-in', new Date());
  const banners: Array<[string, string]> = [
    ['jquery', '/*! jQuery v1.12.4 | (c) jQuery Foundation'],
    ['jquery-ui', '/*! jQuery UI - v1.11.4 - 2015-03-11'],
    ['bootstrap', '/*!\n * Bootstrap v3.3.7 (http://getbootstrap.com)'],
    ['angularjs', '/**\n * @license AngularJS v1.5.8\n'],
    ['lodash', "/**\n * @license\n * Lodash <https://lodash.com/>\n */\n;(function() {\n  var undefined;\n  var VERSION = '4.17.4';"],
    ['moment', '//! moment.js\n//! version : 2.18.1\n'],
    ['handlebars', '/*!\n\n handlebars v4.0.11\n\n'],
    ['underscore', '//     Underscore.js 1.8.3\n'],
    ['DOMPurify', '/*! @license DOMPurify 2.0.8 | (c) Cure53'],
  ];
  for (const [library, banner] of banners) {
    const d = detectLibraries(repo, new URL('https://a.example/vendor.js'), banner);
    assert.equal(d.length, 1, library);
    assert.equal(d[0]!.library, library);
    assert.ok(d[0]!.vulnerabilities.length > 0, `${library} ${d[0]!.version} has known vulnerabilities`);
  }
});

test('a bad --js-vulns file is an input error naming the file, before anything is requested', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bosun-jsvulns-'));
  const cases: Array<[string, string, RegExp]> = [
    ['not-json.json', '{', /not-json\.json: not JSON/],
    ['array.json', '[]', /array\.json: not a Retire\.js repository/],
    ['no-below.json', '{"x": {"vulnerabilities": [{"severity": "high"}]}}', /no-below\.json: x: every vulnerability needs "below"/],
    ['bad-regex.json', '{"x": {"extractors": {"filename": ["(§§version§§"]}}}', /bad-regex\.json: x: extractors\.filename: invalid pattern/],
    ['bad-replace.json', '{"x": {"extractors": {"filecontentreplace": ["nope"]}}}', /bad-replace\.json: x: extractors\.filecontentreplace "nope"/],
    ['replace-not-list.json', '{"x": {"extractors": {"filecontentreplace": "/a/b/"}}}', /replace-not-list\.json: x: extractors\.filecontentreplace must be a list/],
    ['pattern-not-string.json', '{"x": {"extractors": {"uri": [{"a": 1}]}}}', /pattern-not-string\.json: x: extractors\.uri must be a list of pattern strings/],
    ['hashes-string.json', '{"x": {"extractors": {"hashes": "abc"}}}', /hashes-string\.json: x: extractors\.hashes must map hashes to version strings/],
    ['extractors-list.json', '{"x": {"extractors": []}}', /extractors-list\.json: x: extractors must be an object/],
  ];
  for (const [name, text, message] of cases) {
    const file = join(dir, name);
    await writeFile(file, text);
    assert.throws(() => loadRepositoryFile(file), (err: Error & { code?: string }) => err.code === 'E_CONFIG' && message.test(err.message));
  }
  await assert.rejects(scanUrl('http://127.0.0.1:9/', { config: false, jsVulns: join(dir, 'missing.json') }), /missing\.json: cannot read the JS vulnerability repository: ENOENT/);
});
