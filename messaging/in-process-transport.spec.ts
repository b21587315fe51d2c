import { InProcessTransport } from './in-process-transport.js';
import { transportContract } from './transport-contract.js';

transportContract('in-process', async () => new InProcessTransport());
