import fp from 'fastify-plugin';

/** STUB — owned by the external-data helper (issue 8); replaced by the real plugin. */
export default fp(async () => {}, { name: 'external-data' });
