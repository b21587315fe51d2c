import { createHash } from 'node:crypto';
import {
  DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY,
  MAX_BATCH,
  type ConsumeOptions,
  type Consumer,
  type EventTransport,
  type IncomingMessage,
  type OutgoingMessage,
  type TopicSpec,
} from './transport.ts';

interface Partition {
  messages: IncomingMessage[];
  waiters: Set<() => void>;
}

interface GroupMember {
  id: number;
  topics: Set<string>;
  wake(): void;
}

interface Group {
  /** Next offset to read, per `topic/partition`. */
  committed: Map<string, number>;
  members: GroupMember[];
  /** The `topic/partition` positions each member reads. */
  assignment: Map<number, string[]>;
}

const DEFAULT_PARTITIONS = 3;

function partitionFor(key: string, partitions: number): number {
  return createHash('md5').update(key).digest().readUInt32BE(0) % partitions;
}

/**
 * Kafka's semantics, in memory and in one process: topics split into partitions by key,
 * consumer groups that share partitions among their members, commits after the handler
 * resolves, redelivery when it rejects. Used by the embedded default; messages live as long as
 * the process.
 */
export class InProcessTransport implements EventTransport {
  readonly kind = 'in-process' as const;
  private readonly topics = new Map<string, Partition[]>();
  private readonly groups = new Map<string, Group>();
  private nextMemberId = 1;
  private closed = false;

  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    for (const spec of specs) this.topic(spec.name, spec.partitions);
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (this.closed) throw new Error('The in-process transport is closed.');
    for (const message of messages) {
      const partitions = this.topic(message.topic);
      const partition = partitionFor(message.key, partitions.length);
      const log = partitions[partition]!;
      log.messages.push({
        topic: message.topic,
        partition,
        offset: String(log.messages.length),
        key: message.key,
        value: message.value,
        headers: { ...message.headers },
        timestamp: Date.now(),
      });
      for (const wake of log.waiters) wake();
    }
  }

  async consume(options: ConsumeOptions): Promise<Consumer> {
    const group = this.group(options.groupId);
    let running = true;
    let wakeUp: (() => void) | undefined;
    const member: GroupMember = {
      id: this.nextMemberId++,
      topics: new Set(options.topics),
      wake: () => wakeUp?.(),
    };
    group.members.push(member);
    for (const topic of options.topics) {
      this.topic(topic).forEach((log, partition) => {
        const position = `${topic}/${partition}`;
        if (!group.committed.has(position)) {
          group.committed.set(position, options.fromBeginning ? 0 : log.messages.length);
        }
        log.waiters.add(member.wake);
      });
    }
    this.rebalance(group);
    // Nothing here can interrupt a member: it joins once, at once.
    options.onStatus?.({ state: 'joined', rejoined: false });

    const loop = (async () => {
      while (running && !this.closed) {
        const delivered = await this.deliverRound(group, member, options, () => running);
        if (!delivered && running) {
          await new Promise<void>((resolve) => {
            wakeUp = resolve;
            setTimeout(resolve, 1_000).unref();
          });
          wakeUp = undefined;
        }
      }
    })();

    return {
      stop: async () => {
        running = false;
        member.wake();
        await loop;
        group.members = group.members.filter((other) => other !== member);
        for (const topic of options.topics) {
          for (const log of this.topic(topic)) log.waiters.delete(member.wake);
        }
        this.rebalance(group);
      },
    };
  }

  async healthCheck(): Promise<void> {
    if (this.closed) throw new Error('The in-process transport is closed.');
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const partitions of this.topics.values()) {
      for (const log of partitions) for (const wake of log.waiters) wake();
    }
  }

  /** Hands out the group's partitions round-robin among the members subscribed to them. */
  private rebalance(group: Group): void {
    group.assignment = new Map();
    [...group.committed.keys()].sort().forEach((position, index) => {
      const topic = position.slice(0, position.lastIndexOf('/'));
      const eligible = group.members.filter((member) => member.topics.has(topic));
      const owner = eligible[index % Math.max(eligible.length, 1)];
      if (owner)
        group.assignment.set(owner.id, [...(group.assignment.get(owner.id) ?? []), position]);
    });
    group.members.forEach((member) => member.wake());
  }

  /**
   * Hands every owned partition with messages waiting its next batch, several partitions at once
   * (as kafkajs does with the partitions of one fetch); resolves to whether there were any.
   */
  private async deliverRound(
    group: Group,
    member: GroupMember,
    options: ConsumeOptions,
    isRunning: () => boolean,
  ): Promise<boolean> {
    const waiting = (group.assignment.get(member.id) ?? []).filter(
      (position) => this.log(position).messages.length > (group.committed.get(position) ?? 0),
    );
    const workers =
      options.partitionsConsumedConcurrently ?? DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY;
    let next = 0;
    const work = async () => {
      while (next < waiting.length && isRunning()) {
        await this.deliver(group, waiting[next++]!, options, isRunning);
      }
    };
    await Promise.all(Array.from({ length: Math.min(workers, waiting.length) }, work));
    return waiting.length > 0;
  }

  /** Hands one partition's waiting messages (at most MAX_BATCH) to the handler, then commits. */
  private async deliver(
    group: Group,
    position: string,
    options: ConsumeOptions,
    isRunning: () => boolean,
  ): Promise<void> {
    const next = group.committed.get(position) ?? 0;
    const batch = this.log(position).messages.slice(next, next + MAX_BATCH);
    try {
      if (options.handleBatch) {
        await options.handleBatch(batch);
        group.committed.set(position, next + batch.length);
        return;
      }
      for (const [index, message] of batch.entries()) {
        if (!isRunning()) return;
        await options.handle!(message);
        group.committed.set(position, next + index + 1);
      }
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The log of a `topic/partition` position. */
  private log(position: string): Partition {
    const slash = position.lastIndexOf('/');
    return this.topic(position.slice(0, slash))[Number(position.slice(slash + 1))]!;
  }

  private topic(name: string, partitions = DEFAULT_PARTITIONS): Partition[] {
    let logs = this.topics.get(name);
    if (!logs) {
      logs = Array.from({ length: partitions }, () => ({ messages: [], waiters: new Set() }));
      this.topics.set(name, logs);
    }
    return logs;
  }

  private group(id: string): Group {
    let group = this.groups.get(id);
    if (!group) {
      group = { committed: new Map(), members: [], assignment: new Map() };
      this.groups.set(id, group);
    }
    return group;
  }
}
