// The one place workflow code learns what the worker's activities look like: types only, so no
// activity code (and none of its I/O) is ever bundled into workflows.
export type { Activities } from '../activities';
