import type { Inventory, InventoryDevice, InventoryLink, ProbeResult } from '@branchwatch/contract';
import type { Logger } from '../log.js';

export interface InventoryTrackerOptions {
  agent: string;
  publish(inventory: Inventory): Promise<void>;
  log: Logger;
  now?: () => Date;
}

interface Seen {
  device: InventoryDevice;
  links: InventoryLink[];
}

/**
 * The agent's view of its devices and their LLDP links, built from snmp results. It publishes
 * the whole view when it changes (and again after a publish failed); a device that stops
 * answering keeps its last known links, since silence says nothing about cabling.
 */
export class InventoryTracker {
  readonly #options: InventoryTrackerOptions;
  readonly #byCheck = new Map<string, Seen>();
  #lastSent = '';

  constructor(options: InventoryTrackerOptions) {
    this.#options = options;
  }

  observe(result: ProbeResult): void {
    if (result.type !== 'snmp' || !result.system) return;
    const { sysName, sysDescr } = result.system;
    const device: InventoryDevice = {
      id: sysName || result.target,
      sysName: sysName || null,
      sysDescr: sysDescr || null,
      address: result.target,
    };
    const previous = this.#byCheck.get(result.check);
    const links = result.neighbors
      ? result.neighbors.map((n) => ({
          localDevice: device.id,
          localPort: n.localPort || 'unknown',
          remoteChassisId: n.remoteChassisId,
          remoteSysName: n.remoteSysName || null,
          remotePort: n.remotePort,
        }))
      : (previous?.links ?? []);
    this.#byCheck.set(result.check, { device, links });
    this.#publishIfChanged();
  }

  /** The current view, devices and links sorted so that equal views are equal text. */
  view(): Pick<Inventory, 'devices' | 'links'> {
    const devices = new Map<string, InventoryDevice>();
    const links: InventoryLink[] = [];
    for (const { device } of this.#byCheck.values()) devices.set(device.id, device);
    for (const seen of this.#byCheck.values()) {
      for (const link of seen.links) {
        links.push(link);
        const id = link.remoteSysName ?? link.remoteChassisId;
        if (!devices.has(id)) {
          devices.set(id, { id, sysName: link.remoteSysName, sysDescr: null, address: null });
        }
      }
    }
    const key = (l: InventoryLink) =>
      `${l.localDevice}\u0000${l.localPort}\u0000${l.remoteChassisId}\u0000${l.remotePort}`;
    return {
      devices: [...devices.values()].sort((a, b) => a.id.localeCompare(b.id)),
      links: links.sort((a, b) => key(a).localeCompare(key(b))),
    };
  }

  #publishIfChanged(): void {
    const view = this.view();
    const text = JSON.stringify(view);
    if (text === this.#lastSent) return;
    this.#lastSent = text;
    const at = (this.#options.now?.() ?? new Date()).toISOString();
    this.#options.publish({ v: 1, agent: this.#options.agent, at, ...view }).catch((err: Error) => {
      // Sent again with the next result, whatever it brings.
      if (this.#lastSent === text) this.#lastSent = '';
      this.#options.log.warn('inventory not published', { err: err.message });
    });
  }
}
