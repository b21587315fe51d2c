// Jest loads global setup outside its module system; Node itself strips the TypeScript's types.
export default async function globalSetup() {
  const { default: setup } = await import('./run-setup.ts');
  await setup();
}
