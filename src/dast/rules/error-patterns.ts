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

export const APPLICATION_ERRORS: ReadonlyArray<RegExp> = [
  /Traceback \(most recent call last\):/,
  /\bat (?:java|javax|org|com|sun)\.[\w$.]+\([\w$]+\.java:\d+\)/,
  /Exception in thread "[^"]*"/,
  /\b(?:java\.lang|javax\.servlet|org\.springframework)\.[\w.]*(?:Exception|Error)\b/,
  /Server Error in '[^']*' Application/,
  /Microsoft OLE DB Provider for (?:ODBC Drivers|SQL Server)/,
  /\[Microsoft\]\[ODBC [^\]]*Driver\]/,
  /ORA-\d{5}:/,
  /You have an error in your SQL syntax/,
  /(?:Fatal error|Parse error|Warning): .{1,200} on line <b>\d+<\/b>/,
  /\bat [\w.<>]+\([^)]*\) in [A-Za-z]:\\[^:]+:line \d+/,
  /\bSystem\.(?:NullReferenceException|InvalidOperationException|Data\.SqlClient\.SqlException)\b/,
  /\bSQLSTATE\[\w+\]/,
  /\bUncaught (?:TypeError|ReferenceError|Exception)\b/,
  /\n\s+at [\w.<>$]+ \((?:\/|file:\/\/|node:)[^)]+:\d+:\d+\)/,
];
