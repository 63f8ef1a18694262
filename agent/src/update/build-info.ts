/**
 * Facts compiled into the single executable by agent/build/build-sea.mjs (esbuild `define`).
 * Under tsx (development, tests) the identifiers are not defined and `typeof` says so.
 */
declare const BW_PINNED_RELEASE_KEY: string | undefined;
declare const BW_BUILD_PLATFORM: string | undefined;

/** The release key's public half (base64 SPKI DER) the build pinned, if any. */
export const PINNED_RELEASE_KEY: string | undefined =
  typeof BW_PINNED_RELEASE_KEY === 'string' && BW_PINNED_RELEASE_KEY !== ''
    ? BW_PINNED_RELEASE_KEY
    : undefined;

/** `linux-x64` or `linux-arm64`: which release files this agent can run. */
export const PLATFORM: string =
  typeof BW_BUILD_PLATFORM === 'string' ? BW_BUILD_PLATFORM : `${process.platform}-${process.arch}`;
