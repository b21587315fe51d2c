export default async function globalTeardown() {
  const { default: teardown } = await import('./run-teardown.ts');
  await teardown();
}
