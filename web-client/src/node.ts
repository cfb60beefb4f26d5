// Node-only additions to the browser-safe main entry (kept apart so browser bundles never see node:fs).
export { PrivateKeyFileError, type PrivateKeyFileErrorType } from "./node/PrivateKeyFileError.ts";
export { readPrivateKeyFile } from "./node/readPrivateKeyFile.ts";
export { fileStorage } from "./storage/fileStorage.ts";
