/**
 * ZAP 10041 HTTP to HTTPS Insecure Transition in Form Post (Medium): the form is on an http://
 * page, so an attacker can rewrite it before the user submits to the https:// target.
 * Reads: <form action>, the page URL.
 */
import { isHttps } from '../message.ts';
import { defineRule } from '../rule.ts';
import { formsTo } from './common.ts';

export const httpToHttpsForm = defineRule({
  id: 'DAST-HTTP-TO-HTTPS-FORM',
  zapId: 10041,
  title: 'HTTP to HTTPS Insecure Transition in Form Post',
  severity: 'medium',
  description: 'The page is served over HTTP but its form posts to HTTPS: the form itself can be tampered with before it is submitted.',
  remediation: 'Serve the page holding the form over HTTPS too.',
  fields: ['<form action>'],
  applies: { types: ['html'], scheme: 'http' },
  scan: (msg) => (isHttps(msg) ? [] : formsTo(msg, 'https:')),
});
