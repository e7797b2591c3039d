import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequestContext, getContext, runWithContext } from '@plinth/context';

export default [
  {
    name: 'runWithContext + getContext per request',
    anchorName: 'bare AsyncLocalStorage run + getStore',
    metric: 'time',
    target: { max: 1.1 },
    async setup() {
      const als = new AsyncLocalStorage();
      const ctx = createRequestContext({ source: 'http', tenantId: 't1' });
      const plain = { ...ctx };
      let sink = 0;
      return {
        anchor: () =>
          als.run(plain, () => {
            sink += als.getStore().tenantId.length;
          }),
        subject: () =>
          runWithContext(ctx, () => {
            sink += getContext().tenantId.length;
          }),
        check: () => (sink > 0 ? undefined : 'no work observed'),
      };
    },
  },
];
