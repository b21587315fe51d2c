import { InProcessTransport } from './in-process-transport.ts';
import { transportContract } from './transport-contract.ts';

transportContract('in-process', async () => new InProcessTransport());
