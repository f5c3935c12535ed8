/**
 * ZAP 10099 Source Code Disclosure - PHP (Medium): PHP source (`<?php` … or `<?=`) served
 * instead of executed, revealing logic and often credentials. Reads: response body.
 */
import { isImage } from '../message.ts';
import { defineRule } from '../rule.ts';

const PHP = /<\?(?:php\b|=)[\s\S]{0,200}?(?:\?>|;)/;

export const phpSource = defineRule({
  id: 'DAST-SOURCE-CODE-DISCLOSURE-PHP',
  zapId: 10099,
  title: 'Source Code Disclosure - PHP',
  severity: 'medium',
  description: 'Application source code (PHP) was disclosed by the web server instead of being executed.',
  remediation: 'Make sure PHP files are only ever executed, never served as text (handler configuration, no source backups under the web root).',
  fields: ['response body'],
  applies: { types: ['html', 'js', 'css', 'json', 'other'] },
  scan(msg) {
    if (isImage(msg)) return [];
    const body = msg.response.body;
    // Every match starts with `<?`: a cheap look first.
    const m = body.includes('<?') ? PHP.exec(body) : null;
    return m === null ? [] : [{ evidence: m[0].slice(0, 200) }];
  },
});
