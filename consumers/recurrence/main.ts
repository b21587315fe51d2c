import { runConsumerProcess } from '../runtime/run-process.js';
import { recurrenceConsumer } from './index.js';

await runConsumerProcess(recurrenceConsumer);
