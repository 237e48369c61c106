import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
const KEY_BYTES = 32;
// 96-bit IVs are GCM's native size; random ones are safe far beyond the number of secrets stored.
const IV_BYTES = 12;
const TAG_BYTES = 16;

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64_KEY = /^[A-Za-z0-9+/]{43}=$/;

export interface SecretBox {
  encrypt(plain: string): string;
  decrypt(token: string): string;
}

/** A new master key for HERALD_ENCRYPTION_KEY. */
export function generateMasterKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

/** What is wrong with a master key, never echoing it (it may be a real key with a typo); undefined when it is fine. */
export function masterKeyFault(masterKey: string): string | undefined {
  return HEX_KEY.test(masterKey) || BASE64_KEY.test(masterKey) ? undefined : 'must be 32 bytes, given as base64 (44 characters) or hex (64 characters)';
}

function parseMasterKey(masterKey: string): Buffer {
  const fault = masterKeyFault(masterKey);
  if (fault) throw new Error(`encryption master key ${fault}`);
  return HEX_KEY.test(masterKey) ? Buffer.from(masterKey, 'hex') : Buffer.from(masterKey, 'base64');
}

function decodePart(part: string | undefined, bytes?: number): Buffer {
  const buffer = Buffer.from(part ?? '', 'base64');
  if (part === undefined || buffer.toString('base64') !== part || (bytes !== undefined && buffer.length !== bytes)) {
    throw new Error('encrypted secret is malformed');
  }
  return buffer;
}

/**
 * Encrypts secrets at rest (README, "Signing") with AES-256-GCM. Tokens carry a version, so the format
 * can change without rewriting stored rows; GCM's tag makes any tampering fail loudly.
 */
export function createSecretBox(masterKey: string): SecretBox {
  const key = parseMasterKey(masterKey);
  return {
    encrypt(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, key, iv);
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, ...[iv, tag, ciphertext].map((part) => part.toString('base64'))].join(':');
    },
    decrypt(token) {
      const [version, iv, tag, ciphertext, ...extra] = token.split(':');
      if (version !== VERSION || extra.length > 0) throw new Error('encrypted secret has an unknown format');
      const encrypted = decodePart(ciphertext);
      const decipher = createDecipheriv(ALGORITHM, key, decodePart(iv, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAuthTag(decodePart(tag, TAG_BYTES));
      try {
        return Buffer.concat([decipher.update(encrypted), decipher.final()]).toString('utf8');
      } catch {
        throw new Error('encrypted secret failed authentication: wrong master key or tampered data');
      }
    },
  };
}
