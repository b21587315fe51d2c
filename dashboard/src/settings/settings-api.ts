/** The GraphQL operations and shapes the settings page uses; it is a client of the public API. */
const ERROR = '... on Error { message }';
const CHANNEL = 'id kind enabled disabledReason disabledAt failingSince lastSuccessAt createdAt';
const WEBHOOK = `${CHANNEL} url description eventTypes`;

/** What every mutation answers: its success payload or a typed error with a message. */
export type Result<T = object> = { __typename: string; message?: string } & Partial<T>;

interface ChannelBase {
  id: string;
  enabled: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  failingSince: string | null;
  lastSuccessAt: string | null;
  createdAt: string;
}
export interface PushChannel extends ChannelBase {
  kind: 'PUSH';
  endpoint: string;
}
export interface WebhookChannel extends ChannelBase {
  kind: 'WEBHOOK';
  url: string;
  description: string | null;
  eventTypes: string[];
}
export interface EmailChannel extends ChannelBase {
  kind: 'EMAIL';
  address: string;
  verified: boolean;
}
export type Channel = PushChannel | WebhookChannel | EmailChannel;

export const CHANNELS = `query { notificationChannels { ${CHANNEL}
  ... on PushChannel { endpoint }
  ... on WebhookChannel { url description eventTypes }
  ... on EmailChannel { address verified } } }`;

/** The event types a webhook can receive, as createWebhook's input lists them. */
export const EVENT_TYPES = [
  'reminder.due',
  'reminder.sent',
  'task.created',
  'task.updated',
  'task.completed',
  'task.reopened',
  'task.deleted',
  'task.recurred',
] as const;

export const CREATE_WEBHOOK = `mutation($input: CreateWebhookInput!) {
  createWebhook(input: $input) {
    __typename ... on CreateWebhookSuccess { secret webhook { ${WEBHOOK} } } ${ERROR} } }`;
export const UPDATE_WEBHOOK = `mutation($id: ID!, $input: UpdateWebhookInput!) {
  updateWebhook(id: $id, input: $input) {
    __typename ... on UpdateWebhookSuccess { webhook { ${WEBHOOK} } } ${ERROR} } }`;
export const ROTATE_SECRET = `mutation($id: ID!) {
  rotateWebhookSecret(id: $id) {
    __typename ... on RotateWebhookSecretSuccess { secret webhook { id } } ${ERROR} } }`;
export const DELETE_WEBHOOK = `mutation($id: ID!) {
  deleteWebhook(id: $id) { __typename ${ERROR} } }`;

/** One delivery in the log. */
export interface Delivery {
  id: string;
  eventType: string;
  status: 'PENDING' | 'SENDING' | 'DELIVERED' | 'FAILED' | 'CANCELLED';
  attempts: number;
  lastStatusCode: number | null;
  lastDurationMs: number | null;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}
const DELIVERY =
  'id eventType status attempts lastStatusCode lastDurationMs lastError createdAt finishedAt';
export const DELIVERIES = `query($channelId: ID, $first: Int, $after: String) {
  deliveries(channelId: $channelId, first: $first, after: $after) {
    totalCount edges { node { ${DELIVERY} } } pageInfo { hasNextPage endCursor } } }`;
export interface DeliveryPage {
  totalCount: number;
  edges: { node: Delivery }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
export const REPLAY = `mutation($id: ID!) {
  replayDelivery(id: $id) { __typename ... on ReplayDeliverySuccess { delivery { ${DELIVERY} } } ${ERROR} } }`;

export const SET_EMAIL = `mutation($address: String!) {
  setEmailChannel(address: $address) { __typename ... on SetEmailChannelSuccess { channel { id verified } } ${ERROR} } }`;
export const CONFIRM_EMAIL = `mutation($code: String!) {
  confirmEmailChannel(code: $code) { __typename ${ERROR} } }`;
export const REMOVE_EMAIL = `mutation { removeEmailChannel { __typename ${ERROR} } }`;

/** The VAPID public key to subscribe with; null when the server offers no Web Push. */
export const PUSH_PUBLIC_KEY = 'query { pushPublicKey }';
export const REGISTER_PUSH = `mutation($input: PushSubscriptionInput!) {
  registerPushSubscription(input: $input) {
    __typename ... on RegisterPushSubscriptionSuccess { channel { id } } ${ERROR} } }`;
export const REMOVE_PUSH = `mutation($endpoint: String!) {
  removePushSubscription(endpoint: $endpoint) { __typename ${ERROR} } }`;

const MOMENT: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
/** A moment in the browser's zone, e.g. "Dec 1, 2026, 9:00 AM". */
export const moment = (iso: string): string =>
  new Intl.DateTimeFormat(undefined, MOMENT).format(new Date(iso));

/** Why a channel does not deliver, or how it is doing; empty when all is well. */
export function channelHealth(channel: Channel): string {
  if (!channel.enabled)
    return `Disabled${channel.disabledReason ? `: ${channel.disabledReason}` : ''}`;
  if (channel.failingSince) return `Failing since ${moment(channel.failingSince)}`;
  return '';
}
