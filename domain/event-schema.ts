import Ajv, { type CodeOptions, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { compileSafeRegex } from './safe-regex';

/**
 * The optional JSON Schema (draft-07, with ajv-formats' formats) of an event type's `data`
 * (README, "API"). Patterns run on RE2 like every other tenant-facing regex: publishing must not stall
 * on a catastrophic pattern. Faults carry dotted paths (`data.build.status`).
 */
export type JsonSchema = Record<string, unknown>;
export interface SchemaFault {
  path: string;
  message: string;
}

// Schemas are written by admins, so their patterns may be longer than a filter's.
const MAX_SCHEMA_PATTERN = 4096;
const MAX_FAULTS = 20;

const re2Engine: NonNullable<CodeOptions['regExp']> = Object.assign(
  (pattern: string) => {
    const compiled = compileSafeRegex(pattern, '', MAX_SCHEMA_PATTERN);
    if (!compiled.ok) throw new Error(`pattern ${JSON.stringify(pattern)} ${compiled.message}`);
    return { test: (s: string) => compiled.regex.test(s) };
  },
  { code: 're2js' },
);

// Unknown keywords (annotations such as "example") are tolerated; unknown formats are refused at save.
const ajv = new Ajv({ allErrors: true, strict: false, logger: false, code: { regExp: re2Engine } });
addFormats(ajv);

/** Compiles without keeping the schema in ajv: an old and a patched schema may share a `$id`. */
function compile(schema: JsonSchema): ValidateFunction {
  try {
    return ajv.compile(schema);
  } finally {
    ajv.removeSchema(schema);
  }
}

const DRAFT_07 = ['http://json-schema.org/draft-07/schema#', 'http://json-schema.org/draft-07/schema', 'https://json-schema.org/draft-07/schema#', 'https://json-schema.org/draft-07/schema'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const dotted = (pointer: string): string[] => (pointer ? pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')) : []);

/** Faults of a schema given at save time, at paths inside it (`properties.status.type`). */
export function eventSchemaFaults(schema: unknown): SchemaFault[] {
  if (!isObject(schema)) return [{ path: '', message: 'must be a JSON Schema object' }];
  if (schema.$schema !== undefined && !DRAFT_07.includes(schema.$schema as string)) return [{ path: '$schema', message: `must be absent or ${DRAFT_07[0]} (draft-07)` }];
  if (!ajv.validateSchema(schema)) {
    const byPath = new Map<string, string>();
    for (const e of ajv.errors ?? []) {
      const path = dotted(e.instancePath).join('.');
      if (!byPath.has(path)) byPath.set(path, e.message ?? 'is not valid');
    }
    return [...byPath].slice(0, MAX_FAULTS).map(([path, message]) => ({ path, message }));
  }
  const keywordFaults = findBadKeywords(schema, []);
  if (keywordFaults.length > 0) return keywordFaults.slice(0, MAX_FAULTS);
  try {
    compile(schema);
    return [];
  } catch (err) {
    return [{ path: '', message: (err as Error).message }];
  }
}

// Their values are data, not schemas: a "pattern" inside them is not a regex.
const LITERAL_KEYWORDS = ['const', 'enum', 'default', 'examples'];

/** Patterns RE2 refuses and unknown formats, found before ajv compiles so the path can be named. */
function findBadKeywords(node: unknown, path: string[]): SchemaFault[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => findBadKeywords(v, [...path, String(i)]));
  if (!isObject(node)) return [];
  const faults: SchemaFault[] = [];
  const check = (pattern: string, at: string[]) => {
    const compiled = compileSafeRegex(pattern, '', MAX_SCHEMA_PATTERN);
    if (!compiled.ok) faults.push({ path: at.join('.'), message: compiled.message });
  };
  if (typeof node.pattern === 'string') check(node.pattern, [...path, 'pattern']);
  if (isObject(node.patternProperties)) for (const key of Object.keys(node.patternProperties)) check(key, [...path, 'patternProperties', key]);
  if (typeof node.format === 'string' && !ajv.formats[node.format]) faults.push({ path: [...path, 'format'].join('.'), message: `is not a known format (${Object.keys(ajv.formats).slice(0, 8).join(', ')}, …)` });
  for (const [key, value] of Object.entries(node)) if (!LITERAL_KEYWORDS.includes(key)) faults.push(...findBadKeywords(value, [...path, key]));
  return faults;
}

// Event types are few; the bound keeps a stream of schema edits from growing memory.
const MAX_CACHED = 500;
const validators = new Map<string, ValidateFunction>();

function validatorFor(schema: JsonSchema): ValidateFunction {
  const key = JSON.stringify(schema);
  let validate = validators.get(key);
  if (!validate) {
    validate = compile(schema);
    if (validators.size >= MAX_CACHED) validators.delete(validators.keys().next().value!);
    validators.set(key, validate);
  }
  return validate;
}

function toFault(e: ErrorObject): SchemaFault {
  const path = ['data', ...dotted(e.instancePath)];
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'required' || e.keyword === 'dependencies' || e.keyword === 'dependentRequired') return { path: [...path, String(p.missingProperty)].join('.'), message: 'is required' };
  if (e.keyword === 'additionalProperties') return { path: [...path, String(p.additionalProperty)].join('.'), message: 'is not allowed' };
  return { path: path.join('.'), message: e.message ?? 'is not valid' };
}

/**
 * Faults of an event's `data` against its type's schema (none when the type is not in the catalog
 * or has no schema). The caller answers 422 with them; the schema was checked when it was saved.
 */
export function validateEventData(eventType: { schema: JsonSchema | null } | undefined, data: unknown): SchemaFault[] {
  if (!eventType?.schema) return [];
  const validate = validatorFor(eventType.schema);
  if (validate(data)) return [];
  return (validate.errors ?? []).slice(0, MAX_FAULTS).map(toFault);
}
