/**
 * The repository's config file: plain JSON, because the key cannot be derived without it. With
 * encryption it holds the scrypt parameters and a sealed check value that tells a wrong password
 * from a damaged repository.
 */
import { randomBytes } from "node:crypto";
import { deriveKey, type KdfParams, newKdfParams, seal, unseal } from "./crypto.js";
import { PasswordRequiredError, RepositoryCorruptError, WrongPasswordError } from "./errors.js";

export const REPO_VERSION = 1;
const CHECK = "cradle repository key check";

export interface RepoConfig {
  version: number;
  id: string;
  chunker: "fastcdc-gear-v1";
  encryption?: { cipher: "aes-256-gcm"; kdf: "scrypt"; params: KdfParams; check: string };
}

export function newConfig(password: string | undefined): { config: RepoConfig; key?: Buffer } {
  const config: RepoConfig = {
    version: REPO_VERSION,
    id: randomBytes(16).toString("hex"),
    chunker: "fastcdc-gear-v1",
  };
  if (password === undefined) return { config };
  const params = newKdfParams();
  const key = deriveKey(password, params);
  config.encryption = {
    cipher: "aes-256-gcm",
    kdf: "scrypt",
    params,
    check: seal(key, Buffer.from(CHECK)).toString("base64"),
  };
  return { config, key };
}

export function parseConfig(text: string, file: string): RepoConfig {
  let config: RepoConfig;
  try {
    config = JSON.parse(text) as RepoConfig;
  } catch (error) {
    throw new RepositoryCorruptError(
      `${file} is not valid JSON (${(error as Error).message}); it is not a Cradle repository config.`,
      { file },
    );
  }
  if (config.version !== REPO_VERSION || typeof config.id !== "string")
    throw new RepositoryCorruptError(
      `${file} has repository version ${String(config.version)}; this Cradle reads version ${REPO_VERSION}.`,
      { file },
    );
  return config;
}

/** The key for an encrypted repository, undefined for a plain one. */
export function unlockConfig(
  config: RepoConfig,
  root: string,
  password: string | undefined,
): Buffer | undefined {
  if (!config.encryption) return undefined;
  if (password === undefined)
    throw new PasswordRequiredError(
      `The repository ${root} is encrypted. Give its password with CRADLE_PASSWORD, --password-file FILE or at the prompt.`,
      { repo: root },
    );
  const key = deriveKey(password, config.encryption.params);
  try {
    unseal(key, Buffer.from(config.encryption.check, "base64"));
  } catch {
    throw new WrongPasswordError(
      `The password does not open the repository ${root}; nothing was read or written.`,
      { repo: root },
    );
  }
  return key;
}
