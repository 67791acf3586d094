import type { PoolClient } from 'pg';
import { userUpdateChanged, type LoggedEvent, type NodeRegisteredData, type UserCreatedData, type UserUpdatedData } from '#roster/events';
import type { Projection, ProjectionContext } from '#roster/projector';
import { accessStateSql, type NodeAccessState, type OwnerState } from '../domain/node-access.js';
import { NODES_PROJECTION } from '../application/nodes-projection-name.js';
import { recordAccessConsequences, type AccessChange } from './access-consequences.js';
import { createNodesTables } from './nodes-tables.js';

type Run = { client: PoolClient; events: LoggedEvent[]; changes: AccessChange[] };

/** The events that can bring a key's expiry earlier than the sweeper's next planned sweep. */
const EXPIRY_SCHEDULING_EVENTS = new Set<LoggedEvent['type']>(['NodeRegistered', 'NodeKeyRenewed', 'NodeKeyExpiryEnabled']);

const OWNER_STATE_OF: Partial<Record<LoggedEvent['type'], OwnerState>> = {
  UserSuspended: 'suspended',
  UserReactivated: 'active',
  UserDeleted: 'deleted',
};

/** Changes of node fields per event type; `$3` is the event's data (json), `$4` its time. */
const NODE_FIELD_CHANGES: Partial<Record<LoggedEvent['type'], string>> = {
  NodeKeyRenewed: `node_key = $3->>'nodeKey', key_expiry = ($3->>'keyExpiry')::timestamptz, key_expired = false`,
  NodeKeyExpiryDisabled: `key_expiry_disabled = true`,
  NodeKeyExpiryEnabled: `key_expiry_disabled = false, key_expiry = ($3->>'keyExpiry')::timestamptz`,
  NodeTagsChanged: `tags = ARRAY(SELECT json_array_elements_text($3->'to')), owner_user_id = ($3->>'ownerUserId')::uuid`,
  // Access was already changed by the owner's event; these only carry history.
  NodeAccessRevoked: ``,
  NodeAccessRestored: ``,
};

const NODE_EVENTS = new Set<LoggedEvent['type']>(['NodeRegistered', 'NodeKeyExpired', 'NodeDeleted', ...(Object.keys(NODE_FIELD_CHANGES) as LoggedEvent['type'][])]);

/** Owners are kept with their login and state only: a `UserUpdated` matters when it changes the userName. */
function concernsNodes(event: LoggedEvent): boolean {
  if (event.type === 'UserUpdated') return userUpdateChanged(event.data as UserUpdatedData, ['userName']);
  return event.type === 'UserCreated' || OWNER_STATE_OF[event.type] !== undefined || NODE_EVENTS.has(event.type);
}

const ACCESS = accessStateSql({
  owner: 'n.owner_user_id',
  ownerState: 'o.state',
  keyExpired: 'n.key_expired',
  keyExpiry: 'n.key_expiry',
  keyExpiryDisabled: 'n.key_expiry_disabled',
  at: '$3::timestamptz',
});

/**
 * The node-key expiry read model: every node with its owner's state, its key expiry and its effective access with
 * since-when, and each node's history. Built from user and node events only, so a rebuild from offset 0 gives the
 * same tables. When live, the access an owner's suspension, reactivation or deletion takes away or gives back is
 * also recorded on the log (NodeAccessRevoked / NodeAccessRestored) in the batch's transaction.
 */
export class NodesProjection implements Projection {
  readonly name = NODES_PROJECTION;

  constructor(private readonly onNodesChanged: () => void = () => undefined) {}

  createTables(client: PoolClient): Promise<void> {
    return createNodesTables(client);
  }

  async apply(client: PoolClient, batch: LoggedEvent[], { live }: ProjectionContext): Promise<void> {
    // Dropping the rest first lets the users a sync cycle creates between its other writes form one run.
    const events = batch.filter(concernsNodes);
    const changes: AccessChange[] = [];
    let start = 0;
    while (start < events.length) {
      let end = start + 1;
      while (end < events.length && events[end].type === events[start].type) end++;
      const run: Run = { client, events: events.slice(start, end), changes };
      await this.applyRun(run);
      start = end;
    }
    if (live) await recordAccessConsequences(client, changes);
    // The sweeper re-plans its next due time (user events never move it); harmless if this transaction rolls back.
    if (events.some((event) => EXPIRY_SCHEDULING_EVENTS.has(event.type))) this.onNodesChanged();
  }

  /** Applies a run of events of one type (see concernsNodes). */
  private async applyRun(run: Run): Promise<void> {
    const type = run.events[0].type;
    if (type === 'UserCreated') await this.ownersCreated(run);
    else if (type === 'UserUpdated') for (const event of run.events) await this.ownerRenamed(run.client, event as LoggedEvent<UserUpdatedData>);
    else if (OWNER_STATE_OF[type]) for (const event of run.events) await this.ownerStateChanged(run, event, OWNER_STATE_OF[type]);
    else if (type === 'NodeRegistered') await this.nodesRegistered(run);
    else if (type === 'NodeKeyExpired') await this.keysExpired(run);
    else if (type === 'NodeDeleted') for (const event of run.events) await this.nodeDeleted(run.client, event);
    else if (NODE_FIELD_CHANGES[type] !== undefined) for (const event of run.events) await this.nodeChanged(run.client, event, NODE_FIELD_CHANGES[type]);
    if (type.startsWith('Node')) await this.recordHistory(run.client, run.events);
  }

  private async ownersCreated({ client, events }: Run) {
    const created = events as LoggedEvent<UserCreatedData>[];
    await client.query({
      name: 'nodes-owners-created',
      text: `INSERT INTO owners (tailnet_id, user_id, user_name, state, since)
             SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[])
             ON CONFLICT (tailnet_id, user_id) DO NOTHING`,
      values: [
        created.map((event) => event.tailnetId),
        created.map((event) => event.data.userId),
        created.map((event) => event.data.userName),
        created.map((event) => (event.data.active ? 'active' : 'suspended')),
        created.map((event) => event.time),
      ],
    });
  }

  private async ownerRenamed(client: PoolClient, event: LoggedEvent<UserUpdatedData>) {
    await client.query({
      name: 'nodes-owner-renamed',
      text: 'UPDATE owners SET user_name = $3 WHERE tailnet_id = $1 AND user_id = $2',
      values: [event.tailnetId, event.data.userId, event.data.userName],
    });
  }

  /** The owner's new state reaches every node of theirs in one statement, which reports the nodes whose access changed. */
  private async ownerStateChanged({ client, changes }: Run, event: LoggedEvent, state: OwnerState) {
    const { rows } = await client.query<{ id: string; before: NodeAccessState; after: NodeAccessState }>({
      name: 'nodes-owner-state-changed',
      text: `WITH owner AS (
               UPDATE owners SET state = $4, since = $3 WHERE tailnet_id = $1 AND user_id = $2 RETURNING state),
             before AS (SELECT id, access_state FROM nodes WHERE tailnet_id = $1 AND owner_user_id = $2),
             updated AS (
               UPDATE nodes n SET access_state = next.state,
                      access_since = CASE WHEN next.state <> n.access_state THEN $3 ELSE n.access_since END
                 FROM (SELECT n.id, ${ACCESS.replaceAll('o.state', '$4::text')} AS state FROM nodes n
                        WHERE n.tailnet_id = $1 AND n.owner_user_id = $2) AS next
                WHERE n.tailnet_id = $1 AND n.id = next.id
                RETURNING n.id, n.access_state)
             SELECT u.id, b.access_state AS before, u.access_state AS after
               FROM updated u JOIN before b ON b.id = u.id WHERE b.access_state <> u.access_state`,
      values: [event.tailnetId, event.aggregateId, event.time, state],
    });
    for (const row of rows) {
      changes.push({ tailnetId: event.tailnetId, nodeId: row.id, ownerUserId: event.aggregateId, before: row.before, after: row.after, cause: event });
    }
  }

  private async nodesRegistered({ client, events }: Run) {
    const registered = events as LoggedEvent<NodeRegisteredData>[];
    await client.query({
      name: 'nodes-registered',
      text: `INSERT INTO nodes (tailnet_id, id, owner_user_id, tags, hostname, ipv4, node_key, key_expiry, key_expiry_disabled,
                               key_expired, access_state, access_since, version, created_at, last_modified)
             SELECT n.tailnet_id, n.id, n.owner_user_id, ARRAY(SELECT json_array_elements_text(n.tags)), n.hostname, n.ipv4,
                    n.node_key, n.key_expiry, n.key_expiry_disabled, false,
                    ${ACCESS.replaceAll('$3::timestamptz', 'n.time').replaceAll('n.key_expired', 'false')},
                    n.time, n.version, n.time, n.time
               FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::json[], $5::text[], $6::text[], $7::text[], $8::timestamptz[],
                           $9::boolean[], $10::int[], $11::timestamptz[])
                    AS n(tailnet_id, id, owner_user_id, tags, hostname, ipv4, node_key, key_expiry, key_expiry_disabled, version, time)
               LEFT JOIN owners o ON o.tailnet_id = n.tailnet_id AND o.user_id = n.owner_user_id
             ON CONFLICT (tailnet_id, id) DO NOTHING`,
      values: [
        registered.map((event) => event.tailnetId),
        registered.map((event) => event.data.nodeId),
        registered.map((event) => event.data.ownerUserId),
        registered.map((event) => JSON.stringify(event.data.tags)),
        registered.map((event) => event.data.hostname),
        registered.map((event) => event.data.ipv4),
        registered.map((event) => event.data.nodeKey),
        registered.map((event) => event.data.keyExpiry),
        registered.map((event) => event.data.keyExpiryDisabled),
        registered.map((event) => event.aggregateVersion),
        registered.map((event) => event.time),
      ],
    });
  }

  /**
   * One node event: its fields first (guarded by the node's version, so a second application changes nothing),
   * then its access from the new fields. Two statements: one statement cannot update a row twice.
   */
  private async nodeChanged(client: PoolClient, event: LoggedEvent, fields: string) {
    const assignments = ['version = $5', 'last_modified = $4', ...(fields ? [fields] : [])].join(', ');
    // `$3 IS NOT NULL` gives the data parameter a type for the event types whose assignments do not read it.
    const { rowCount } = await client.query({
      name: `nodes-${event.type}`,
      text: `UPDATE nodes SET ${assignments} WHERE tailnet_id = $1 AND id = $2 AND version < $5 AND $3::json IS NOT NULL`,
      values: [event.tailnetId, event.aggregateId, JSON.stringify(event.data), event.time, event.aggregateVersion],
    });
    if (rowCount === 0) return;
    await client.query({
      name: 'nodes-access-refreshed',
      text: `UPDATE nodes n SET access_state = next.state,
                    access_since = CASE WHEN next.state <> n.access_state THEN $3 ELSE n.access_since END
               FROM (SELECT n.id, ${ACCESS} AS state FROM nodes n
                       LEFT JOIN owners o ON o.tailnet_id = n.tailnet_id AND o.user_id = n.owner_user_id
                      WHERE n.tailnet_id = $1 AND n.id = $2) AS next
              WHERE n.tailnet_id = $1 AND n.id = next.id`,
      values: [event.tailnetId, event.aggregateId, event.time],
    });
  }

  /** A sweep records thousands of expiries at once; they are applied as one statement per run. */
  private async keysExpired({ client, events }: Run) {
    await client.query({
      name: 'nodes-keys-expired',
      text: `UPDATE nodes n SET key_expired = true, version = x.version, last_modified = x.time, access_state = x.state,
                    access_since = CASE WHEN x.state <> n.access_state THEN x.time ELSE n.access_since END
               FROM (SELECT m.tailnet_id, m.id, e.version, e.time,
                            ${accessStateSql({ owner: 'm.owner_user_id', ownerState: 'o.state', keyExpired: 'true', keyExpiry: 'm.key_expiry', keyExpiryDisabled: 'm.key_expiry_disabled', at: 'e.time' })} AS state
                       FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::timestamptz[]) AS e(tailnet_id, id, version, time)
                       JOIN nodes m ON m.tailnet_id = e.tailnet_id AND m.id = e.id
                       LEFT JOIN owners o ON o.tailnet_id = m.tailnet_id AND o.user_id = m.owner_user_id
                      WHERE m.version < e.version) AS x
              WHERE n.tailnet_id = x.tailnet_id AND n.id = x.id`,
      values: [
        events.map((event) => event.tailnetId),
        events.map((event) => event.aggregateId),
        events.map((event) => event.aggregateVersion),
        events.map((event) => event.time),
      ],
    });
  }

  private async nodeDeleted(client: PoolClient, event: LoggedEvent) {
    await client.query({
      name: 'nodes-deleted',
      text: 'DELETE FROM nodes WHERE tailnet_id = $1 AND id = $2 AND version < $3',
      values: [event.tailnetId, event.aggregateId, event.aggregateVersion],
    });
  }

  /** One history row per node event, with the node's access after it ('removed' once deleted). */
  private async recordHistory(client: PoolClient, events: LoggedEvent[]) {
    await client.query({
      name: 'nodes-history',
      text: `INSERT INTO node_history (tailnet_id, node_id, position, event_id, event_type, time, access_state, detail, actor)
             SELECT e.tailnet_id, e.node_id, e.position, e.event_id, e.event_type, e.time, coalesce(n.access_state, 'removed'), e.detail, e.actor
               FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::uuid[], $5::text[], $6::timestamptz[], $7::json[], $8::json[])
                    AS e(tailnet_id, node_id, position, event_id, event_type, time, detail, actor)
               LEFT JOIN nodes n ON n.tailnet_id = e.tailnet_id AND n.id = e.node_id
             ON CONFLICT DO NOTHING`,
      values: [
        events.map((event) => event.tailnetId),
        events.map((event) => event.aggregateId),
        events.map((event) => event.position.toString()),
        events.map((event) => event.id),
        events.map((event) => event.type),
        events.map((event) => event.time),
        events.map((event) => JSON.stringify(withoutNodeId(event.data))),
        events.map((event) => JSON.stringify(event.actor)),
      ],
    });
  }
}

function withoutNodeId(data: Record<string, unknown>) {
  const { nodeId: _nodeId, ...rest } = data;
  return rest;
}
