// A coarse device description from the User-Agent, for the "active devices" list.
export type DeviceType = 'desktop' | 'mobile' | 'tablet' | 'unknown';

export function deviceTypeFromUserAgent(userAgent: string | undefined): DeviceType {
  if (!userAgent) return 'unknown';
  if (/ipad|tablet|playbook|silk|(android(?!.*mobile))/i.test(userAgent)) return 'tablet';
  if (/mobi|iphone|ipod|android|blackberry|opera mini|iemobile/i.test(userAgent)) return 'mobile';
  if (/windows|macintosh|linux|x11|cros/i.test(userAgent)) return 'desktop';
  return 'unknown';
}

export function defaultDeviceName(userAgent: string | undefined): string {
  if (!userAgent) return 'Unknown device';
  const browser = /edg\//i.test(userAgent)
    ? 'Edge'
    : /chrome|chromium|crios/i.test(userAgent)
      ? 'Chrome'
      : /firefox|fxios/i.test(userAgent)
        ? 'Firefox'
        : /safari/i.test(userAgent)
          ? 'Safari'
          : /curl/i.test(userAgent)
            ? 'curl'
            : 'Browser';
  const os = /windows/i.test(userAgent)
    ? 'Windows'
    : /iphone|ipad|ios/i.test(userAgent)
      ? 'iOS'
      : /android/i.test(userAgent)
        ? 'Android'
        : /mac os|macintosh/i.test(userAgent)
          ? 'macOS'
          : /linux|x11/i.test(userAgent)
            ? 'Linux'
            : '';
  return os ? `${browser} on ${os}` : browser;
}
