// The shapes of names Herald accepts, in one place.

// Event type names: `design.exported`, `build-status-changed`, `Task.Completed`. Groups share it.
const NAME = '[A-Za-z0-9][A-Za-z0-9._:-]{0,127}';

export const EVENT_TYPE_NAME = new RegExp(`^${NAME}$`);
export const EVENT_TYPE_NAME_RULE = 'must be letters, digits, ".", "_", ":" or "-" (at most 128)';

/** What an endpoint subscribes to: an exact name, a `group.*` wildcard or `*`. */
export const EVENT_TYPE_PATTERN = new RegExp(`^(\\*|${NAME}(\\.\\*)?)$`);

/** An HTTP header name: an RFC 9110 §5.6.2 token. */
export const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
