// Registers Herald's custom search attributes (workflows/search-attributes.ts) on a namespace.
// The dev server gets them as start-up flags; a long-lived server (Temporal on PostgreSQL, or a
// dev database file from an older Herald) gets them through ensureSearchAttributes, which the
// worker calls at start.
import type { SearchAttributeType } from '@temporalio/common';
// Internal to the SDK but exported for exactly this use (registering attributes); it maps our
// string type names onto the protobuf enum the OperatorService expects.
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import type { OperatorService } from '@temporalio/client';
import { SEARCH_ATTRIBUTE_KEYS } from '../workflows/search-attributes';

// gRPC status ALREADY_EXISTS: another worker registered the same attribute between our list and add.
const GRPC_ALREADY_EXISTS = 6;

/**
 * Registers any of Herald's search attributes missing from `namespace`; returns the names added.
 * Takes anything with an operatorService so both the client Connection and the worker's
 * NativeConnection can be passed.
 */
export async function ensureSearchAttributes(
  connection: { operatorService: OperatorService },
  namespace: string,
): Promise<string[]> {
  const missing = await findMissing(connection.operatorService, namespace);
  if (missing.length === 0) return [];

  const searchAttributes: Record<string, number> = {};
  for (const key of missing) searchAttributes[key.name] = indexedValueType(key.type);
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (err) {
    // Several workers start at once in production; losing that race is fine once all exist.
    if ((err as { code?: unknown }).code !== GRPC_ALREADY_EXISTS) throw err;
    if ((await findMissing(connection.operatorService, namespace)).length > 0) throw err;
  }
  return missing.map((key) => key.name);
}

async function findMissing(operatorService: OperatorService, namespace: string) {
  const { customAttributes } = await operatorService.listSearchAttributes({ namespace });
  return SEARCH_ATTRIBUTE_KEYS.filter((key) => {
    const existing = customAttributes[key.name];
    if (existing === undefined) return true;
    // Same name, other type (e.g. registered by hand as Text): queries would silently misbehave.
    if (existing !== indexedValueType(key.type)) {
      throw new Error(`Search attribute ${key.name} exists in namespace ${namespace} with the wrong type`);
    }
    return false;
  });
}

function indexedValueType(type: SearchAttributeType): number {
  const encoded = encodeSearchAttributeIndexedValueType(type);
  if (encoded === undefined) throw new Error(`No indexed value type for search attribute type ${type}`);
  return encoded;
}
