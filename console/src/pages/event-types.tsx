import { get } from '../api';
import { formatJson } from '../format';
import type { EventType, Page } from '../types';
import { Badge, ErrorMessage, Loading, Pager, useCursorPages, useLoad } from '../ui';

/** The catalog is shared by every tenant; any key reads it. */
export function EventTypesPage() {
  const pages = useCursorPages('event-types');
  const list = useLoad(() => get<Page<EventType>>('/v1/event-types', { limit: 100, cursor: pages.cursor }), pages.cursor ?? '');
  return (
    <>
      <div class="page-header">
        <h1>Event types</h1>
      </div>
      <p class="muted">The catalog of event types, shared by all tenants. A type with a schema has its events' <code>data</code> checked against it when published.</p>
      <section class="card flush">
        {list.error && <ErrorMessage error={list.error} context="Event types could not be loaded" />}
        {!list.data && !list.error && <Loading what="event types" />}
        {list.data && list.data.data.length === 0 && <p class="empty">The catalog is empty. Events of any type can still be published.</p>}
        {list.data && list.data.data.length > 0 && (
          <table aria-label="Event types">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Group</th>
                <th scope="col">Description</th>
                <th scope="col">Schema</th>
              </tr>
            </thead>
            <tbody>
              {list.data.data.map((t) => (
                <tr key={t.name}>
                  <td>
                    <code>{t.name}</code> {t.deprecated && <Badge value="deprecated" />}
                  </td>
                  <td>{t.group ?? <span class="muted">—</span>}</td>
                  <td>{t.description || <span class="muted">—</span>}</td>
                  <td>
                    {t.schema ? (
                      <details>
                        <summary>Schema of {t.name}</summary>
                        <pre>{formatJson(t.schema)}</pre>
                      </details>
                    ) : (
                      <span class="muted">none</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <Pager label="Event types" page={pages.page} nextCursor={list.data?.next_cursor} onNext={pages.next} onPrevious={pages.previous} />
    </>
  );
}
