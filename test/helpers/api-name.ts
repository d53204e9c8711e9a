/** The preload's function name of a channel, as the contract's ApiName type spells it: 'clients:create' → 'clientsCreate'. */
export function apiName(channel: string): string {
  const [a = '', b = ''] = channel.split(':');
  return a + b.charAt(0).toUpperCase() + b.slice(1);
}
