/** SASL settings for Kafka (Redpanda Cloud uses scram-sha-256 with TLS). */
export interface KafkaSaslOptions {
  mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
  username: string;
  password: string;
}

/** How to reach the brokers: plain Apache Kafka, or Redpanda Cloud with SASL/SCRAM and TLS. */
export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  ssl: boolean;
  /** PEM certificate(s) of the CA that signed the brokers' certificates; Node's roots otherwise. */
  ca?: string | undefined;
  sasl: KafkaSaslOptions | undefined;
  /**
   * Puts this deployment's topics and consumer groups under `<namespace>.` on the broker (see
   * namespaced-transport.ts); none by default.
   */
  namespace?: string | undefined;
}
