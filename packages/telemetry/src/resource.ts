import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { ATTR_DEPLOYMENT_ENVIRONMENT_NAME } from './defaults.js';
import type { NormalizedOptions } from './validate.js';

/** Extra attributes first, then the explicit service fields (which win). */
export function buildResource(options: NormalizedOptions): Resource {
  const attributes: Record<string, unknown> = { ...options.resourceAttributes };
  attributes[ATTR_SERVICE_NAME] = options.serviceName;
  if (options.serviceVersion !== undefined)
    attributes[ATTR_SERVICE_VERSION] = options.serviceVersion;
  if (options.environment !== undefined)
    attributes[ATTR_DEPLOYMENT_ENVIRONMENT_NAME] = options.environment;
  return resourceFromAttributes(attributes as Parameters<typeof resourceFromAttributes>[0]);
}
