/**
 * Known error-page fragments, as data. Debug messages (ZAP 10023) are what frameworks print when
 * debugging is on; application errors (ZAP 90022) are stack traces and driver errors that
 * reveal the implementation.
 */
export const DEBUG_ERROR_MESSAGES: readonly string[] = [
  'Error Occurred While Processing Request',
  'Internal Server Error',
  'Error Diagnostic Information',
  'Warning: Cannot modify header information - headers already sent',
  'The script whose uid is',
  'PHP Warning',
  'PHP Error',
  'PHP Notice',
  'Unexpected end of command in statement',
  'Invalid Parameter Number',
  'Microsoft VBScript runtime error',
  'Syntax error in string in query expression',
  'Line Number:',
  'Exception Details:',
  'Stack Trace:',
  'DEBUG = True',
  'You\'re seeing this error because you have <code>DEBUG = True</code>',
  'Whoops! There was an error.',
];

/** A Node.js stack frame: `    at fn (/app/x.js:1:2)`. */
const NODE_FRAME = /\n {4}at [\w.<>$]+ \((?:\/|file:\/\/|node:)[^)]+:\d+:\d+\)/;

/**
 * Each pattern with a literal its match always contains, so most bodies are ruled out by
 * `includes`. The literals start with a character that is rare in ordinary pages: string search
 * looks for the first character, so a literal starting with a space or a common letter costs
 * ten times more per page.
 */
export const APPLICATION_ERRORS: ReadonlyArray<readonly [string, RegExp]> = [
  ['Traceback (most recent call last):', /Traceback \(most recent call last\):/],
  ['java:', /\bat (?:java|javax|org|com|sun)\.[\w$.]+\([\w$]+\.java:\d+\)/],
  ['Exception in thread', /Exception in thread "[^"]*"/],
  ['java.lang.', /\bjava\.lang\.[\w.]*(?:Exception|Error)\b/],
  ['javax.servlet.', /\bjavax\.servlet\.[\w.]*(?:Exception|Error)\b/],
  ['framework.', /\borg\.springframework\.[\w.]*(?:Exception|Error)\b/],
  ['Server Error in', /Server Error in '[^']*' Application/],
  ['Microsoft OLE DB Provider for', /Microsoft OLE DB Provider for (?:ODBC Drivers|SQL Server)/],
  ['[Microsoft][ODBC', /\[Microsoft\]\[ODBC [^\]]*Driver\]/],
  ['ORA-', /ORA-\d{5}:/],
  ['You have an error in your SQL syntax', /You have an error in your SQL syntax/],
  ['Fatal error: ', /Fatal error: .{1,200} on line <b>\d+<\/b>/],
  ['Parse error: ', /Parse error: .{1,200} on line <b>\d+<\/b>/],
  ['Warning: ', /Warning: .{1,200} on line <b>\d+<\/b>/],
  [') in ', /\bat [\w.<>]+\([^)]*\) in [A-Za-z]:\\[^:]+:line \d+/],
  ['System.', /\bSystem\.(?:NullReferenceException|InvalidOperationException|Data\.SqlClient\.SqlException)\b/],
  ['SQLSTATE[', /\bSQLSTATE\[\w+\]/],
  ['Uncaught ', /\bUncaught (?:TypeError|ReferenceError|Exception)\b/],
  ['(/', NODE_FRAME],
  ['(file://', NODE_FRAME],
  ['(node:', NODE_FRAME],
];
