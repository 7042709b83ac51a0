/** The app's views; entries without `ready` are shown disabled until they are built. */
export interface NavItem {
  href: string;
  label: string;
  ready: boolean;
}

export const NAV: NavItem[] = [
  { href: '/requests', label: 'Requests', ready: true },
  { href: '/map', label: 'Map', ready: true },
  { href: '/traces', label: 'Traces', ready: true },
  { href: '/profiles', label: 'Profiles', ready: true },
  { href: '/network', label: 'Network', ready: true },
  { href: '/services', label: 'Services', ready: true },
  { href: '/alerts', label: 'Alerts', ready: true },
  { href: '/resources', label: 'Resources', ready: true },
  { href: '/settings', label: 'Settings', ready: true },
];

/** Params every view shares, carried along when switching views. */
export const SHARED_PARAMS = ['range', 'from', 'to', 'refresh'];

export function sharedQuery(params: URLSearchParams): string {
  const out = new URLSearchParams();
  for (const name of SHARED_PARAMS) {
    const v = params.get(name);
    if (v !== null) out.set(name, v);
  }
  const qs = out.toString();
  return qs ? `?${qs}` : '';
}
