import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { EventTypes, isRosterId, type Actor, type EventEnvelope, type TailnetCreatedData } from '#roster/events';
import { appendToOutbox } from '#roster/outbox';
import { ApiTokenEntity, TailnetEntity, isUniqueViolation } from '#roster/platform';
import { issueToken, type ApiTokenKind } from '../domain/api-token.js';
import { normaliseIdentityDomain, TailnetExistsError, TailnetNotFoundError, validateTailnetName } from '../domain/tailnet.js';

/** `token` is the SCIM token for the IdP; `adminApiKey` authenticates the admin API (devices, policy). */
export type CreatedTailnet = { tailnetId: string; name: string; domain: string | null; token: string; adminApiKey: string };

/** Tailnets and their credentials. Used by the `roster` CLI; credentials are shown once and stored only as hashes. */
export class TailnetService {
  constructor(private readonly dataSource: DataSource) {}

  async create(name: string, domain: string | undefined, actor: Actor): Promise<CreatedTailnet> {
    const tailnet = Object.assign(new TailnetEntity(), {
      id: randomUUID(),
      name: validateTailnetName(name),
      domain: normaliseIdentityDomain(domain),
    });
    const issued = issueToken('scim');
    const adminKey = issueToken('admin');
    try {
      await this.dataSource.transaction(async (manager) => {
        await manager.insert(TailnetEntity, tailnet);
        await this.storeToken(manager, tailnet.id, issued);
        await this.storeToken(manager, tailnet.id, adminKey);
        await appendToOutbox(manager, [tailnetCreated(tailnet, actor)]);
      });
    } catch (error) {
      if (isUniqueViolation(error, 'tailnets_name_key')) throw new TailnetExistsError(`a tailnet named "${tailnet.name}" already exists`);
      throw error;
    }
    return { tailnetId: tailnet.id, name: tailnet.name, domain: tailnet.domain, token: issued.token, adminApiKey: adminKey.token };
  }

  /** Issues a new token of the given kind and revokes the tailnet's previous ones at once. */
  async rotateToken(tailnetRef: string, kind: ApiTokenKind): Promise<{ tailnetId: string; token: string }> {
    const tailnet = await this.find(tailnetRef);
    const issued = issueToken(kind);
    await this.dataSource.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .update(ApiTokenEntity)
        .set({ revokedAt: () => 'now()' })
        .where('tailnet_id = :tailnetId AND kind = :kind AND revoked_at IS NULL', { tailnetId: tailnet.id, kind })
        .execute();
      await this.storeToken(manager, tailnet.id, issued);
    });
    return { tailnetId: tailnet.id, token: issued.token };
  }

  /** Finds a tailnet by id or by name (case-insensitive). */
  async find(tailnetRef: string): Promise<TailnetEntity> {
    const repository = this.dataSource.getRepository(TailnetEntity);
    const tailnet = isRosterId(tailnetRef)
      ? await repository.findOneBy({ id: tailnetRef })
      : await repository.createQueryBuilder('t').where('lower(t.name) = lower(:name)', { name: tailnetRef }).getOne();
    if (!tailnet) throw new TailnetNotFoundError(`no tailnet "${tailnetRef}"`);
    return tailnet;
  }

  private async storeToken(manager: EntityManager, tailnetId: string, issued: ReturnType<typeof issueToken>) {
    await manager.insert(ApiTokenEntity, {
      id: issued.id,
      tailnetId,
      kind: issued.kind,
      secretHash: issued.secretHash,
      revokedAt: null,
    });
  }
}

function tailnetCreated(tailnet: TailnetEntity, actor: Actor): EventEnvelope<TailnetCreatedData> {
  return {
    id: randomUUID(),
    type: 'TailnetCreated',
    schemaVersion: EventTypes.TailnetCreated,
    tailnetId: tailnet.id,
    aggregateType: 'Tailnet',
    aggregateId: tailnet.id,
    aggregateVersion: 1,
    time: new Date().toISOString(),
    actor,
    correlationId: randomUUID(),
    data: { tailnetId: tailnet.id, name: tailnet.name, domain: tailnet.domain },
  };
}
