/**
 * Cleaning of user-controlled text (resource names, messages quoting field values, file names)
 * before it reaches a terminal, a Markdown renderer or an XML parser.
 */

// ECMA-48: CSI (ESC [ or 0x9B) params/intermediates/final; OSC/DCS/SOS/PM/APC strings ended by BEL or ST; other 2-byte ESC sequences.
const ANSI_SEQUENCE = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|\u001b[\]PX^_][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-Z\\-_]/g;
// C0 and C1 controls, DEL, and bidirectional overrides/isolates ("Trojan Source") that reorder what a reader sees.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAK = /\r\n|[\r\n\t\u2028\u2029]/g;
// Characters XML 1.0 forbids (§2.2 Char), including lone surrogates.
const XML_INVALID = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]|[\ud800-\udfff]/gu;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_SEQUENCE, '');
}

/** One safe line: escape sequences removed, line breaks and tabs become spaces, other controls dropped. */
export function singleLine(text: string): string {
  return stripAnsi(text).replace(LINE_BREAK, ' ').replace(CONTROL, '');
}

/** Text an XML 1.0 parser accepts: escape sequences removed, forbidden characters replaced by U+FFFD. */
export function xmlSafe(text: string): string {
  return stripAnsi(text).replace(XML_INVALID, '\ufffd');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
