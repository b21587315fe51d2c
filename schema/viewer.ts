import { builder } from './builder.ts';

/** The signed-in user, as the token names it. */
export const Viewer = builder.objectRef<{ id: string }>('Viewer').implement({
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The user id: the token’s `sub`.' }),
  }),
});

builder.queryField('me', (t) =>
  t.field({
    type: Viewer,
    description: 'The signed-in user.',
    resolve: (_root, _args, ctx) => ({ id: ctx.userId }),
  }),
);
