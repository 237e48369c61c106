import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateMasterKey } from '../domain/encryption';

export interface DevSecrets {
  adminKey: string;
  encryptionKey: string;
}

/**
 * The admin key and encryption key `npm start` uses when the environment gives none: generated
 * on first start and kept in the data folder (mode 600), so stored secrets stay readable and
 * the printed key keeps working across restarts.
 */
export function loadOrCreateDevSecrets(dataDir: string): DevSecrets {
  const file = path.join(dataDir, 'dev-secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: DevSecrets = { adminKey: `hrd_admin_${randomBytes(24).toString('hex')}`, encryptionKey: generateMasterKey() };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
