import { render } from 'preact';
import { App } from './app';
import { takePortalTokenFromUrl } from './session';

// Before anything renders: a portal token in the fragment becomes the tab's credential and leaves the address bar.
const fromPortalLink = takePortalTokenFromUrl();
render(<App fromPortalLink={fromPortalLink} />, document.getElementById('app')!);
