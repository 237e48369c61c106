import { version } from '../package.json';

export const HERALD_VERSION: string = version;
export const USER_AGENT = `Herald/${version}`;
