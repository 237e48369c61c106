// The credential lives in sessionStorage only: never in a URL (the portal token is taken out of the
// fragment at once), never in a cookie, and gone when the tab closes.

const CREDENTIAL = 'herald.credential';
const TENANT = 'herald.tenant';

export const storedCredential = (): string | null => sessionStorage.getItem(CREDENTIAL);
export const storeCredential = (credential: string): void => sessionStorage.setItem(CREDENTIAL, credential);

export function forgetSession(): void {
  sessionStorage.removeItem(CREDENTIAL);
  sessionStorage.removeItem(TENANT);
}

/** The admin's tenant switcher choice ('' = every tenant), kept for the tab. */
export const storedTenant = (): string => sessionStorage.getItem(TENANT) ?? '';
export const storeTenant = (tenantId: string): void => sessionStorage.setItem(TENANT, tenantId);

/**
 * A portal link is `<public url>/console#portal=<token>`. The token becomes this tab's credential
 * and the fragment leaves the address bar (and so the history) before anything else runs.
 * Returns true when a token was taken.
 */
export function takePortalTokenFromUrl(): boolean {
  const match = /^#portal=([^&]+)$/.exec(location.hash);
  if (!match) return false;
  forgetSession();
  storeCredential(decodeURIComponent(match[1]!));
  history.replaceState(null, '', location.pathname + location.search);
  return true;
}
