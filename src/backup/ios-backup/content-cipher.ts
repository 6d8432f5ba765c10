/**
 * AES-256-CBC with a zero IV, as encrypted backups use it (data-formats.md §1.7): each content
 * file with PKCS#7 padding, its plain length recorded in MBFile.Size; Manifest.db whole and
 * unpadded (a SQLite file is a whole number of pages, so of 16-byte blocks).
 */
import { createCipheriv, createDecipheriv } from "node:crypto";
import { Transform } from "node:stream";
import { BackupError } from "../../adapters/backup-folder/errors.js";

const ZERO_IV = Buffer.alloc(16);
const ALGORITHM = "aes-256-cbc";

export function encryptingStream(key: Uint8Array): Transform {
  return createCipheriv(ALGORITHM, key, ZERO_IV);
}

/** Decrypts one content file; a bad key, bad padding or a length other than `size` fails naming `where`. */
export function decryptingStream(key: Uint8Array, size: number, where: string): Transform {
  const decipher = createDecipheriv(ALGORITHM, key, ZERO_IV);
  let length = 0;
  const fail = (why: string) =>
    new BackupError(`${where} does not decrypt (${why}); the backup is damaged or its key is wrong.`);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const plain = decipher.update(chunk);
      length += plain.length;
      done(null, plain);
    },
    flush(done) {
      let last: Buffer;
      try {
        last = decipher.final();
      } catch (error) {
        done(fail((error as Error).message));
        return;
      }
      length += last.length;
      if (length !== size) done(fail(`${length} bytes where its record says ${size}`));
      else done(null, last);
    },
  });
}

export function encryptManifestDb(key: Uint8Array, plain: Buffer): Buffer {
  const cipher = createCipheriv(ALGORITHM, key, ZERO_IV);
  cipher.setAutoPadding(plain.length % 16 !== 0);
  return Buffer.concat([cipher.update(plain), cipher.final()]);
}

/** Decrypts Manifest.db; PKCS#7 padding, if a writer added some, is removed. */
export function decryptManifestDb(key: Uint8Array, encrypted: Buffer, where: string): Buffer {
  if (encrypted.length % 16 !== 0)
    throw new BackupError(
      `${where} is not a whole number of AES blocks (${encrypted.length} bytes); it is damaged.`,
    );
  const decipher = createDecipheriv(ALGORITHM, key, ZERO_IV);
  decipher.setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(encrypted), decipher.final()]);
  const pad = plain.length > 0 ? (plain[plain.length - 1] as number) : 0;
  const padded =
    plain.length % 512 !== 0 &&
    pad >= 1 &&
    pad <= 16 &&
    plain.subarray(plain.length - pad).every((b) => b === pad);
  return padded ? plain.subarray(0, plain.length - pad) : plain;
}
