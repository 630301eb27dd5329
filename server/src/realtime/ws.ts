import fp from 'fastify-plugin';

/** STUB — owned by the real-time helper (issue 5); replaced by the real plugin. */
export default fp(async () => {}, { name: 'realtime' });
