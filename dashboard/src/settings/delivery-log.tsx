import { useCallback, useEffect, useState } from 'preact/hooks';
import { unwrap } from '../api/graphql.ts';
import { failure } from '../failure.ts';
import { useSession } from '../session.ts';
import {
  DELIVERIES,
  moment,
  REPLAY,
  type Delivery,
  type DeliveryPage,
  type Result,
} from './settings-api.ts';

const PAGE = 10;
const FINISHED = new Set<Delivery['status']>(['DELIVERED', 'FAILED', 'CANCELLED']);
const STATUS_TEXT: Record<Delivery['status'], string> = {
  PENDING: 'Pending',
  SENDING: 'Sending',
  DELIVERED: 'Delivered',
  FAILED: 'Failed',
  CANCELLED: 'Cancelled',
};

/**
 * One channel's delivery log, newest first, a page at a time: status, status code, duration,
 * attempts and time of each delivery, with Replay on finished ones.
 */
export function DeliveryLog({ channelId, label }: { channelId: string; label: string }) {
  const { api } = useSession();
  const [rows, setRows] = useState<Delivery[] | undefined>(undefined);
  const [total, setTotal] = useState(0);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');

  const load = useCallback(
    async (after: string | null) => {
      setError('');
      try {
        const { deliveries } = await api<{ deliveries: DeliveryPage }>(DELIVERIES, {
          channelId,
          first: PAGE,
          after,
        });
        const nodes = deliveries.edges.map((edge) => edge.node);
        setRows((current) => (after ? [...(current ?? []), ...nodes] : nodes));
        setTotal(deliveries.totalCount);
        setNext(deliveries.pageInfo.hasNextPage ? deliveries.pageInfo.endCursor : null);
        setStatus(`${deliveries.totalCount} deliveries in the log.`);
      } catch (problem) {
        setError(`Could not load the delivery log: ${failure(problem)}`);
      }
    },
    [api, channelId],
  );
  useEffect(() => void load(null), [load]);

  const replay = async (delivery: Delivery) => {
    setError('');
    try {
      const data = await api<{ replayDelivery: Result<{ delivery: Delivery }> }>(REPLAY, {
        id: delivery.id,
      });
      const { delivery: replayed } = unwrap(data.replayDelivery);
      if (replayed)
        setRows((current) => current?.map((row) => (row.id === replayed.id ? replayed : row)));
      setStatus(`Sending the ${delivery.eventType} delivery again.`);
    } catch (problem) {
      setError(`Could not replay: ${failure(problem)}`);
    }
  };

  const captionId = `log-${channelId}`;
  return (
    <div class="delivery-log">
      <div class="row">
        <button type="button" class="quiet" onClick={() => void load(null)}>
          Refresh<span class="visually-hidden"> the delivery log of {label}</span>
        </button>
        <p class="muted" role="status">
          {status}
        </p>
      </div>
      <p class="error" role="alert">
        {error}
      </p>
      {rows && rows.length === 0 && <p>Nothing was delivered to {label} yet.</p>}
      {rows && rows.length > 0 && (
        <div class="table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
          <table>
            <caption id={captionId}>
              Delivery log of {label} ({rows.length} of {total})
            </caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Code</th>
                <th scope="col">Duration</th>
                <th scope="col">Attempts</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((delivery) => (
                <tr key={delivery.id} data-testid="delivery">
                  <td>{moment(delivery.finishedAt ?? delivery.createdAt)}</td>
                  <td>{delivery.eventType}</td>
                  <td>
                    {STATUS_TEXT[delivery.status]}
                    {delivery.lastError && delivery.status !== 'DELIVERED' && (
                      <span class="muted"> ({delivery.lastError})</span>
                    )}
                  </td>
                  <td>{delivery.lastStatusCode ?? '–'}</td>
                  <td>
                    {delivery.lastDurationMs === null ? '–' : `${delivery.lastDurationMs} ms`}
                  </td>
                  <td>{delivery.attempts}</td>
                  <td>
                    {FINISHED.has(delivery.status) && (
                      <button type="button" class="quiet" onClick={() => void replay(delivery)}>
                        Replay
                        <span class="visually-hidden">
                          {' '}
                          the {delivery.eventType} delivery of{' '}
                          {moment(delivery.finishedAt ?? delivery.createdAt)}
                        </span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <button type="button" class="quiet" onClick={() => void load(next)}>
          Show older deliveries
        </button>
      )}
    </div>
  );
}
