// Herald's custom search attributes: the keys the delivery workflow sets and the API lists by.
// Pure definitions, safe in workflow code; temporal/search-attribute-registration.ts registers
// them on a namespace.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const SEARCH_ATTRIBUTES = {
  tenantId: 'HeraldTenantId',
  endpointId: 'HeraldEndpointId',
  eventId: 'HeraldEventId',
  eventType: 'HeraldEventType',
  status: 'HeraldStatus',
} as const;

export const tenantIdKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.tenantId, SearchAttributeType.KEYWORD);
export const endpointIdKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.endpointId, SearchAttributeType.KEYWORD);
export const eventIdKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.eventId, SearchAttributeType.KEYWORD);
export const eventTypeKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.eventType, SearchAttributeType.KEYWORD);
export const statusKey = defineSearchAttributeKey(SEARCH_ATTRIBUTES.status, SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_KEYS = [tenantIdKey, endpointIdKey, eventIdKey, eventTypeKey, statusKey] as const;
