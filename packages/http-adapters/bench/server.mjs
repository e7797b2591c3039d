// One server per process: `node server.mjs <variant> <logFile>`; prints its port when listening.
// The variants are in apps.mjs.
import { buildApp } from './apps.mjs';

const [variant, file] = process.argv.slice(2);
const app = await buildApp(variant, file);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
process.stdout.write(`${await app.listen()}\n`);
