import { decodeInventory, encodeInventory, type Inventory } from '@branchwatch/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLldpPair, type LldpPair } from '../../../../test/peers/lldpd.js';
import { startSnmpd, type Snmpd } from '../../../../test/peers/snmpd.js';
import { InventoryTracker } from '../../inventory/tracker.js';
import { createLogger } from '../../log.js';
import { createSnmpProbe } from './index.js';
import { snmpOptions } from './options.js';

let snmpd: Snmpd;
let pair: LldpPair;
beforeAll(async () => {
  snmpd = await startSnmpd({ sysName: 'bw-lldp-local', agentx: true });
  pair = await startLldpPair(snmpd.agentxSocket!);
});
afterAll(async () => {
  await pair?.stop();
  await snmpd?.stop();
});

describe('LLDP neighbours from lldpd through snmpd AgentX', () => {
  it('reads the peer from lldpRemTable and publishes it as inventory', async () => {
    const probe = createSnmpProbe();
    const options = snmpOptions.parse({ port: snmpd.port, lldp: true, interfaces: [1] });
    const at = '2026-11-21T10:00:00.000Z';
    const published: Inventory[] = [];
    const tracker = new InventoryTracker({
      agent: 'srv-01',
      publish: async (inventory) => {
        published.push(inventory);
      },
      log: createLogger({ level: 'error', write: () => {} }),
      now: () => new Date(at),
    });
    // lldpd sends every 30 s by default (lldpcli "configure lldp tx-interval"): the neighbour
    // shows within about 30 s; 30 rounds 2 s apart at most.
    let neighbors: Awaited<ReturnType<typeof probe.run>>['neighbors'] = [];
    const started = Date.now();
    let rounds = 0;
    for (let i = 0; i < 30 && neighbors?.length === 0; i++) {
      const outcome = await probe.run(
        { id: 'core', target: '127.0.0.1', options },
        AbortSignal.timeout(5000),
      );
      rounds++;
      expect(outcome.status).toBe('ok');
      tracker.observe({ check: 'core', type: 'snmp', target: '127.0.0.1', at, ...outcome });
      neighbors = outcome.neighbors;
      if (neighbors?.length === 0) await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    console.log(`LLDP neighbour after ${(Date.now() - started) / 1000} s:`, neighbors);
    expect(neighbors).toHaveLength(1);
    const [neighbor] = neighbors!;
    expect(neighbor).toMatchObject({
      localPort: pair.localPort,
      remoteSysName: pair.peerName,
      remotePortDescr: pair.peerPort,
    });
    // lldpd's default chassis id and port id are MAC addresses (subtype 4 and 3).
    expect(neighbor!.remoteChassisId).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(neighbor!.remotePort).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);

    // Only changes are published: the device alone (when LLDP took a round), then with its link.
    expect(published.length).toBe(rounds === 1 ? 1 : 2);
    const last = published.at(-1)!;
    expect(last).toEqual({
      v: 1,
      agent: 'srv-01',
      at,
      devices: [
        {
          id: 'bw-lldp-local',
          sysName: 'bw-lldp-local',
          sysDescr: 'Branchwatch test snmpd',
          address: '127.0.0.1',
        },
        { id: pair.peerName, sysName: pair.peerName, sysDescr: null, address: null },
      ],
      links: [
        {
          localDevice: 'bw-lldp-local',
          localPort: pair.localPort,
          remoteChassisId: neighbor!.remoteChassisId,
          remoteSysName: pair.peerName,
          remotePort: neighbor!.remotePort,
        },
      ],
    });
    expect(decodeInventory(encodeInventory(last))).toEqual({ ok: true, value: last });
  }, 90_000);
});
