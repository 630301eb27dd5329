import fp from 'fastify-plugin';

/** STUB — owned by the auth/hardening helper (issue 4); replaced by the real plugin. */
export default fp(async () => {}, { name: 'hardening' });
