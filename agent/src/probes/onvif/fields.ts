import type { OnvifFields } from '@branchwatch/contract';

/** The fields of a round that measured nothing. */
export const blankFields = (): OnvifFields => ({
  responseMs: null,
  driftSeconds: null,
  profiles: null,
  snapshotBytes: null,
  snapshotMs: null,
  unreachableSeconds: null,
  discovered: null,
});
