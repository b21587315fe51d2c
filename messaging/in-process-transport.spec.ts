import { InProcessTransport } from './in-process-transport.ts';
import { transportContract } from '../test/transport-contract.ts';

transportContract('in-process', async () => new InProcessTransport());
