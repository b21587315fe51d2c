import { document } from '../graphql-client.ts';

/** Whose token it is: how a transport checks the token before any tool runs. */
export const WHO_AM_I = document<{ me: { id: string } }>('query WhoAmI { me { id } }');
