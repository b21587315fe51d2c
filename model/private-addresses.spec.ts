import { isPrivateAddress } from './private-addresses.ts';

it.each([
  '127.0.0.1',
  '10.1.2.3',
  '172.16.0.1',
  '192.168.1.1',
  '169.254.169.254',
  '100.64.0.1',
  '0.0.0.0',
  '224.0.0.1',
  '::1',
  '::',
  'fd00::1',
  'fe80::1',
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::ffff:a00:1',
])('%s is private', (address) => expect(isPrivateAddress(address)).toBe(true));

it.each(['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '::ffff:808:808', 'example.com'])(
  '%s is not private',
  (address) => expect(isPrivateAddress(address)).toBe(false),
);
