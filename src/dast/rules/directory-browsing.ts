/**
 * ZAP 10033 Directory Browsing (Medium): the response is a server-generated directory listing
 * (Apache/nginx "Index of /", IIS "[To Parent Directory]", Tomcat "Directory Listing For"),
 * exposing files never meant to be linked. Reads: response body.
 */
import { isHtml } from '../message.ts';
import { defineRule } from '../rule.ts';

const LISTING = /<title>Index of \/[^<]*<\/title>|<h1>Index of \/|\[To Parent Directory\]|<title>Directory Listing For [^<]*<\/title>|<h1>Directory Listing For /i;

export const directoryBrowsing = defineRule({
  id: 'DAST-DIRECTORY-BROWSING',
  zapId: 10033,
  title: 'Directory Browsing',
  severity: 'medium',
  description: 'It is possible to view the directory listing, which can reveal scripts, include files, backups and source files.',
  remediation: 'Disable directory listings (nginx: autoindex off; Apache: Options -Indexes).',
  fields: ['response body'],
  applies: { types: ['html'] },
  scan(msg) {
    if (!isHtml(msg)) return [];
    const m = LISTING.exec(msg.response.body);
    return m === null ? [] : [{ evidence: m[0] }];
  },
});
