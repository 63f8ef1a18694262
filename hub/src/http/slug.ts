import { TOPIC_SEGMENT } from '@branchwatch/contract';
import { apiError } from './errors.js';

/** Tenant, branch and agent slugs become MQTT topic levels, so they follow the contract's rule. */
export function assertSlug(slug: string): void {
  if (!TOPIC_SEGMENT.test(slug)) {
    throw apiError(400, 'BW_ERR_VALIDATION', 'slug must be 1-63 of a-z, 0-9, "-", "_"', {
      field: 'slug',
    });
  }
}
