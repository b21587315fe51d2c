// http_ece ships no types; this declares the part the test push service uses.
declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';

  /** Decrypts an RFC 8188 body; for Web Push (RFC 8291) with the receiver's key pair and auth. */
  export function decrypt(
    buffer: Buffer,
    params: { version: 'aes128gcm'; privateKey: ECDH; authSecret: Buffer | string },
  ): Buffer;
}
