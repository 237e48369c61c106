import { temporal } from '@temporalio/proto';

type History = temporal.api.history.v1.IHistory;
const { History } = temporal.api.history.v1;

// The SDK's historyToJSON/historyFromJSON break here: npm keeps two copies of protobufjs 8 (one
// under @temporalio/common, one under @temporalio/proto), and the JSON codec of one rejects the
// types of the other. The message class's own object conversion has no such problem.

/** A workflow history as plain JSON: longs, enums and bytes as strings. */
export function historyToPlainJson(history: History): string {
  return JSON.stringify(History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String }), null, 1);
}

/** The history back as a message the replayer takes. */
export function historyFromPlainJson(json: string): temporal.api.history.v1.History {
  return History.fromObject(JSON.parse(json));
}
