import type { EndpointSettings } from '../domain/endpoint';

/** Endpoint settings by their wire names (README, "API"). */
const WIRE_NAMES = {
  url: 'url',
  description: 'description',
  event_types: 'eventTypes',
  filter: 'filter',
  retry: 'retry',
  timeout: 'timeoutMs',
  signature: 'signature',
  headers: 'headers',
  rate_limit: 'rateLimit',
  ordering: 'ordering',
  transform: 'transform',
  metadata: 'metadata',
} as const satisfies Record<string, keyof EndpointSettings>;

type WireSettings = { [W in keyof typeof WIRE_NAMES]: EndpointSettings[(typeof WIRE_NAMES)[W]] };

/** The settings a validated create or patch body gives, renamed; absent fields stay absent. */
export function settingsFromWire(input: { [W in keyof WireSettings]?: WireSettings[W] | undefined }): Partial<EndpointSettings> {
  const settings: Record<string, unknown> = {};
  for (const [wire, name] of Object.entries(WIRE_NAMES)) {
    const value = input[wire as keyof WireSettings];
    if (value !== undefined) settings[name] = value;
  }
  return settings as Partial<EndpointSettings>;
}
