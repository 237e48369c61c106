// Receivers send back whatever they like. PostgreSQL refuses U+0000 in text and jsonb, and jsonb
// refuses lone UTF-16 surrogates; a response holding either must still be logged, not fail the
// attempt (and with it the delivery).

// eslint-disable-next-line no-control-regex -- matching U+0000 is the point
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The text with every character PostgreSQL cannot keep replaced by U+FFFD. */
export const storableText = (text: string): string => text.replace(UNSTORABLE, '\ufffd');

/** Header names and values made storable the same way. */
export function storableHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [storableText(name), storableText(value)]));
}
