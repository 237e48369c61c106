import { z } from 'zod';
import { eventSchemaFaults, type JsonSchema } from '../../domain/event-schema';
import { eventTypeName, listQuery } from './common';

/** Groups are named like event types: `design` for `design.exported`. */
const groupName = eventTypeName;

/** A JSON Schema for `data`, refused at `schema.<path>` when ajv cannot use it. */
const dataSchema = z.unknown().superRefine((schema, ctx) => {
  for (const fault of eventSchemaFaults(schema)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: fault.path ? [fault.path] : [], message: fault.message });
  }
}).transform((schema) => schema as JsonSchema);

/** The group a name implies when none is given: `design` for `design.exported`. */
export const impliedGroup = (name: string): string | null => (name.includes('.') ? name.slice(0, name.indexOf('.')) : null);

export const createEventTypeSchema = z
  .object({
    name: eventTypeName,
    description: z.string().max(1000).default(''),
    group: groupName.nullable().optional(),
    schema: dataSchema.nullable().default(null),
    deprecated: z.boolean().default(false),
  })
  .strict();

export const patchEventTypeSchema = z
  .object({
    description: z.string().max(1000).optional(),
    group: groupName.nullable().optional(),
    schema: dataSchema.nullable().optional(),
    deprecated: z.boolean().optional(),
  })
  .strict();

export const listEventTypesQuery = listQuery.extend({ group: groupName.optional() });
