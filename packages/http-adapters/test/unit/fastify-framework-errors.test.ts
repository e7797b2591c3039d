import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { plinthFrameworkErrors } from '../../src/fastify/index.js';

describe('plinthFrameworkErrors', () => {
  it('answers a bare 400 on an instance where the plugin is not registered', async () => {
    const app = Fastify({ frameworkErrors: plinthFrameworkErrors });
    app.get('/x/:id', async () => ({}));
    const res = await app.inject({ method: 'GET', url: '/x/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toBe('');
    await app.close();
  });
});
