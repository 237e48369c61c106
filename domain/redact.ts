const SENSITIVE_NAME = /authorization|cookie|secret|token|password|api[-_]?key/i;

/** Request headers as the attempt log shows them: credentials a user put in custom headers are masked. */
export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const shown: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) shown[name] = SENSITIVE_NAME.test(name) ? '[redacted]' : value;
  return shown;
}
