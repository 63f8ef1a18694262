import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../../test/support/hub.js';
import { connectDatabase, type Database } from '../db/database.js';
import { AgentRepository } from './agent.repository.js';
import { AgentService } from './agent.service.js';
import { BranchRepository } from './branch.repository.js';

/**
 * MQTT logins of many agents at once (a fleet reconnecting after a hub restart): each gets its
 * own answer, and the lookups share queries instead of one each.
 */
let t: TestHub;
let db: Database;
const issued: { username: string; password: string }[] = [];

beforeAll(async () => {
  t = await startTestHub();
  db = connectDatabase(t.databaseUrl, { min: 0, max: 4 });
  for (let i = 0; i < 12; i++) {
    issued.push((await t.api.createAgent(`storm-${i % 3}-${i}`, `srv-${i}`)).credentials);
  }
}, 120_000);
afterAll(async () => {
  await db?.destroy();
  await t?.stop();
});

it('answers logins that arrive together each with its own agent, in a few queries', async () => {
  const service = new AgentService(new AgentRepository(db), new BranchRepository(db));
  let agentQueries = 0;
  db.on('query', (q: { sql: string }) => {
    if (/from "agents"/i.test(q.sql)) agentQueries++;
  });
  const attempts = [
    ...issued.map((c) => ({ ...c, expect: c.username })),
    // The same agent twice at once (a reconnect racing its old session).
    { ...issued[0]!, expect: issued[0]!.username },
    ...issued.slice(0, 4).map((c) => ({ ...c, password: `${c.password}x`, expect: undefined })),
    { username: 'default.nowhere.srv-9', password: issued[0]!.password, expect: undefined },
    { username: issued[1]!.username, password: issued[2]!.password, expect: undefined },
  ];
  const answers = await Promise.all(
    attempts.map((a) => service.authenticate(a.username, a.password)),
  );
  expect(answers.map((a) => a?.username)).toEqual(attempts.map((a) => a.expect));
  expect(answers[0]).not.toHaveProperty('passwordHash');
  // 18 logins: one query for all, or two if the first began before the rest were asked.
  expect(agentQueries).toBeGreaterThanOrEqual(1);
  expect(agentQueries).toBeLessThanOrEqual(2);

  // Asked one after the other, each is answered on its own.
  expect((await service.authenticate(issued[5]!.username, issued[5]!.password))?.username).toBe(
    issued[5]!.username,
  );
  expect(await service.authenticate(issued[5]!.username, 'wrong')).toBeUndefined();
});
