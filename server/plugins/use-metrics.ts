import {
  createCounter,
  createHistogram,
  usePrometheus,
  type FillLabelsFnParams,
} from '@graphql-yoga/plugin-prometheus';
import type { Plugin } from 'graphql-yoga';
import type { Registry } from 'prom-client';
import { TOOLS } from '../../mcp-adapter/tools/index.ts';
import { WHO_AM_I } from '../../mcp-adapter/transports/who-am-i.ts';
import { boundedOperationNames, operationNamesOf } from './operation-names.ts';

/** How many operation names besides the product's own clients' get a label value of their own. */
export const OTHER_OPERATION_NAMES_CAP = 50;

/** One per process, as the registry's series are: every API in the process shares the cap. */
const operationName = boundedOperationNames({
  known: operationNamesOf([...TOOLS.flatMap((tool) => tool.documents), WHO_AM_I]),
  cap: OTHER_OPERATION_NAMES_CAP,
});

type OperationLabel = 'operationType' | 'operationName';
const operationLabels = (params: FillLabelsFnParams): Record<OperationLabel, string> => ({
  operationType: params.operationType ?? 'unknown',
  operationName: operationName(params.operationName),
});

/**
 * Request latency and error counts in `registry`, served by the metrics server
 * (server/ops/metrics-server.ts), never by the API. Every label comes from a bounded set: no URL
 * (it carries a GET's query and variables), no error path (aliases are the client's), and
 * operation names through {@link boundedOperationNames}. Resolver latency only for the fields
 * `resolvers` names: timing every field wraps every resolver, and cost more than the rest of the
 * metrics together.
 */
export function useMetrics({
  registry,
  resolvers = [],
}: {
  registry: Registry;
  /** The fields to time (`Type.field`, `Type.*`, or `*` for all); none by default. */
  resolvers?: readonly string[];
}): Plugin {
  const operationHistogram = <Phases>(name: string, help: string) =>
    createHistogram<Phases, OperationLabel>({
      registry,
      histogram: { name, help, labelNames: ['operationType', 'operationName'] },
      fillLabelsFn: operationLabels,
    });
  return usePrometheus({
    registry,
    endpoint: false,
    resolversWhitelist: resolvers.includes('*') ? undefined : [...resolvers],
    metrics: {
      graphql_yoga_http_duration: createHistogram({
        registry,
        histogram: {
          name: 'graphql_yoga_http_duration',
          help: 'Time spent on HTTP connection',
          labelNames: ['operationType', 'operationName', 'method', 'statusCode'],
        },
        fillLabelsFn: (params: FillLabelsFnParams & { request: Request; response: Response }) => ({
          ...operationLabels(params),
          method: params.request.method,
          statusCode: params.response.status,
        }),
      }),
      graphql_envelop_request_duration: operationHistogram(
        'graphql_envelop_request_duration',
        'Time spent on running the GraphQL operation from parse to execute',
      ),
      graphql_envelop_phase_execute: operationHistogram(
        'graphql_envelop_phase_execute',
        'Time spent on running the GraphQL "execute" function',
      ),
      graphql_envelop_phase_subscribe: operationHistogram(
        'graphql_envelop_phase_subscribe',
        'Time spent on running the GraphQL "subscribe" function',
      ),
      graphql_envelop_error_result: createCounter({
        registry,
        counter: {
          name: 'graphql_envelop_error_result',
          help: 'Counts the amount of errors reported from all phases',
          labelNames: ['operationType', 'operationName', 'phase'],
        },
        fillLabelsFn: (params) => ({
          ...operationLabels(params),
          phase: params.errorPhase ?? 'unknown',
        }),
      }),
      // Per field, not per operation: the schema bounds fields, and operations would multiply them.
      graphql_envelop_execute_resolver:
        resolvers.length > 0 &&
        createHistogram({
          registry,
          histogram: {
            name: 'graphql_envelop_execute_resolver',
            help: 'Time spent on running the GraphQL resolvers',
            labelNames: ['operationType', 'fieldName', 'typeName', 'returnType'],
          },
          fillLabelsFn: (params) => ({
            operationType: params.operationType ?? 'unknown',
            fieldName: params.info!.fieldName,
            typeName: params.info!.parentType.name,
            returnType: params.info!.returnType.toString(),
          }),
        }),
      graphql_envelop_request: false,
      graphql_envelop_request_time_summary: false,
      graphql_envelop_phase_parse: false,
      graphql_envelop_phase_validate: false,
      graphql_envelop_phase_context: false,
      graphql_envelop_deprecated_field: false,
      graphql_envelop_schema_change: false,
    },
  });
}
