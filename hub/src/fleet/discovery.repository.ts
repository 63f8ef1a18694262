import type { AgentEvent, Inventory } from '@branchwatch/contract';
import type { Database } from '../db/database.js';

export interface TopologyDevice {
  agentId: string;
  deviceId: string;
  sysName: string | null;
  sysDescr: string | null;
  address: string | null;
  seenAt: Date;
}

export interface TopologyLink {
  agentId: string;
  localDevice: string;
  localPort: string;
  remoteChassisId: string;
  remoteSysName: string | null;
  remotePort: string;
  seenAt: Date;
}

export interface StoredEvent {
  id: string;
  agentId: string;
  kind: string;
  at: Date;
  receivedAt: Date;
  body: AgentEvent;
}

interface EventRow {
  id: number;
  agent_id: string;
  kind: string;
  at: Date;
  received_at: Date;
  body: AgentEvent;
}

/** Devices, LLDP links and forwarded events that agents report. */
export class DiscoveryRepository {
  constructor(private readonly db: Database) {}

  /** Replaces the agent's inventory with this view, in one transaction. */
  async replaceInventory(agentId: string, inventory: Inventory): Promise<void> {
    const seenAt = new Date(inventory.at);
    await this.db.transaction(async (trx) => {
      await trx('inventory_devices').where({ agent_id: agentId }).delete();
      await trx('inventory_links').where({ agent_id: agentId }).delete();
      // The same device may be listed twice; the last one wins, as in a map.
      const devices = new Map(inventory.devices.map((d) => [d.id, d]));
      if (devices.size > 0) {
        await trx('inventory_devices').insert(
          [...devices.values()].map((d) => ({
            agent_id: agentId,
            device_id: d.id,
            sys_name: d.sysName,
            sys_descr: d.sysDescr,
            address: d.address,
            seen_at: seenAt,
          })),
        );
      }
      if (inventory.links.length > 0) {
        await trx.batchInsert(
          'inventory_links',
          inventory.links.map((l) => ({
            agent_id: agentId,
            local_device: l.localDevice,
            local_port: l.localPort,
            remote_chassis_id: l.remoteChassisId,
            remote_sys_name: l.remoteSysName,
            remote_port: l.remotePort,
            seen_at: seenAt,
          })),
          1000,
        );
      }
    });
  }

  async topology(
    agentIds: string[],
  ): Promise<{ devices: TopologyDevice[]; links: TopologyLink[] }> {
    if (agentIds.length === 0) return { devices: [], links: [] };
    const devices = await this.db('inventory_devices')
      .whereIn('agent_id', agentIds)
      .orderBy(['agent_id', 'device_id']);
    const links = await this.db('inventory_links')
      .whereIn('agent_id', agentIds)
      .orderBy(['agent_id', 'local_device', 'local_port']);
    return {
      devices: devices.map((d) => ({
        agentId: d.agent_id,
        deviceId: d.device_id,
        sysName: d.sys_name,
        sysDescr: d.sys_descr,
        address: d.address,
        seenAt: d.seen_at,
      })),
      links: links.map((l) => ({
        agentId: l.agent_id,
        localDevice: l.local_device,
        localPort: l.local_port,
        remoteChassisId: l.remote_chassis_id,
        remoteSysName: l.remote_sys_name,
        remotePort: l.remote_port,
        seenAt: l.seen_at,
      })),
    };
  }

  async addEvents(agent: { id: string; tenantId: string }, events: AgentEvent[]): Promise<void> {
    await this.db('agent_events').insert(
      events.map((e) => ({
        tenant_id: agent.tenantId,
        agent_id: agent.id,
        kind: e.kind,
        at: new Date(e.at),
        body: JSON.stringify(e),
      })),
    );
  }

  /** When the agent went offline and came back, newest first (the alert room's outages). */
  async connections(agentId: string, limit: number) {
    const rows: { offline_at: Date; online_at: Date | null }[] = await this.db('agent_outages')
      .where({ agent_id: agentId })
      .orderBy('offline_at', 'desc')
      .limit(limit)
      .select('offline_at', 'online_at');
    return rows.map((r) => ({ agentId, offlineAt: r.offline_at, onlineAt: r.online_at }));
  }

  async events(filter: {
    tenantId: string | null;
    agentId?: string | undefined;
    limit: number;
  }): Promise<StoredEvent[]> {
    const rows: EventRow[] = await this.db('agent_events')
      .modify((q) => {
        if (filter.tenantId) q.where('tenant_id', filter.tenantId);
        if (filter.agentId) q.where('agent_id', filter.agentId);
      })
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(filter.limit);
    return rows.map((r) => ({
      id: String(r.id),
      agentId: r.agent_id,
      kind: r.kind,
      at: r.at,
      receivedAt: r.received_at,
      body: r.body,
    }));
  }
}
