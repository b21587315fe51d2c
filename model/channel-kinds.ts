/** Where a reminder can reach a person without an open tab. */
export const CHANNEL_KINDS = ['push', 'webhook', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
