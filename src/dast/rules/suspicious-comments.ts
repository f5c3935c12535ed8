/**
 * ZAP 10027 Information Disclosure - Suspicious Comments (Informational): a comment in HTML or
 * JavaScript containing a word that often marks leftovers (TODO, FIXME, password notes, SQL
 * fragments, admin hints). JavaScript comments are read from script responses and inline
 * <script> elements. Reads: HTML comments, JavaScript comments.
 */
import { htmlOf, isJavaScript } from '../message.ts';
import { defineRule } from '../rule.ts';
import { wordPattern } from './common.ts';

/** ZAP's default word list. */
export const SUSPICIOUS_WORDS = ['TODO', 'FIXME', 'BUG', 'BUGS', 'XXX', 'QUERY', 'DB', 'ADMIN', 'ADMINISTRATOR', 'USER', 'USERNAME', 'SELECT', 'WHERE', 'FROM', 'LATER', 'DEBUG'];
const WORD = wordPattern(SUSPICIOUS_WORDS);
const JS_COMMENT = /\/\*[\s\S]*?\*\/|(?<![:"'\\])\/\/[^\n]*/g;

export const suspiciousComments = defineRule({
  id: 'DAST-SUSPICIOUS-COMMENTS',
  zapId: 10027,
  title: 'Information Disclosure - Suspicious Comments',
  severity: 'info',
  description: 'The response contains comments that may help an attacker: notes about bugs, credentials, queries or administrative functions.',
  remediation: 'Remove comments with internal notes before deployment (minify and strip comments in the build).',
  fields: ['HTML comments', 'JavaScript comments'],
  scan(msg) {
    const comments: string[] = [];
    const doc = htmlOf(msg);
    if (doc !== undefined) {
      comments.push(...doc.comments);
      for (const s of doc.scripts) comments.push(...jsComments(s));
    } else if (isJavaScript(msg)) comments.push(...jsComments(msg.response.body));
    for (const c of comments) {
      const m = WORD.exec(c);
      if (m !== null) return [{ evidence: m[0], detail: `comment: ${c.trim().slice(0, 120)}` }];
    }
    return [];
  },
});

function jsComments(code: string): string[] {
  return [...code.matchAll(JS_COMMENT)].map((m) => m[0]);
}
