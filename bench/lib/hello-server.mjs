// The bare server of the benchmark's "physical limit": Fastify 5 with one JSON route and nothing else (no
// logger, plugins, database). Prints "listening <url>" once it accepts connections.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/hello', async () => ({ hello: 'world' }));
const url = await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.stdout.write(`listening ${url}\n`);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => app.close().then(() => process.exit(0)));
