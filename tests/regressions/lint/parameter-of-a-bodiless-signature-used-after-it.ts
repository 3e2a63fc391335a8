export async function pingHosts(hosts: string[]): Promise<number[]>
return Promise.all(hosts.map((h) => fetch(h)));
