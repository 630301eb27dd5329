import fp from 'fastify-plugin';

/** STUB — owned by the sync-engine helper (issue 4); replaced by the real plugin. */
export default fp(async () => {}, { name: 'engine' });
