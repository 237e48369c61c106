import type { z } from 'zod';
import { validationFailed, type FieldError } from './problems';

/** Parses input with a zod schema, or throws a 422 naming the path of every fault. */
export function parseInput<S extends z.ZodTypeAny>(schema: S, value: unknown, prefix?: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.map((issue) => ({
    path: [...(prefix ? [prefix] : []), ...issue.path].join('.'),
    message: issue.message,
  }));
  throw validationFailed(errors);
}
