/**
 * Built-in transforms (README, "Routing, payloads and pacing"), as JSONata over the transform input documented in transforms.ts.
 * One per envelope shape the seeds document, named after the shape, plus `slack`.
 */

/** `{id, type, timestamp, data, metadata}` with `workspace_id` and `apiVersion` lifted from metadata
 * when present: the CMS seed (`workspace_id` at the top) and the design-platform seed (`apiVersion`). */
const idTypeEnvelope = `{
  "id": id,
  "type": type,
  "timestamp": timestamp,
  "workspace_id": metadata.workspace_id,
  "apiVersion": metadata.apiVersion,
  "data": data,
  "metadata": $count($keys(metadata)) > 0 ? metadata
}`;

/** `{event_id, occurred_at, data}`: the gradients design-tool seed (the type travels in a header). */
const eventIdEnvelope = `{ "event_id": id, "occurred_at": timestamp, "data": data }`;

/**
 * The studio-production seed: the data's own PascalCase fields at the top level, plus `PayloadId`
 * (the event id), `EventGroupName` and `Action` (from `group.Action` in the type unless the data
 * names them, since seed groups such as "work unit" are not valid type names) and
 * `EventDatetimeUtc` in Unix milliseconds.
 */
const pascalCaseEnvelope = `(
  $fields := $type(data) = "object" ? data : {"Data": data};
  $merge([
    {"Action": $substringAfter(type, ".")},
    $fields,
    {
      "PayloadId": $guid(id),
      "EventGroupName": $fields.EventGroupName ? $fields.EventGroupName : $substringBefore(type, "."),
      "EventDatetimeUtc": timestamp_ms
    }
  ])
)`;

/** `{event, ...data}`: the visual-testing seed (`{"event": "build-status-changed", "build": {…}}`).
 * `event` is merged first to stay the first key, and last so the data cannot override it. */
const eventFieldEnvelope = `(
  $fields := $type(data) = "object" ? data : {"data": data};
  $merge([{"event": type}, $fields, {"event": type}])
)`;

/**
 * A Slack incoming-webhook message: `text` (the notification line) and Block Kit blocks: a header,
 * the summary (title/name/message), up to 10 scalar fields of the data (one level of nesting, e.g.
 * `build.status`), and the event id and time. Text is escaped and clipped to Slack's limits.
 */
const slack = `(
  $esc := function($s) { $replace($replace($replace($s, "&", "&amp;"), "<", "&lt;"), ">", "&gt;") };
  $clip := function($s, $n) { $length($s) > $n ? $substring($s, 0, $n - 1) & "…" : $s };
  $isScalar := function($v) { $type($v) in ["string", "number", "boolean"] };
  $fieldsOf := function($o, $prefix) {
    $type($o) = "object" ? $keys($o).(
      $v := $lookup($o, $);
      $isScalar($v) ? [{"name": $prefix & $, "value": $string($v)}] :
        $prefix = "" and $type($v) = "object" ? $fieldsOf($v, $ & ".") : []
    ) : []
  };
  $summary := [data.title, data.name, data.message, data.summary][$isScalar($)][0];
  $fields := [$fieldsOf(data, "")][[0..9]];
  {
    "text": $clip(type & ($exists($summary) ? ": " & $esc($string($summary)) : ""), 3000),
    "blocks": [
      {"type": "header", "text": {"type": "plain_text", "text": $clip(type, 150)}},
      $exists($summary) ? {"type": "section", "text": {"type": "mrkdwn", "text": $clip($esc($string($summary)), 3000)}},
      $count($fields) > 0 ? {"type": "section", "fields": [$fields.{"type": "mrkdwn", "text": $clip("*" & $esc(name) & "*\\n" & $esc(value), 2000)}]},
      {"type": "context", "elements": [{"type": "mrkdwn", "text": $esc(id) & " · " & timestamp}]}
    ]
  }
)`;

export const TRANSFORM_PRESETS = {
  slack,
  'id-type-envelope': idTypeEnvelope,
  'event-id-envelope': eventIdEnvelope,
  'pascal-case-envelope': pascalCaseEnvelope,
  'event-field-envelope': eventFieldEnvelope,
} as const;

export type TransformPreset = keyof typeof TRANSFORM_PRESETS;
export const TRANSFORM_PRESET_NAMES = Object.keys(TRANSFORM_PRESETS) as [TransformPreset, ...TransformPreset[]];
