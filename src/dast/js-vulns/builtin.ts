/**
 * bosun's own small Retire.js repository: well-known JavaScript libraries, how to recognise their
 * version in a URL, a file name or a file's banner, and the published vulnerabilities with the
 * versions that fixed them (facts from the libraries' advisories and the CVE records). It is in
 * Retire.js's `jsrepository.json` format, so `--js-vulns FILE` can replace it with the full
 * Retire.js repository (https://github.com/RetireJS/retire.js, `repository/jsrepository.json`).
 * `§§version§§` stands for a version (`[0-9][0-9.a-z_\-]+`), as in Retire.js.
 *
 * UPDATED is when these facts were last reviewed; rule 10116 reports data older than 180 days.
 */
import type { JsRepository } from './repository.ts';

export const BUILTIN_JS_VULNS_UPDATED = '2026-11-29';

const V = '§§version§§';

export const BUILTIN_JS_VULNS: JsRepository = {
  jquery: {
    npmname: 'jquery',
    extractors: {
      uri: [`/(${V})/jquery(\\.min)?\\.js`],
      filename: [`jquery-(${V})(\\.min|\\.slim|\\.slim\\.min)?\\.js`],
      filecontent: [`/\\*!? jQuery v(${V})`, `\\* jQuery JavaScript Library v(${V})`],
    },
    vulnerabilities: [
      { below: '1.6.3', severity: 'medium', identifiers: { summary: 'XSS with location.hash', CVE: ['CVE-2011-4969'] } },
      { below: '1.9.0b1', severity: 'medium', identifiers: { summary: 'Selector interpreted as HTML', CVE: ['CVE-2012-6708'] } },
      { atOrAbove: '1.4.0', below: '1.12.0', severity: 'medium', identifiers: { summary: '3rd party CORS request may execute', CVE: ['CVE-2015-9251'] } },
      { atOrAbove: '1.12.3', below: '3.0.0-beta1', severity: 'medium', identifiers: { summary: '3rd party CORS request may execute', CVE: ['CVE-2015-9251'] } },
      { below: '3.4.0', severity: 'low', identifiers: { summary: 'jQuery.extend(true, …) prototype pollution', CVE: ['CVE-2019-11358'] } },
      { atOrAbove: '1.2.0', below: '3.5.0', severity: 'medium', identifiers: { summary: 'Regex in jQuery.htmlPrefilter may introduce XSS', CVE: ['CVE-2020-11022'] } },
      { atOrAbove: '1.0.3', below: '3.5.0', severity: 'medium', identifiers: { summary: '<option> elements passed to DOM manipulation methods may execute code', CVE: ['CVE-2020-11023'] } },
    ],
  },
  'jquery-ui': {
    npmname: 'jquery-ui',
    extractors: {
      uri: [`/(${V})/jquery-ui(\\.min)?\\.js`],
      filename: [`jquery-ui-(${V})(\\.custom)?(\\.min)?\\.js`],
      filecontent: [`/\\*!? jQuery UI - v(${V})`],
    },
    vulnerabilities: [
      { below: '1.10.0', severity: 'medium', identifiers: { summary: 'XSS in the dialog title option', CVE: ['CVE-2010-5312'] } },
      { below: '1.12.0', severity: 'medium', identifiers: { summary: 'XSS in the dialog closeText option', CVE: ['CVE-2016-7103'] } },
      { below: '1.13.0', severity: 'medium', identifiers: { summary: 'XSS in datepicker altField, *Text options and .position() of', CVE: ['CVE-2021-41182', 'CVE-2021-41183', 'CVE-2021-41184'] } },
      { below: '1.13.2', severity: 'medium', identifiers: { summary: 'XSS when refreshing a checkboxradio with an HTML label', CVE: ['CVE-2022-31160'] } },
    ],
  },
  bootstrap: {
    npmname: 'bootstrap',
    extractors: {
      uri: [`/(${V})/(?:js/)?bootstrap(\\.bundle)?(\\.min)?\\.js`],
      filename: [`bootstrap-(${V})(\\.min)?\\.js`],
      filecontent: [`/\\*!? Bootstrap v(${V})`, `\\* Bootstrap v(${V})`],
    },
    vulnerabilities: [
      { below: '3.4.0', severity: 'medium', identifiers: { summary: 'XSS in data-parent, data-target and data-container', CVE: ['CVE-2018-14040', 'CVE-2018-14041', 'CVE-2018-14042'] } },
      { atOrAbove: '4.0.0', below: '4.1.2', severity: 'medium', identifiers: { summary: 'XSS in data-parent, data-target and data-container', CVE: ['CVE-2018-14040', 'CVE-2018-14041', 'CVE-2018-14042'] } },
      { below: '3.4.1', severity: 'medium', identifiers: { summary: 'XSS in the tooltip or popover data-template attribute', CVE: ['CVE-2019-8331'] } },
      { atOrAbove: '4.0.0', below: '4.3.1', severity: 'medium', identifiers: { summary: 'XSS in the tooltip or popover data-template attribute', CVE: ['CVE-2019-8331'] } },
    ],
  },
  angularjs: {
    npmname: 'angular',
    extractors: {
      uri: [`/(${V})/angular(\\.min)?\\.js`],
      filename: [`angular(?:js)?-(${V})(\\.min)?\\.js`],
      filecontent: [`/\\*[*\\s]+(?:@license )?AngularJS v(${V})`],
    },
    vulnerabilities: [
      { below: '1.7.9', severity: 'high', identifiers: { summary: 'Prototype pollution in angular.merge', CVE: ['CVE-2019-10768'] } },
      { below: '1.8.0', severity: 'medium', identifiers: { summary: 'XSS through regex-based input HTML replacement', CVE: ['CVE-2020-7676'] } },
      { below: '1.999', severity: 'low', identifiers: { summary: 'AngularJS is end-of-life: XSS via <textarea> interpolation in Internet Explorer, never fixed', CVE: ['CVE-2022-25869'] } },
      { atOrAbove: '1.2.21', below: '1.999', severity: 'medium', identifiers: { summary: 'AngularJS is end-of-life: ReDoS in angular.copy, never fixed', CVE: ['CVE-2023-26116'] } },
    ],
  },
  lodash: {
    npmname: 'lodash',
    extractors: {
      filename: [`lodash-(${V})(\\.min)?\\.js`],
      uri: [`/(${V})/lodash(\\.min)?\\.js`],
      filecontent: [`Lodash <https://lodash\\.com/>[\\s\\S]{0,2000}?var VERSION = '(${V})'`],
    },
    vulnerabilities: [
      { below: '4.17.5', severity: 'medium', identifiers: { summary: 'Prototype pollution in merge, mergeWith and defaultsDeep', CVE: ['CVE-2018-3721'] } },
      { below: '4.17.11', severity: 'medium', identifiers: { summary: 'Prototype pollution in merge, mergeWith and defaultsDeep', CVE: ['CVE-2018-16487'] } },
      { below: '4.17.12', severity: 'high', identifiers: { summary: 'Prototype pollution in defaultsDeep', CVE: ['CVE-2019-10744'] } },
      { below: '4.17.19', severity: 'high', identifiers: { summary: 'Prototype pollution in zipObjectDeep', CVE: ['CVE-2020-8203'] } },
      { below: '4.17.21', severity: 'high', identifiers: { summary: 'Command injection through template; ReDoS in toNumber, trim and trimEnd', CVE: ['CVE-2021-23337', 'CVE-2020-28500'] } },
    ],
  },
  moment: {
    npmname: 'moment',
    extractors: {
      filename: [`moment(?:-|\\.)(${V})(\\.min)?\\.js`],
      uri: [`/(${V})/moment(\\.min)?\\.js`],
      filecontent: [`//! moment\\.js\\s+//! version : (${V})`],
    },
    vulnerabilities: [
      { below: '2.11.2', severity: 'medium', identifiers: { summary: 'ReDoS in duration parsing', CVE: ['CVE-2016-4055'] } },
      { below: '2.19.3', severity: 'high', identifiers: { summary: 'ReDoS in date string parsing', CVE: ['CVE-2017-18214'] } },
      { below: '2.29.2', severity: 'high', identifiers: { summary: 'Path traversal in moment.locale (server-side use)', CVE: ['CVE-2022-24785'] } },
      { atOrAbove: '2.18.0', below: '2.29.4', severity: 'high', identifiers: { summary: 'ReDoS in RFC 2822 date parsing', CVE: ['CVE-2022-31129'] } },
    ],
  },
  handlebars: {
    npmname: 'handlebars',
    extractors: {
      filename: [`handlebars(?:js)?-(?:v)?(${V})(\\.min)?\\.js`],
      uri: [`/(${V})/handlebars(\\.min)?\\.js`],
      filecontent: [`/\\*!?\\s+handlebars v(${V})`],
    },
    vulnerabilities: [
      { below: '4.3.0', severity: 'high', identifiers: { summary: 'Prototype pollution leading to remote code execution', CVE: ['CVE-2019-19919'] } },
      { below: '4.7.7', severity: 'high', identifiers: { summary: 'Remote code execution when compiling untrusted templates; prototype pollution', CVE: ['CVE-2021-23369', 'CVE-2021-23383'] } },
    ],
  },
  underscore: {
    npmname: 'underscore',
    extractors: {
      filename: [`underscore-(${V})(\\.min)?\\.js`],
      uri: [`/(${V})/underscore(-min|\\.min)?\\.js`],
      filecontent: [`//\\s+Underscore\\.js (${V})`],
    },
    vulnerabilities: [
      { atOrAbove: '1.3.2', below: '1.12.1', severity: 'high', identifiers: { summary: 'Arbitrary code execution through _.template', CVE: ['CVE-2021-23358'] } },
    ],
  },
  DOMPurify: {
    npmname: 'dompurify',
    extractors: {
      filename: [`purify-(${V})(\\.min)?\\.js`],
      uri: [`/(${V})/purify(\\.min)?\\.js`],
      filecontent: [`/\\*! @license DOMPurify (${V})`],
    },
    vulnerabilities: [
      { below: '2.0.17', severity: 'medium', identifiers: { summary: 'Mutation XSS', CVE: ['CVE-2020-26870'] } },
      { below: '2.5.4', severity: 'high', identifiers: { summary: 'Deep nesting bypasses sanitisation (prototype pollution, mXSS)', CVE: ['CVE-2024-45801'] } },
      { atOrAbove: '3.0.0', below: '3.1.3', severity: 'high', identifiers: { summary: 'Deep nesting bypasses sanitisation (prototype pollution, mXSS)', CVE: ['CVE-2024-45801'] } },
    ],
  },
};
