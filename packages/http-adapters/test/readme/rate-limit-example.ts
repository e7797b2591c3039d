import { createHealth } from '@plinth/health';
import { createRateLimit, defineRoute } from '@plinth/http-adapters';

// 100 requests a minute per client; 5 a minute on routes that pick `login`.
export const rateLimit = createRateLimit({
  points: 100,
  durationSeconds: 60,
  policies: { login: { points: 5, durationSeconds: 60 } },
});

const routes = [
  defineRoute({ method: 'GET', path: '/v1/hello', handler: () => ({ hello: 'world' }) }),
  defineRoute({
    method: 'POST',
    path: '/v1/auth/login',
    policy: { auth: 'none', rateLimit: 'login' },
    handler: () => ({ ok: true }),
  }),
];

export const options = {
  routes,
  rateLimit,
  health: createHealth({ checks: { rateLimit: rateLimit.healthCheck() } }),
};
