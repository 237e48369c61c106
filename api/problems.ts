/** One fault in a request, at the path where it is (`retry.preset`, `headers.idempotency-key`). */
export interface FieldError {
  path: string;
  message: string;
}

/** An error the API answers as RFC 9457 problem+json; anything else is a hidden 500. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
  ) {
    super(detail ?? title);
  }
}

export const notFound = (what: string) => new Problem(404, 'Not Found', `${what} not found`);
export const unauthorized = () => new Problem(401, 'Unauthorized', 'a valid API key is required: Authorization: Bearer <key>');
export const conflict = (detail: string) => new Problem(409, 'Conflict', detail);
export const validationFailed = (errors: FieldError[], status = 422) =>
  new Problem(status, status === 400 ? 'Bad Request' : 'Unprocessable Content', 'the request is not valid', errors);
/** A path that exists, asked with a method it does not take (also for methods Herald knows nothing of). */
export const methodNotAllowed = () => new Problem(405, 'Method Not Allowed', 'this path does not take that method');
