/**
 * Runs the simulator as its own process, for tests that need it inside a network namespace:
 *   node --import tsx test/onvif-simulator/main.ts --host 10.0.0.2 --discovery-interface 10.0.0.2
 * Prints one JSON line ({"url", "endpoint"}) when it listens; stops on SIGTERM or SIGINT.
 */
import { parseArgs } from 'node:util';
import { OnvifSimulator } from './index.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    username: { type: 'string', default: 'admin' },
    password: { type: 'string', default: 'secret' },
    'discovery-interface': { type: 'string' },
  },
});

const sim = new OnvifSimulator({
  host: values.host,
  port: Number(values.port),
  username: values.username,
  password: values.password,
  ...(values['discovery-interface'] ? { discoveryInterface: values['discovery-interface'] } : {}),
});
await sim.start();
process.stdout.write(`${JSON.stringify({ url: sim.deviceServiceUrl, endpoint: sim.endpoint })}\n`);

const stop = () => {
  void sim.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
